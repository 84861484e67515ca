package scope

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corral-go/corral/internal/catch"
)

// diag is the diagnostics configuration of a scope, inherited by the scopes
// nested in it through the context. A scope without diagnostics has a nil
// *diag and pays for nothing below.
type diag struct {
	grace   time.Duration // 0: no stuck-fork report
	report  func(StuckReport)
	labels  bool
	trace   bool
	monitor *Monitor
}

// diagUsed is set once any scope in the process asked for diagnostics, so
// that scopes in programs that never do skip even the context lookup.
var diagUsed atomic.Bool

type diagKey struct{}

// scopeInfo is the per-scope state kept when diagnostics are on.
type scopeInfo struct {
	parent   *Scope
	started  time.Time
	forks    map[*forkRecord]struct{}
	children map[*Scope]struct{}
	task     *trace.Task
	labels   context.Context // pprof labels of the scope, for its forks
	bodySite [12]uintptr     // where Supervised or Run was called

	stuckMu      sync.Mutex
	stuckTimer   *time.Timer
	stuckWait    time.Duration // when the next report is due, since waitSince
	waitSince    time.Time
	stuckStopped bool
	reporting    sync.WaitGroup
	deliverMu    sync.Mutex // orders the reports of one scope
	stopAfter    func() bool
}

// forkRecord describes a running fork for diagnostics.
type forkRecord struct {
	name    string
	fn      any
	site    [12]uintptr
	started time.Time
	kind    kind
}

// setupDiag runs in newScope, before the context is derived, when the scope
// or an enclosing one asked for diagnostics.
func (s *Scope) setupDiag(ctx context.Context) context.Context {
	var parent *Scope
	if p, ok := ctx.Value(diagKey{}).(*Scope); ok {
		parent = p
	}
	d := s.cfg.diag
	if parent != nil {
		d = parent.diag.merge(d)
	}
	if d == nil {
		return ctx
	}
	s.diag = d
	s.info = &scopeInfo{parent: parent, started: time.Now(), forks: map[*forkRecord]struct{}{}}
	// The body is reported like a fork, started where Supervised was
	// called: 0 is Callers, 1 setupDiag, 2 newScope; where skips corral's
	// own frames after that.
	runtime.Callers(3, s.info.bodySite[:])
	if d.trace {
		ctx, s.info.task = trace.NewTask(ctx, "corral "+s.describe())
	}
	if d.labels {
		s.info.labels = pprof.WithLabels(ctx, pprof.Labels("corral.scope", s.label()))
	}
	return context.WithValue(ctx, diagKey{}, s)
}

// register makes the scope visible to its parent's or its monitor's
// snapshots. It runs once the scope is complete (its context set), since a
// snapshot may look at it from another goroutine at once.
func (s *Scope) register() {
	if parent := s.info.parent; parent != nil {
		parent.mu.Lock()
		if parent.info.children == nil {
			parent.info.children = map[*Scope]struct{}{}
		}
		parent.info.children[s] = struct{}{}
		parent.mu.Unlock()
	} else if s.diag.monitor != nil {
		s.diag.monitor.add(s)
	}
}

// merge combines an enclosing scope's diagnostics with this scope's own
// options; the scope's own settings win.
func (d *diag) merge(own *diag) *diag {
	if own == nil {
		return d
	}
	m := *d
	if own.grace > 0 {
		m.grace, m.report = own.grace, own.report
	}
	m.labels = m.labels || own.labels
	m.trace = m.trace || own.trace
	if own.monitor != nil {
		m.monitor = own.monitor
	}
	return &m
}

// armStuckReport starts the stuck-fork report clock; the scope calls it when
// its context is cancelled or its body returns, whichever comes first.
func (s *Scope) armStuckReport() {
	in := s.info
	in.stuckMu.Lock()
	defer in.stuckMu.Unlock()
	if in.stuckStopped || in.stuckTimer != nil {
		return
	}
	in.waitSince = time.Now()
	in.stuckWait = s.diag.grace
	in.stuckTimer = time.AfterFunc(in.stuckWait, s.reportStuck)
}

// reportStuck delivers a report if forks are still running, then schedules
// the next one at twice the interval.
func (s *Scope) reportStuck() {
	in := s.info
	in.stuckMu.Lock()
	if in.stuckStopped {
		in.stuckMu.Unlock()
		return
	}
	in.reporting.Add(1)
	defer in.reporting.Done()
	waited := time.Since(in.waitSince)
	next := in.stuckWait
	in.stuckWait *= 2
	in.stuckTimer.Reset(next)
	in.stuckMu.Unlock()

	r := StuckReport{Scope: s.describe(), Waiting: waited}
	if s.ctx.Err() != nil {
		r.Cause = context.Cause(s.ctx)
	}
	s.mu.Lock()
	r.Forks = s.forkInfosLocked(time.Now())
	s.mu.Unlock()
	if len(r.Forks) == 0 {
		return
	}
	in.deliverMu.Lock()
	defer in.deliverMu.Unlock()
	deliver := defaultReport
	if s.diag.report != nil {
		deliver = s.diag.report
	}
	// The handler is the user's code, on a timer's goroutine: a panic there
	// must neither crash the process nor stop later reports.
	if p := catch.Call(func() { deliver(r) }, nil); p != nil {
		slog.Error("corral: the stuck-fork report handler panicked; the report is logged here instead",
			"scope", r.Scope, "panic", p.Value, "stack", string(p.Stack), "report", r.String())
	}
}

// stopDiag ends the scope's diagnostics once every fork has returned.
func (s *Scope) stopDiag() {
	in := s.info
	if in.stopAfter != nil {
		in.stopAfter()
	}
	in.stuckMu.Lock()
	in.stuckStopped = true
	if in.stuckTimer != nil {
		in.stuckTimer.Stop()
	}
	in.stuckMu.Unlock()
	in.reporting.Wait() // a report being delivered finishes first
	if in.parent != nil {
		in.parent.mu.Lock()
		delete(in.parent.info.children, s)
		in.parent.mu.Unlock()
	} else if s.diag.monitor != nil {
		s.diag.monitor.remove(s)
	}
	if in.task != nil {
		in.task.End()
	}
}

// trackForkLocked records a fork that is starting; it runs with s.mu held.
func (s *Scope) trackForkLocked(k kind, name string, fn any) *forkRecord {
	r := &forkRecord{name: name, fn: fn, kind: k, started: time.Now()}
	runtime.Callers(3, r.site[:])
	s.info.forks[r] = struct{}{}
	return r
}

// runDiag runs job with the fork's labels and trace region.
func (s *Scope) runDiag(r *forkRecord, job Job) error {
	if s.diag.labels {
		pprof.SetGoroutineLabels(pprof.WithLabels(s.info.labels, pprof.Labels("corral.fork", r.describe())))
	}
	if s.diag.trace {
		defer trace.StartRegion(s.ctx, "corral fork "+r.describe()).End()
	}
	return job.Run(s.ctx)
}

// label is the scope's name as profiler labels and traces show it.
func (s *Scope) label() string {
	if s.cfg.name != "" {
		return s.cfg.name
	}
	if fn := runtime.FuncForPC(s.bodyPC); fn != nil {
		return fn.Name()
	}
	return "?"
}

// funcName names f: a function by its name, anything else (a Job) by its
// type.
func funcName(f any) string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func {
		return fmt.Sprintf("%T", f)
	}
	if fn := runtime.FuncForPC(v.Pointer()); fn != nil {
		return fn.Name()
	}
	return "?"
}

func (r *forkRecord) describe() string {
	if r.name != "" {
		return r.name
	}
	return funcName(r.fn)
}

// where returns the first frame of the start site outside corral's own
// packages: the line of user code that started the fork.
func (r *forkRecord) where() (file string, line int) { return siteOf(r.site[:]) }

// siteOf returns the first frame of site in user code. When there is none
// (a scope started on a goroutine of corral's own, such as app.Run's root
// scope), it returns the first frame in a corral package other than scope,
// which names the corral call that started it, rather than the runtime's.
func siteOf(site []uintptr) (file string, line int) {
	frames := runtime.CallersFrames(site)
	var fallback runtime.Frame
	for {
		f, more := frames.Next()
		runtimeFrame := strings.HasPrefix(f.Function, "runtime.")
		if !isCorralFrame(f.Function) && !runtimeFrame {
			return f.File, f.Line
		}
		if fallback.PC == 0 && !runtimeFrame && !strings.HasPrefix(f.Function, "github.com/corral-go/corral/scope.") &&
			!strings.HasPrefix(f.Function, "github.com/corral-go/corral/internal/") {
			fallback = f
		}
		if !more {
			break
		}
	}
	if fallback.PC == 0 {
		return "?", 0
	}
	return fallback.File, fallback.Line
}

func isCorralFrame(fn string) bool {
	for _, p := range []string{"scope.", "fork.", "internal/", "source.", "dispatcher.", "channel.", "app."} {
		if strings.HasPrefix(fn, "github.com/corral-go/corral/"+p) {
			return true
		}
	}
	return false
}
