package scope_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/scope"
)

// Issue 11, item 1: the failure a scope returns is always the cause of its
// context. A daemon that fails just as the last awaited fork ends raced the
// normal end: Supervised returned the failure while the context's cause was
// ErrScopeEnded (about 1 run in 1,000 before the fix).
func TestFailureIsAlwaysTheCause(t *testing.T) {
	boom := errors.New("boom")
	for i := range 3000 {
		var ctx context.Context
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			ctx = s.Context()
			release := make(chan struct{})
			s.GoDaemon(func(context.Context) error { <-release; return boom })
			s.Go(func(context.Context) error { close(release); return nil })
			return nil
		})
		if err == nil {
			continue // the daemon lost the race to the normal end: discarded
		}
		if err != boom || context.Cause(ctx) != boom {
			t.Fatalf("run %d: Supervised = %v, cause = %v; want both %v", i, err, context.Cause(ctx), boom)
		}
	}
}

// Issue 11, item 5: a release that calls runtime.Goexit does not keep the
// releases registered before it from running, as Go's deferred calls do.
func TestReleaseGoexitRunsEarlierReleases(t *testing.T) {
	var ran []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Defer(func() { ran = append(ran, "first") })
			s.Defer(func() { ran = append(ran, "second") })
			s.Defer(func() { runtime.Goexit() })
			s.Defer(func() { ran = append(ran, "last") })
			return nil
		})
		ran = append(ran, "returned") // never: the goroutine is exiting
	}()
	<-done
	if got := strings.Join(ran, " "); got != "last second first" {
		t.Fatalf("releases ran: %q, want %q", got, "last second first")
	}
}

// Issue 11, item 6: a report handler that panics does not crash the process
// (it runs on a timer's goroutine): the panic is logged and later reports
// are still delivered.
func TestStuckReportHandlerPanics(t *testing.T) {
	var logged bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	defer slog.SetDefault(old)
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		report := func(scope.StuckReport) {
			calls++
			if calls == 1 {
				panic("handler bug")
			}
		}
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.GoDaemon(func(context.Context) error { time.Sleep(5 * time.Second); return nil })
			return nil
		}, scope.WithStuckReport(time.Second, report))
		if calls < 2 {
			t.Errorf("handler called %d times, want the reports after the panicking one too", calls)
		}
	})
	if !strings.Contains(logged.String(), "handler panicked") || !strings.Contains(logged.String(), "handler bug") {
		t.Errorf("log = %q, want the handler's panic", logged.String())
	}
}

// Issue 11, item 10: a body that waits for something a failed fork will
// never send is the commonest hang. The stuck report names the body and
// where the scope was started, and the scope reads "cancelling" as the docs
// say a failed scope does.
func TestStuckReportNamesTheBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := scope.NewMonitor()
		var reports []scope.StuckReport
		boom := errors.New("boom")
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			never := make(chan int)
			s.Go(func(context.Context) error { return boom }) // would have sent on never
			<-s.Context().Done()
			snap := m.Snapshot()
			if len(snap) != 1 || snap[0].State != "cancelling" {
				t.Errorf("snapshot of a failed scope = %+v, want state cancelling", snap)
			}
			select {
			case <-never:
			case <-time.After(3 * time.Second): // the bug being diagnosed: a wait that ignores ctx
			}
			return nil
		}, scope.WithName("hang"), scope.WithMonitor(m), scope.WithStuckReport(time.Second, func(r scope.StuckReport) {
			reports = append(reports, r)
		}))
		if err != boom {
			t.Fatalf("Supervised = %v, want %v", err, boom)
		}
		if len(reports) == 0 {
			t.Fatal("no stuck report for a body that does not return")
		}
		r := reports[0]
		if r.Cause != boom || len(r.Forks) != 1 || r.Forks[0].Kind != "body" ||
			!strings.HasSuffix(r.Forks[0].File, "reliability_test.go") {
			t.Fatalf("report = %+v, want the body, started in this file, with cause %v", r, boom)
		}
		if s := r.String(); !strings.Contains(s, "still waits for its body and 0 fork(s)") || !strings.Contains(s, "body hang, called at") {
			t.Errorf("report text = %q, want the body described", s)
		}
	})
}

// Issue 11, item 15: bad input panics at the call, naming the function and
// the argument, and says what to do.
func TestBadInputMessages(t *testing.T) {
	var nilScope *scope.Scope
	nilCtx := context.Context(nil)
	for _, tc := range []struct {
		name string
		give func()
		want string
	}{
		{"Supervised nil ctx", func() { _ = scope.Supervised(nilCtx, func(*scope.Scope) error { return nil }) },
			"scope: Supervised called with nil ctx; pass context.Background()"},
		{"Run nil ctx", func() { _, _ = scope.Run(nilCtx, func(*scope.Scope) (int, error) { return 0, nil }) },
			"scope: Run called with nil ctx"},
		{"Go on nil scope", func() { nilScope.Go(func(context.Context) error { return nil }) },
			"scope: Go called on a nil *Scope"},
		{"Defer on nil scope", func() { nilScope.Defer(func() {}) }, "scope: Defer called on a nil *Scope"},
		{"Context on nil scope", func() { _ = nilScope.Context() }, "scope: Context called on a nil *Scope"},
		{"Start nil job", func() {
			_ = scope.Supervised(context.Background(), func(s *scope.Scope) error { s.Start(scope.ForkSpec{}, nil); return nil })
		}, "scope: Start called with nil job"},
		{"WithLimit 0", func() { scope.WithLimit(0) }, "scope: WithLimit called with n = 0"},
		{"nil option", func() { _ = scope.Supervised(context.Background(), func(*scope.Scope) error { return nil }, nil) },
			"scope: Supervised called with a nil Option"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := panicMessage(tc.give); !strings.Contains(got, tc.want) {
				t.Errorf("panic = %q, want it to contain %q", got, tc.want)
			}
		})
	}
}
