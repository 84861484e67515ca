package scope_test

import (
	"bytes"
	"context"
	"errors"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/scope"
)

// stuckFork ignores its context for d.
func stuckFork(d time.Duration) func(context.Context) error {
	return func(context.Context) error { time.Sleep(d); return nil }
}

func TestStuckForkReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var reports []scope.StuckReport
		errBoom := errors.New("boom")
		start := time.Now()
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.GoNamed("poller", stuckFork(time.Minute)) // the line the report must name
			s.Go(func(ctx context.Context) error { <-ctx.Done(); return nil })
			return errBoom
		}, scope.WithName("ingest"), scope.WithStuckReport(5*time.Second, func(r scope.StuckReport) {
			mu.Lock()
			reports = append(reports, r)
			mu.Unlock()
		}))
		if err != errBoom {
			t.Fatalf("Supervised() = %v, want %v", err, errBoom)
		}
		if got := time.Since(start); got != time.Minute {
			t.Errorf("scope ended after %v, want the stuck fork's minute", got)
		}
		// Reports at 5s, 10s, 20s, 40s after cancellation, then the fork ends at 60s.
		var waits []time.Duration
		for _, r := range reports {
			waits = append(waits, r.Waiting)
		}
		want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second}
		if !equalDurations(waits, want) {
			t.Fatalf("reports after %v, want %v", waits, want)
		}
		r := reports[0]
		if r.Scope != `scope "ingest"` || r.Cause != errBoom || len(r.Forks) != 1 {
			t.Fatalf("report = %+v, want scope ingest, cause boom, one fork", r)
		}
		f := r.Forks[0]
		if f.Name != "poller" || !strings.HasSuffix(f.File, "diag_test.go") || f.Line == 0 || f.Running != 5*time.Second {
			t.Errorf("fork = %+v, want poller started in diag_test.go, running 5s", f)
		}
		if !strings.Contains(f.Function, "stuckFork") || f.Kind != "awaited" {
			t.Errorf("fork = %+v, want function stuckFork, kind awaited", f)
		}
		text := r.String()
		for _, w := range []string{`scope "ingest"`, `"poller"`, "diag_test.go:", "boom", "5s"} {
			if !strings.Contains(text, w) {
				t.Errorf("String() = %q, want it to contain %q", text, w)
			}
		}
	})
}

func TestStuckDaemonReportedAfterNormalEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got []scope.StuckReport
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.GoDaemon(stuckFork(3 * time.Second))
			return nil
		}, scope.WithStuckReport(time.Second, func(r scope.StuckReport) { got = append(got, r) }))
		if len(got) != 2 || got[0].Cause != scope.ErrScopeEnded || got[0].Forks[0].Kind != "daemon" {
			t.Fatalf("reports = %+v, want two about the daemon after ErrScopeEnded", got)
		}
	})
}

func TestNoReportWhenForksEndInTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reported := false
		report := func(scope.StuckReport) { reported = true }
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Go(stuckFork(time.Second)) // ends before the grace period
			s.Go(func(ctx context.Context) error { return errors.New("fail") })
			return nil
		}, scope.WithStuckReport(2*time.Second, report))
		if err == nil {
			t.Fatal("want the failure")
		}
		time.Sleep(time.Hour) // no timer may fire after the scope ended
		if reported {
			t.Error("a report was delivered although every fork ended within the grace period")
		}
	})
}

func TestNestedScopesInheritStuckReport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var scopes []string
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			return scope.Supervised(s.Context(), func(inner *scope.Scope) error {
				inner.Go(stuckFork(1500 * time.Millisecond))
				return errors.New("inner failed")
			}, scope.WithName("inner"))
		}, scope.WithStuckReport(time.Second, func(r scope.StuckReport) { scopes = append(scopes, r.Scope) }))
		if len(scopes) != 1 || scopes[0] != `scope "inner"` {
			t.Errorf("reports from %v, want one from the inner scope", scopes)
		}
	})
}

func TestMonitorSnapshot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := scope.NewMonitor()
		release := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
				s.GoNamed("outer-worker", func(ctx context.Context) error {
					return scope.Supervised(ctx, func(inner *scope.Scope) error {
						inner.GoNamed("inner-worker", func(context.Context) error { <-release; return nil })
						return nil
					}, scope.WithName("inner"))
				})
				return nil
			}, scope.WithName("root"), scope.WithMonitor(m))
		}()
		time.Sleep(time.Second)
		synctest.Wait()
		snap := m.Snapshot()
		if len(snap) != 1 {
			t.Fatalf("snapshot has %d roots, want 1: %+v", len(snap), snap)
		}
		root := snap[0]
		if root.Name != `scope "root"` || root.State != "ending" || root.Age != time.Second {
			t.Errorf("root = %+v", root)
		}
		if len(root.Forks) != 1 || root.Forks[0].Name != "outer-worker" {
			t.Errorf("root forks = %+v", root.Forks)
		}
		if len(root.Children) != 1 || root.Children[0].Name != `scope "inner"` ||
			len(root.Children[0].Forks) != 1 || root.Children[0].Forks[0].Name != "inner-worker" {
			t.Errorf("children = %+v", root.Children)
		}
		close(release)
		<-done
		if snap := m.Snapshot(); len(snap) != 0 {
			t.Errorf("snapshot after the end = %+v, want empty", snap)
		}
	})
}

func TestProfilerLabels(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.GoNamed("labelled-fork", func(context.Context) error {
			close(started)
			<-release
			return nil
		})
		<-started
		var buf bytes.Buffer
		if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
			return err
		}
		close(release)
		for _, w := range []string{`"corral.scope":"labels"`, `"corral.fork":"labelled-fork"`} {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("goroutine profile lacks %s", w)
			}
		}
		return nil
	}, scope.WithName("labels"), scope.WithProfilerLabels())
	if err != nil {
		t.Fatal(err)
	}
}

func TestTraceOptionRuns(t *testing.T) {
	// Without a trace being recorded, WithTrace must cost nothing visible
	// and change no behaviour.
	got, err := scope.Run(context.Background(), func(s *scope.Scope) (int, error) {
		s.Go(func(context.Context) error { return nil })
		return 1, nil
	}, scope.WithTrace())
	if got != 1 || err != nil {
		t.Errorf("Run() = %v, %v", got, err)
	}
}

func TestDiagnosticsBadInput(t *testing.T) {
	if msg := panicMessage(func() { scope.WithStuckReport(0, nil) }); !strings.Contains(msg, "grace") {
		t.Errorf("panic = %q", msg)
	}
	if msg := panicMessage(func() { scope.WithMonitor(nil) }); !strings.Contains(msg, "monitor") {
		t.Errorf("panic = %q", msg)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
