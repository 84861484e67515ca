package dispatcher_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

type ctxKey struct{}

func TestRunAsyncFromForeignGoroutine(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey{}, "outer value")
	got := make(chan any, 1)
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		d := dispatcher.New(s)
		// A library's goroutine, outside any scope, calls back.
		callback := make(chan error)
		go func() {
			callback <- d.RunAsync(func(s *scope.Scope) error {
				got <- s.Context().Value(ctxKey{})
				return nil
			}, nil)
		}()
		if err := within(t, callback, "RunAsync"); err != nil {
			t.Errorf("RunAsync = %v", err)
		}
		if v := within(t, got, "the task"); v != "outer value" {
			t.Errorf("task context value = %v", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTaskContextDerivesFromOuter(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey{}, "outer value")
	_ = scope.Supervised(ctx, func(s *scope.Scope) error {
		d := dispatcher.New(s)
		task := d.Submit(func(s *scope.Scope) error {
			if v := s.Context().Value(ctxKey{}); v != "outer value" {
				t.Errorf("task context value = %v", v)
			}
			return nil
		})
		return wait(t, task)
	})
}

func TestTaskRunsInNestedScope(t *testing.T) {
	tr := new(trail)
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		task := d.Submit(func(ts *scope.Scope) error {
			ts.GoDaemon(func(ctx context.Context) error {
				<-ctx.Done()
				tr.add("daemon cancelled: %v", context.Cause(ctx))
				return nil
			})
			ts.Go(func(ctx context.Context) error {
				tr.add("fork")
				return nil
			})
			return nil
		})
		if err := wait(t, task); err != nil {
			t.Errorf("Wait = %v", err)
		}
		tr.add("task done")
		if err := s.Context().Err(); err != nil {
			t.Errorf("outer scope cancelled by the task's end: %v", err)
		}
		return nil
	})
	want := []string{"fork", "daemon cancelled: scope: ended", "task done"}
	if got := tr.get(); !slices.Equal(got, want) {
		t.Errorf("trail = %q, want %q", got, want)
	}
}

func TestDispatcherDoesNotKeepOuterOpen(t *testing.T) {
	e := newErrs()
	var cancelled atomic.Bool
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		started := make(chan struct{})
		_ = d.RunAsync(func(s *scope.Scope) error {
			close(started)
			<-s.Context().Done()
			cancelled.Store(true)
			return s.Context().Err() // an echo of the end: not reported
		}, e.onError)
		within(t, started, "the task to start")
		return nil // the scope ends although the dispatcher and task live
	})
	if err != nil {
		t.Fatalf("Supervised = %v", err)
	}
	if !cancelled.Load() {
		t.Error("the running task was not cancelled and awaited")
	}
	if got := e.all(); len(got) != 0 {
		t.Errorf("onError got %v for a task cancelled by the end", got)
	}
}

func TestFailureIsIsolated(t *testing.T) {
	errBoom := errors.New("boom")
	e := newErrs()
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		otherStarted, release := make(chan struct{}), make(chan struct{})
		other := d.Submit(func(s *scope.Scope) error {
			close(otherStarted)
			<-release
			return s.Context().Err()
		})
		within(t, otherStarted, "the other task")
		_ = d.RunAsync(func(s *scope.Scope) error { return errBoom }, e.onError)
		_ = d.RunAsync(func(s *scope.Scope) error { panic("kaboom") }, e.onError)
		within(t, e.got, "the error")
		within(t, e.got, "the panic")
		close(release)
		if err := wait(t, other); err != nil {
			t.Errorf("other task = %v, want nil (not cancelled)", err)
		}
		return s.Context().Err()
	})
	if err != nil {
		t.Fatalf("outer scope = %v, want nil", err)
	}
	got := e.all()
	var pe *scope.PanicError
	i := slices.IndexFunc(got, func(err error) bool { return errors.As(err, &pe) })
	if i < 0 || pe.Value != "kaboom" || len(pe.Stack) == 0 {
		t.Fatalf("onError got %v, want a *scope.PanicError for kaboom with its stack", got)
	}
	if !strings.Contains(string(pe.Stack), "TestFailureIsIsolated") {
		t.Errorf("panic stack does not show the panicking function:\n%s", pe.Stack)
	}
	if !errors.Is(got[1-i], errBoom) {
		t.Errorf("onError got %v, want %v", got[1-i], errBoom)
	}
}

func TestNilOnErrorFailsOuter(t *testing.T) {
	errBoom := errors.New("boom")
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		_ = d.RunAsync(func(s *scope.Scope) error { return errBoom }, nil)
		<-s.Context().Done() // the task's failure cancels the outer scope
		return nil
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Supervised = %v, want %v", err, errBoom)
	}
}

func TestNilOnErrorPanicFailsOuter(t *testing.T) {
	v := mustPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s)
			_ = d.RunAsync(func(s *scope.Scope) error { panic("kaboom") }, nil)
			<-s.Context().Done()
			return nil
		})
	})
	pe, ok := v.(*scope.PanicError)
	if !ok || pe.Value != "kaboom" {
		t.Fatalf("Supervised panicked with %v, want *scope.PanicError for kaboom", v)
	}
}

func TestClosedAfterOuterEnds(t *testing.T) {
	var d *dispatcher.Dispatcher
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d = dispatcher.New(s)
		return nil
	})
	noop := func(*scope.Scope) error { return nil }
	if err := d.RunAsync(noop, nil); !errors.Is(err, dispatcher.ErrClosed) {
		t.Errorf("RunAsync = %v, want ErrClosed", err)
	}
	task := d.Submit(noop)
	select {
	case <-task.Done():
	default:
		t.Fatal("handle of a task submitted after the end is not done")
	}
	if err := wait(t, task); !errors.Is(err, dispatcher.ErrClosed) {
		t.Errorf("Wait = %v, want ErrClosed", err)
	}
	if err := d.NewLane().RunAsync(noop, nil); !errors.Is(err, dispatcher.ErrClosed) {
		t.Errorf("Lane.RunAsync = %v, want ErrClosed", err)
	}
}

func TestClosedWhenOuterFails(t *testing.T) {
	errStop := errors.New("stop")
	var d *dispatcher.Dispatcher
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d = dispatcher.New(s)
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Supervised = %v", err)
	}
	if err := d.RunAsync(func(*scope.Scope) error { return nil }, nil); !errors.Is(err, dispatcher.ErrClosed) {
		t.Errorf("RunAsync = %v, want ErrClosed", err)
	}
}

func TestMisusePanics(t *testing.T) {
	var (
		noCtx   context.Context
		nilD    *dispatcher.Dispatcher
		nilTask *dispatcher.Task
	)
	ended := endedScope()
	tests := []struct {
		name string
		give func(d *dispatcher.Dispatcher, s *scope.Scope)
		want string
	}{
		{"New nil outer", func(*dispatcher.Dispatcher, *scope.Scope) { dispatcher.New(nil) }, "dispatcher: New called with nil outer"},
		{"New ended scope", func(*dispatcher.Dispatcher, *scope.Scope) { dispatcher.New(ended) }, "dispatcher: New called with a scope that has ended"},
		{"RunAsync nil task", func(d *dispatcher.Dispatcher, _ *scope.Scope) { _ = d.RunAsync(nil, nil) }, "dispatcher: RunAsync called with nil task"},
		{"Submit nil task", func(d *dispatcher.Dispatcher, _ *scope.Scope) { d.Submit(nil) }, "dispatcher: Submit called with nil task"},
		{"lane RunAsync nil task", func(d *dispatcher.Dispatcher, _ *scope.Scope) { _ = d.NewLane().RunAsync(nil, nil) }, "dispatcher: RunAsync called with nil task"},
		{"RunAsync nil receiver", func(*dispatcher.Dispatcher, *scope.Scope) { _ = nilD.RunAsync(noop, nil) }, "dispatcher: RunAsync called on a nil *Dispatcher"},
		{"Submit nil receiver", func(*dispatcher.Dispatcher, *scope.Scope) { nilD.Submit(noop) }, "dispatcher: Submit called on a nil *Dispatcher"},
		{"NewLane nil receiver", func(*dispatcher.Dispatcher, *scope.Scope) { nilD.NewLane() }, "dispatcher: NewLane called on a nil *Dispatcher"},
		{"Shutdown nil receiver", func(*dispatcher.Dispatcher, *scope.Scope) { _ = nilD.Shutdown(context.Background()) }, "dispatcher: Shutdown called on a nil *Dispatcher"},
		{"Shutdown nil ctx", func(d *dispatcher.Dispatcher, _ *scope.Scope) { _ = d.Shutdown(noCtx) }, "dispatcher: Shutdown called with nil ctx; pass context.Background()"},
		{"Wait nil ctx", func(d *dispatcher.Dispatcher, _ *scope.Scope) { _ = d.Submit(noop).Wait(noCtx) }, "dispatcher: Wait called with nil ctx; pass context.Background()"},
		{"Wait nil receiver", func(*dispatcher.Dispatcher, *scope.Scope) { _ = nilTask.Wait(context.Background()) }, "dispatcher: Wait called on a nil *Task"},
		{"Cancel nil receiver", func(*dispatcher.Dispatcher, *scope.Scope) { nilTask.Cancel() }, "dispatcher: Cancel called on a nil *Task"},
		{"Done nil receiver", func(*dispatcher.Dispatcher, *scope.Scope) { nilTask.Done() }, "dispatcher: Done called on a nil *Task"},
		{"Await nil ctx", func(*dispatcher.Dispatcher, *scope.Scope) {
			_, _ = dispatcher.Await(noCtx, func(func(int, error)) func() { return nil })
		}, "dispatcher: Await called with nil ctx; pass context.Background()"},
		{"mailbox without limit", func(_ *dispatcher.Dispatcher, s *scope.Scope) {
			dispatcher.New(s, dispatcher.WithMailbox(1, dispatcher.Reject))
		}, "dispatcher: New called with WithMailbox but without WithLimit or WithRateLimit"},
		{"negative mailbox", func(*dispatcher.Dispatcher, *scope.Scope) { dispatcher.WithMailbox(-1, dispatcher.Block) }, "dispatcher: WithMailbox called with negative n"},
		{"unknown policy", func(*dispatcher.Dispatcher, *scope.Scope) { dispatcher.WithMailbox(1, dispatcher.Policy(7)) }, "dispatcher: WithMailbox called with unknown policy"},
		{"limit 0", func(*dispatcher.Dispatcher, *scope.Scope) { dispatcher.WithLimit(0) }, "dispatcher: WithLimit called with n < 1"},
		{"max running 0", func(*dispatcher.Dispatcher, *scope.Scope) { dispatcher.WithMaxRunning(0) }, "dispatcher: WithMaxRunning called with n < 1"},
		{"nil rate limiter", func(*dispatcher.Dispatcher, *scope.Scope) { dispatcher.WithRateLimit(nil) }, "dispatcher: WithRateLimit called with nil limiter"},
		{"nil option", func(_ *dispatcher.Dispatcher, s *scope.Scope) { dispatcher.New(s, nil) }, "dispatcher: New called with a nil option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
				d := dispatcher.New(s)
				v := mustPanic(t, func() { tt.give(d, s) })
				if msg, _ := v.(string); !strings.HasPrefix(msg, tt.want) {
					t.Errorf("panic = %v, want prefix %q", v, tt.want)
				}
				return nil
			})
		})
	}
}

// endedScope returns a scope that has ended.
func endedScope() *scope.Scope {
	var ended *scope.Scope
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error { ended = s; return nil })
	return ended
}

func TestEveryTaskStartsAtOnce(t *testing.T) {
	// Each task waits until all of them are running: this completes only
	// if no accepted task waits for another to end, however the runners
	// are reused.
	const n = 200
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		var started atomic.Int32
		all := make(chan struct{})
		handles := make([]*dispatcher.Task, 0, n)
		for range n {
			handles = append(handles, d.Submit(func(s *scope.Scope) error {
				if started.Add(1) == n {
					close(all)
				}
				<-all
				return nil
			}))
		}
		for _, h := range handles {
			if err := wait(t, h); err != nil {
				t.Fatalf("Wait = %v", err)
			}
		}
		return nil
	})
}
