package dispatcher_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

func TestShutdownRunsEveryAcceptedTask(t *testing.T) {
	// The case: 1,000 tasks queued under a limit of 4 all run
	// before Shutdown returns nil.
	synctest.Test(t, func(t *testing.T) {
		const n = 1000
		var ran atomic.Int64
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(4))
			gate := make(chan struct{})
			for i := range n {
				if err := d.RunAsync(func(*scope.Scope) error {
					if i < 4 {
						<-gate // the first four hold the slots: the rest queue
					}
					ran.Add(1)
					return nil
				}, func(err error) { t.Errorf("onError(%v)", err) }); err != nil {
					t.Fatalf("RunAsync %d = %v", i, err)
				}
			}
			shut := make(chan error)
			go func() { shut <- d.Shutdown(context.Background()) }()
			synctest.Wait() // Shutdown waits for the tasks
			// From the call on, submissions are refused; the queue is not.
			if err := d.RunAsync(noop, nil); !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("RunAsync during Shutdown = %v, want ErrClosed", err)
			}
			if err := d.Submit(noop).Wait(context.Background()); !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("Submit during Shutdown: Wait = %v, want ErrClosed", err)
			}
			if err := d.NewLane().RunAsync(noop, nil); !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("a new lane's RunAsync during Shutdown = %v, want ErrClosed", err)
			}
			if got := ran.Load(); got != 0 {
				t.Errorf("%d tasks ran while the first four held the slots", got)
			}
			close(gate)
			if err := <-shut; err != nil {
				t.Errorf("Shutdown = %v, want nil", err)
			}
			if got := ran.Load(); got != n {
				t.Errorf("%d tasks ran before Shutdown returned, want %d", got, n)
			}
			if err := s.Context().Err(); err != nil {
				t.Errorf("Shutdown ended the outer scope: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestShutdownContextEndsFirst(t *testing.T) {
	// A short ctx: the running tasks are cancelled with cause ErrShutdown
	// and awaited, and each queued task is reported ErrClosed exactly once.
	synctest.Test(t, func(t *testing.T) {
		const n, limit = 100, 4
		var mu sync.Mutex
		reports := make(map[int][]error)
		var ran, causes atomic.Int64
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(limit))
			handles := make([]*dispatcher.Task, 0, n)
			for i := range n {
				body := func(s *scope.Scope) error {
					ran.Add(1)
					<-s.Context().Done() // runs until cancelled
					if errors.Is(context.Cause(s.Context()), dispatcher.ErrShutdown) {
						causes.Add(1)
					}
					return s.Context().Err() // an echo: not a failure
				}
				if i%2 == 0 {
					handles = append(handles, d.Submit(body))
					continue
				}
				_ = d.RunAsync(body, func(err error) {
					mu.Lock()
					reports[i] = append(reports[i], err)
					mu.Unlock()
				})
			}
			synctest.Wait()
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			start := time.Now()
			if err := d.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Shutdown = %v, want DeadlineExceeded", err)
			}
			if took := time.Since(start); took != time.Second {
				t.Errorf("Shutdown took %v, want its ctx's 1s", took)
			}
			// Everything is reported when Shutdown returns.
			var closed, canceled int
			for _, h := range handles {
				select {
				case <-h.Done():
				default:
					t.Fatal("a handle is not done when Shutdown has returned")
				}
				switch err := h.Wait(context.Background()); {
				case errors.Is(err, dispatcher.ErrClosed):
					closed++
				case errors.Is(err, context.Canceled):
					canceled++
				default:
					t.Errorf("handle: Wait = %v", err)
				}
			}
			if closed != n/2-limit/2 || canceled != limit/2 {
				t.Errorf("handles: %d ErrClosed, %d canceled; want %d and %d", closed, canceled, n/2-limit/2, limit/2)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Supervised = %v", err)
		}
		if r, c := ran.Load(), causes.Load(); r != limit || c != limit {
			t.Errorf("%d tasks ran, %d saw cause ErrShutdown; want %d and %d", r, c, limit, limit)
		}
		// Tasks 0 to 3 ran (0 and 2 handles, 1 and 3 RunAsync) and were
		// cancelled: the RunAsync ones only echo it, and are not
		// reported. Every other RunAsync task is reported dropped, once.
		for i := 5; i < n; i += 2 {
			if errs := reports[i]; len(errs) != 1 || !errors.Is(errs[0], dispatcher.ErrClosed) {
				t.Errorf("task %d reported %v, want ErrClosed once", i, errs)
			}
		}
		if len(reports) != n/2-limit/2 {
			t.Errorf("%d RunAsync tasks reported, want %d", len(reports), n/2-limit/2)
		}
	})
}

func TestShutdownTwiceFromManyGoroutines(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(2))
		gate := make(chan struct{})
		var ran atomic.Int64
		for range 50 {
			_ = d.RunAsync(func(*scope.Scope) error { <-gate; ran.Add(1); return nil }, nil)
		}
		results := make(chan error, 4)
		for range 4 {
			go func() { results <- d.Shutdown(context.Background()) }()
		}
		close(gate)
		for range 4 {
			if err := within(t, results, "Shutdown"); err != nil {
				t.Errorf("Shutdown = %v", err)
			}
		}
		if ran.Load() != 50 {
			t.Errorf("%d of 50 ran", ran.Load())
		}
		if err := d.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown after Shutdown = %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestShutdownFromInsideDoesNotWaitForItself(t *testing.T) {
	tests := []struct {
		name string
		call func(d *dispatcher.Dispatcher, result chan<- error)
	}{
		{"body", func(d *dispatcher.Dispatcher, result chan<- error) {
			_ = d.RunAsync(func(*scope.Scope) error {
				result <- d.Shutdown(context.Background()) // any context will do here
				return nil
			}, nil)
		}},
		{"onError", func(d *dispatcher.Dispatcher, result chan<- error) {
			_ = d.RunAsync(func(*scope.Scope) error { return errors.New("boom") }, func(error) {
				result <- d.Shutdown(context.Background())
			})
		}},
		{"task of a dispatcher made in a task", func(d *dispatcher.Dispatcher, result chan<- error) {
			d.Submit(func(s *scope.Scope) error {
				inner := dispatcher.New(s)
				return inner.Submit(func(s *scope.Scope) error {
					result <- d.Shutdown(s.Context())
					return nil
				}).Wait(s.Context())
			})
		}},
		{"fork with the task's context", func(d *dispatcher.Dispatcher, result chan<- error) {
			d.Submit(func(s *scope.Scope) error {
				s.Go(func(ctx context.Context) error {
					result <- d.Shutdown(ctx)
					return nil
				})
				return nil
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
				d := dispatcher.New(s)
				gate := make(chan struct{})
				var other atomic.Bool
				_ = d.RunAsync(func(*scope.Scope) error { <-gate; other.Store(true); return nil }, nil)
				result := make(chan error, 1)
				tt.call(d, result)
				if err := within(t, result, "Shutdown from inside"); err != nil {
					t.Errorf("Shutdown from inside = %v, want nil", err)
				}
				if err := d.RunAsync(noop, nil); !errors.Is(err, dispatcher.ErrClosed) {
					t.Errorf("RunAsync after Shutdown from inside = %v, want ErrClosed", err)
				}
				close(gate)
				if err := d.Shutdown(context.Background()); err != nil {
					t.Errorf("Shutdown from outside = %v", err)
				}
				if !other.Load() {
					t.Error("the other accepted task did not run to its end")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestShutdownTurnsBlockedSubmittersAway(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(1), dispatcher.WithMailbox(1, dispatcher.Block))
			release := occupy(t, d)
			var queuedRan atomic.Bool
			_ = d.RunAsync(func(*scope.Scope) error { queuedRan.Store(true); return nil }, nil) // in the mailbox
			blocked := make(chan error, 2)
			go func() { blocked <- d.RunAsync(noop, nil) }()
			go func() { blocked <- d.Submit(noop).Wait(context.Background()) }()
			synctest.Wait()
			shut := make(chan error)
			go func() { shut <- d.Shutdown(context.Background()) }()
			for range 2 {
				if err := <-blocked; !errors.Is(err, dispatcher.ErrClosed) {
					t.Errorf("blocked submitter = %v, want ErrClosed", err)
				}
			}
			close(release)
			if err := <-shut; err != nil {
				t.Errorf("Shutdown = %v", err)
			}
			if !queuedRan.Load() {
				t.Error("the task accepted into the mailbox did not run")
			}
			return nil
		})
	})
}

func TestShutdownAfterOuterEnd(t *testing.T) {
	var d *dispatcher.Dispatcher
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d = dispatcher.New(s)
		return nil
	})
	if err := d.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown after the outer end = %v, want nil", err)
	}
}

func TestShutdownWithoutTasks(t *testing.T) {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := d.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown of an idle dispatcher = %v, want nil even with an ended ctx", err)
		}
		return nil
	})
}

// noop is a task that does nothing.
func noop(*scope.Scope) error { return nil }

func TestShutdownFromDroppedTasksOnError(t *testing.T) {
	// The onError of a task dropped by a forced shutdown runs in a fork of
	// the dispatcher's own: a Shutdown called there does not wait either.
	synctest.Test(t, func(t *testing.T) {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(1))
			_ = d.RunAsync(func(s *scope.Scope) error { <-s.Context().Done(); return nil }, nil)
			inner := make(chan error, 1)
			_ = d.RunAsync(noop, func(err error) { inner <- d.Shutdown(context.Background()) })
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := d.Shutdown(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("Shutdown = %v, want context.Canceled", err)
			}
			if err := <-inner; err != nil {
				t.Errorf("Shutdown from the dropped task's onError = %v, want nil", err)
			}
			return nil
		})
	})
}

func TestShutdownEndsTheDispatchersForks(t *testing.T) {
	// Once Shutdown has returned nil, the dispatcher's runners (idle ones
	// included) and its own fork return, while the outer scope runs on.
	synctest.Test(t, func(t *testing.T) {
		m := scope.NewMonitor()
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s)
			for range 20 {
				_ = d.RunAsync(noop, nil)
			}
			if err := d.Shutdown(context.Background()); err != nil {
				t.Errorf("Shutdown = %v", err)
			}
			synctest.Wait()
			for _, info := range m.Snapshot() {
				for _, f := range info.Forks {
					if strings.HasPrefix(f.Name, "dispatcher") {
						t.Errorf("fork %s still running after Shutdown", f)
					}
				}
			}
			return nil
		}, scope.WithMonitor(m))
	})
}
