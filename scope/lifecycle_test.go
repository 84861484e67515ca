package scope_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/scope"
)

// Rule 5: a fork started in an ended scope panics naming the scope; one
// started while the scope shuts down starts with a cancelled context.
func TestForkAfterEndPanicsNamingScope(t *testing.T) {
	tests := []struct {
		name string
		opts []scope.Option
		want string
	}{
		{name: "named", opts: []scope.Option{scope.WithName("ingest")}, want: `scope "ingest"`},
		{name: "unnamed", want: "TestForkAfterEndPanicsNamingScope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var leaked *scope.Scope
			_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
				leaked = s
				return nil
			}, tt.opts...)
			for _, start := range []func(){
				func() { leaked.Go(func(context.Context) error { return nil }) },
				func() { leaked.GoDaemon(func(context.Context) error { return nil }) },
				func() { leaked.Defer(func() {}) },
			} {
				msg := panicMessage(start)
				if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "ended") {
					t.Errorf("panic = %q, want it to name %s and say it ended", msg, tt.want)
				}
			}
		})
	}
}

func TestForkDuringShutdownGetsCancelledContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		started := make(chan error, 1)
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.GoDaemon(func(ctx context.Context) error {
				<-ctx.Done() // the scope is shutting down now
				s.Go(func(ctx context.Context) error {
					started <- ctx.Err()
					return ctx.Err() // an echo after a normal end: dropped
				})
				return nil
			})
			return nil
		})
		if err != nil {
			t.Fatalf("Supervised() = %v, want nil", err)
		}
		if got := <-started; !errors.Is(got, context.Canceled) {
			t.Errorf("late fork's ctx.Err() = %v, want context.Canceled", got)
		}
	})
}

func TestForkDuringShutdownCanStillFail(t *testing.T) {
	errLate := errors.New("late fork failed")
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.GoDaemon(func(ctx context.Context) error {
			<-ctx.Done()
			s.Go(func(context.Context) error { return errLate })
			return nil
		})
		return nil
	})
	if err != errLate {
		t.Errorf("Supervised() = %v, want the awaited late fork's failure %v", err, errLate)
	}
}

func TestForkStartedFromOutsideWhileEnding(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		sc := make(chan *scope.Scope)
		done := make(chan error)
		go func() {
			done <- scope.Supervised(context.Background(), func(s *scope.Scope) error {
				s.Go(func(context.Context) error { <-release; return nil })
				sc <- s
				return nil
			})
		}()
		s := <-sc
		synctest.Wait() // the body has returned; the scope waits for its fork
		ran := make(chan bool, 1)
		s.Go(func(ctx context.Context) error { ran <- ctx.Err() == nil; return nil })
		close(release)
		if err := <-done; err != nil {
			t.Fatalf("Supervised() = %v", err)
		}
		if !<-ran {
			t.Error("a fork started while the scope awaited its forks got a cancelled context")
		}
	})
}

// Rule 6 is covered by the tests that check names in messages; this one
// checks that options do not leak between scopes.
func TestNameIsPerScope(t *testing.T) {
	pe := catchPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(outer *scope.Scope) error {
			return scope.Supervised(outer.Context(), func(*scope.Scope) error {
				panic("x")
			}, scope.WithName("inner"))
		}, scope.WithName("outer"))
	})
	if !strings.Contains(pe.Error(), `scope "inner"`) {
		t.Errorf("Error() = %q, want the inner scope's name", pe.Error())
	}
	if got := (&scope.PanicError{Value: "v"}).Error(); !strings.HasPrefix(got, "panic: v") {
		t.Errorf("Error() of a bare PanicError = %q", got)
	}
}

func TestBadInputPanics(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		give func()
		want string
	}{
		{"nil body", func() { _ = scope.Supervised(ctx, nil) }, "nil body"},
		{"nil Run body", func() { _, _ = scope.Run[int](ctx, nil) }, "nil body"},
		{"nil Go", func() {
			_ = scope.Supervised(ctx, func(s *scope.Scope) error { s.Go(nil); return nil })
		}, "nil f"},
		{"nil GoDaemon", func() {
			_ = scope.Supervised(ctx, func(s *scope.Scope) error { s.GoDaemon(nil); return nil })
		}, "nil f"},
		{"nil Defer", func() {
			_ = scope.Supervised(ctx, func(s *scope.Scope) error { s.Defer(nil); return nil })
		}, "nil release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := panicMessage(tt.give); !strings.Contains(msg, tt.want) || !strings.Contains(msg, "scope") {
				t.Errorf("panic = %q, want it to mention %q", msg, tt.want)
			}
		})
	}
}

func TestParentAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		ran = true
		s.Go(func(ctx context.Context) error { return ctx.Err() })
		return nil
	})
	if !ran {
		t.Error("body did not run")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Supervised() = %v, want context.Canceled from the fork", err)
	}
}

func TestParentCancellationReachesForks(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	errStop := errors.New("shutdown")
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			<-ctx.Done()
			return context.Cause(ctx)
		})
		cancel(errStop)
		return nil
	})
	if err != errStop {
		t.Errorf("Supervised() = %v, want the parent's cause %v", err, errStop)
	}
}

func TestNestedScopeFailureStaysInside(t *testing.T) {
	errInner := errors.New("inner")
	var outerCtxErr error
	err := scope.Supervised(context.Background(), func(outer *scope.Scope) error {
		got := scope.Supervised(outer.Context(), func(inner *scope.Scope) error {
			inner.Go(func(context.Context) error { return errInner })
			return nil
		})
		outerCtxErr = outer.Context().Err()
		if got != errInner {
			t.Errorf("inner Supervised() = %v, want %v", got, errInner)
		}
		return nil // handled
	})
	if err != nil || outerCtxErr != nil {
		t.Errorf("outer = %v, outer ctx = %v; want the inner failure handled inside", err, outerCtxErr)
	}
}

func TestOuterCancellationReachesNestedScope(t *testing.T) {
	errOuter := errors.New("outer")
	err := scope.Supervised(context.Background(), func(outer *scope.Scope) error {
		outer.Go(func(ctx context.Context) error {
			return scope.Supervised(ctx, func(inner *scope.Scope) error {
				inner.Go(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
				return nil
			})
		})
		return errOuter
	})
	if err != errOuter {
		t.Errorf("Supervised() = %v, want %v", err, errOuter)
	}
}

func TestRun(t *testing.T) {
	v, err := scope.Run(context.Background(), func(s *scope.Scope) (int, error) {
		var mu sync.Mutex
		sum := 0
		for i := range 10 {
			s.Go(func(context.Context) error { mu.Lock(); sum += i; mu.Unlock(); return nil })
		}
		return 7, nil
	})
	if v != 7 || err != nil {
		t.Errorf("Run() = %v, %v; want 7, nil", v, err)
	}
	errFork := errors.New("fork")
	v, err = scope.Run(context.Background(), func(s *scope.Scope) (int, error) {
		s.Go(func(context.Context) error { return errFork })
		return 7, nil
	})
	if v != 0 || err != errFork {
		t.Errorf("Run() = %v, %v; want 0, %v", v, err, errFork)
	}
}

func TestDeferFromFork(t *testing.T) {
	var tr trail
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Defer(func() { tr.add("body release") })
		s.Go(func(context.Context) error {
			s.Defer(func() { tr.add("fork release") })
			return nil
		})
		return nil
	})
	if got, want := tr.String(), "fork release,body release"; got != want {
		t.Errorf("events = %s, want %s", got, want)
	}
}

func TestReleasesRunOnFailure(t *testing.T) {
	ran := false
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Defer(func() { ran = true })
		return errors.New("fail")
	})
	if !ran {
		t.Error("release did not run after a failure")
	}
}

func TestString(t *testing.T) {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		if got := s.String(); got != `scope "db"` {
			t.Errorf("String() = %q", got)
		}
		return nil
	}, scope.WithName("db"))
}
