package scope

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// A Monitor keeps track of running scopes so that a program can look at
// them: which scopes are alive, in which state, and which forks they are
// waiting for. Register a root scope with [WithMonitor]; the scopes nested in
// it are tracked with it. A Monitor is safe for concurrent use; its zero
// value is not usable, create one with [NewMonitor].
//
// Package [github.com/corral-go/corral/scope/scopehttp] serves snapshots on
// a debug HTTP endpoint.
type Monitor struct {
	mu    sync.Mutex
	roots map[*Scope]struct{}
}

// NewMonitor returns an empty Monitor.
func NewMonitor() *Monitor { return &Monitor{roots: map[*Scope]struct{}{}} }

func (m *Monitor) add(s *Scope) {
	m.mu.Lock()
	m.roots[s] = struct{}{}
	m.mu.Unlock()
}

func (m *Monitor) remove(s *Scope) {
	m.mu.Lock()
	delete(m.roots, s)
	m.mu.Unlock()
}

// Info describes a running scope in a [Monitor.Snapshot].
//
// State is "running" while the body runs and nothing failed, "ending" once
// the body returned and the scope waits for its awaited forks, "cancelling"
// once the scope cancelled its context (a failure, even while the body still
// runs, or the normal end telling daemon forks to stop) and waits for every
// fork, and "ended" when every fork has returned. A scope whose context was
// cancelled only by its parent stays "running" or "ending", with a Cause:
// that is not a failure of its own until its body or a fork reports one.
type Info struct {
	Name     string        `json:"name"`            // as Scope.String describes it
	State    string        `json:"state"`           // "running", "ending", "cancelling" or "ended"
	Cause    string        `json:"cause,omitempty"` // the cancellation cause, once cancelled
	Started  time.Time     `json:"started"`
	Age      time.Duration `json:"age"`
	Forks    []ForkInfo    `json:"forks,omitempty"`
	Children []Info        `json:"children,omitempty"` // scopes nested in this one
}

// Snapshot returns the scopes registered with m that are running now, each
// with its running forks and nested scopes, oldest first.
func (m *Monitor) Snapshot() []Info {
	m.mu.Lock()
	roots := make([]*Scope, 0, len(m.roots))
	for s := range m.roots {
		roots = append(roots, s)
	}
	m.mu.Unlock()
	return snapshot(roots, time.Now())
}

func snapshot(scopes []*Scope, now time.Time) []Info {
	infos := make([]Info, 0, len(scopes))
	for _, s := range scopes {
		s.mu.Lock()
		si := Info{
			Name: s.describe(), State: s.stateLocked(),
			Started: s.info.started, Age: now.Sub(s.info.started),
			Forks: s.forkInfosLocked(now),
		}
		children := make([]*Scope, 0, len(s.info.children))
		for c := range s.info.children {
			children = append(children, c)
		}
		s.mu.Unlock()
		if s.ctx.Err() != nil {
			si.Cause = context.Cause(s.ctx).Error()
		}
		si.Children = snapshot(children, now)
		infos = append(infos, si)
	}
	slices.SortFunc(infos, func(a, b Info) int {
		return cmp.Or(a.Started.Compare(b.Started), cmp.Compare(a.Name, b.Name))
	})
	return infos
}

func sortForks(fs []ForkInfo) {
	slices.SortFunc(fs, func(a, b ForkInfo) int {
		return cmp.Or(a.Started.Compare(b.Started), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

func (s *Scope) stateLocked() string {
	switch w := s.state.Load(); {
	case w&stateEnded != 0:
		return "ended"
	case w&stateCancelled != 0:
		return "cancelling"
	case s.bodyDone:
		return "ending"
	}
	return "running"
}
