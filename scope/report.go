package scope

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// WithStuckReport makes the scope report the forks that are still running
// grace after its context was cancelled, whatever the reason (a failure, the
// parent's cancellation, or the scope's normal end telling daemon forks to
// stop). Go cannot stop a goroutine, so a fork that ignores its context keeps
// the scope waiting; the report names it, says where it was started and for
// how long it has run. The report repeats at doubling intervals (grace, 2×,
// 4× ...) until the forks have returned.
//
// The scope's body counts like a fork: a body still running when the report
// is due (say, one waiting on a channel that a failed fork will never send
// on) is listed with Kind "body", where Supervised or Run was called.
//
// report receives each report; a nil report logs it as one warning with
// [slog.Warn]. report runs on a goroutine of its own; calls for one scope
// never overlap, but calls for different scopes may. The scope waits for a
// report being delivered before it returns. A report handler that panics
// does not crash the program: the panic and the report are logged with
// [slog.Error], and later reports are still delivered.
//
// The option applies to the scopes nested in this one too (through the
// context), unless they set their own. It panics if grace is not positive.
func WithStuckReport(grace time.Duration, report func(StuckReport)) Option {
	if grace <= 0 {
		panic(fmt.Sprintf("scope: WithStuckReport called with grace %v; grace must be positive", grace))
	}
	return diagOption(func(d *diag) { d.grace, d.report = grace, report })
}

// WithProfilerLabels labels the goroutines of the scope's forks for the
// profiler: "corral.scope" holds the scope's name and "corral.fork" the
// fork's, so a goroutine profile (/debug/pprof/goroutine?debug=1) shows
// which scope owns each goroutine. Nested scopes inherit the option. It costs
// a few allocations per fork, which is why it is not on by default.
func WithProfilerLabels() Option {
	return diagOption(func(d *diag) { d.labels = true })
}

// WithTrace records the scope as a [runtime/trace] task and each fork as a
// region in it, so that `go tool trace` shows the scope tree. Nested scopes
// inherit the option.
func WithTrace() Option {
	return diagOption(func(d *diag) { d.trace = true })
}

// WithMonitor registers the scope, and the scopes nested in it, with m while
// they run, so that [Monitor.Snapshot] can list them.
func WithMonitor(m *Monitor) Option {
	if m == nil {
		panic("scope: WithMonitor called with nil monitor")
	}
	return diagOption(func(d *diag) { d.monitor = m })
}

type diagOption func(*diag)

func (f diagOption) apply(c *config) {
	diagUsed.Store(true)
	if c.diag == nil {
		c.diag = &diag{}
	}
	f(c.diag)
}

// A StuckReport lists the forks of a scope that were still running a while
// after the scope's context was cancelled. See [WithStuckReport].
type StuckReport struct {
	Scope   string        // the scope, as [Scope.String] describes it
	Waiting time.Duration // how long since the scope's context was cancelled
	Cause   error         // the cancellation cause: a failure, or ErrScopeEnded
	Forks   []ForkInfo    // the forks still running
}

// String formats the report over several lines, one per fork.
func (r StuckReport) String() string {
	var b strings.Builder
	what := fmt.Sprintf("%d fork(s)", len(r.Forks))
	if len(r.Forks) > 0 && r.Forks[0].Kind == "body" {
		what = fmt.Sprintf("its body and %d fork(s)", len(r.Forks)-1)
	}
	fmt.Fprintf(&b, "corral: %s cancelled %v ago (cause: %v) still waits for %s:",
		r.Scope, r.Waiting.Round(time.Millisecond), r.Cause, what)
	for _, f := range r.Forks {
		fmt.Fprintf(&b, "\n\t%s", f)
	}
	return b.String()
}

func defaultReport(r StuckReport) {
	slog.Warn("corral: forks do not stop after their scope was cancelled",
		"scope", r.Scope, "waiting", r.Waiting, "cause", r.Cause, "report", r.String())
}

// ForkInfo describes a running fork, or a scope's body that is still
// running, in a [StuckReport] or a [Monitor.Snapshot].
type ForkInfo struct {
	Name     string        // the fork's name (see fork.WithName and Scope.GoNamed), or ""
	Function string        // the fork's function, or the scope's body
	Kind     string        // "awaited", "daemon", "unsupervised", or "body" for the scope's body
	File     string        // where the fork was started
	Line     int           // where the fork was started
	Started  time.Time     // when the fork was started
	Running  time.Duration // how long it had been running when described
}

// String describes the fork, or the body, on one line.
func (f ForkInfo) String() string {
	if f.Kind == "body" {
		return fmt.Sprintf("body %s, called at %s:%d, running for %v",
			f.Function, f.File, f.Line, f.Running.Round(time.Millisecond))
	}
	name := f.Function
	if f.Name != "" {
		name = fmt.Sprintf("%q (%s)", f.Name, f.Function)
	}
	return fmt.Sprintf("%s fork %s started at %s:%d, running for %v",
		f.Kind, name, f.File, f.Line, f.Running.Round(time.Millisecond))
}

func (s *Scope) forkInfosLocked(now time.Time) []ForkInfo {
	infos := make([]ForkInfo, 0, len(s.info.forks)+1)
	if !s.bodyDone {
		file, line := siteOf(s.info.bodySite[:])
		infos = append(infos, ForkInfo{
			Function: s.label(), Kind: "body", File: file, Line: line,
			Started: s.info.started, Running: now.Sub(s.info.started),
		})
	}
	for r := range s.info.forks {
		file, line := r.where()
		infos = append(infos, ForkInfo{
			Name: r.name, Function: funcName(r.fn), Kind: kindName(r.kind),
			File: file, Line: line, Started: r.started, Running: now.Sub(r.started),
		})
	}
	sortForks(infos)
	return infos
}

func kindName(k kind) string {
	switch {
	case !k.awaited():
		return "daemon"
	case k&unsupervisedKind != 0:
		return "unsupervised"
	}
	return "awaited"
}

// armOnCancel arranges for the stuck-fork clock to start when the scope's
// context is cancelled.
func (s *Scope) armOnCancel() {
	if s.diag.grace > 0 {
		s.info.stopAfter = context.AfterFunc(s.ctx, s.armStuckReport)
	}
}
