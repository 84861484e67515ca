package dispatcher_test

import (
	"context"
	"errors"
	"testing"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

func TestSubmitReportsResult(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		give func(s *scope.Scope) error
		want func(err error) bool
	}{
		{"nil", func(*scope.Scope) error { return nil }, func(err error) bool { return err == nil }},
		{"error", func(*scope.Scope) error { return errBoom }, func(err error) bool { return err == errBoom }},
		{"fork error", func(s *scope.Scope) error {
			s.Go(func(context.Context) error { return errBoom })
			return nil
		}, func(err error) bool { return errors.Is(err, errBoom) }},
		{"panic", func(*scope.Scope) error { panic(errBoom) }, func(err error) bool {
			var pe *scope.PanicError
			return errors.As(err, &pe) && errors.Is(err, errBoom)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
				task := dispatcher.New(s).Submit(tt.give)
				if err := wait(t, task); !tt.want(err) {
					t.Errorf("Wait = %v", err)
				}
				within(t, task.Done(), "Done")
				return nil
			})
			if err != nil {
				t.Errorf("outer scope = %v: a Submit task's failure must not reach it", err)
			}
		})
	}
}

func TestWaitContextEndsOnlyTheWaiting(t *testing.T) {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		release := make(chan struct{})
		task := dispatcher.New(s).Submit(func(s *scope.Scope) error {
			<-release
			return nil
		})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := task.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait with ended ctx = %v, want context.Canceled", err)
		}
		close(release)
		if err := wait(t, task); err != nil {
			t.Errorf("Wait = %v, want nil: the task was not cancelled", err)
		}
		return nil
	})
}

func TestCancelBeforeStart(t *testing.T) {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1))
		started, release := make(chan struct{}), make(chan struct{})
		first := d.Submit(func(s *scope.Scope) error {
			close(started)
			<-release
			return nil
		})
		within(t, started, "first task")
		var ran bool
		queued := d.Submit(func(s *scope.Scope) error { ran = true; return nil })
		after := d.Submit(func(s *scope.Scope) error { return nil })
		queued.Cancel()
		queued.Cancel() // no effect
		within(t, queued.Done(), "the cancelled task's Done")
		close(release)
		for _, task := range []*dispatcher.Task{first, after} {
			if err := wait(t, task); err != nil {
				t.Errorf("Wait = %v", err)
			}
		}
		if err := wait(t, queued); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled task: Wait = %v, want context.Canceled", err)
		}
		if ran {
			t.Error("a task cancelled before it started ran")
		}
		return nil
	})
}

func TestCancelWhileRunning(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		started := make(chan struct{})
		cause := make(chan error, 1)
		task := d.Submit(func(s *scope.Scope) error {
			close(started)
			<-s.Context().Done()
			cause <- context.Cause(s.Context())
			return errors.New("body's own error, superseded by the cancellation")
		})
		other := d.Submit(func(s *scope.Scope) error { return nil })
		within(t, started, "the task")
		task.Cancel()
		if err := wait(t, task); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want context.Canceled", err)
		}
		if got := within(t, cause, "the cause"); !errors.Is(got, context.Canceled) {
			t.Errorf("task context cause = %v", got)
		}
		if err := wait(t, other); err != nil {
			t.Errorf("other task = %v", err)
		}
		return s.Context().Err()
	})
	if err != nil {
		t.Fatalf("outer = %v: Cancel must cancel only its task", err)
	}
}

func TestCancelAfterDoneHasNoEffect(t *testing.T) {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		task := dispatcher.New(s).Submit(func(*scope.Scope) error { return nil })
		_ = wait(t, task)
		task.Cancel()
		if err := wait(t, task); err != nil {
			t.Errorf("Wait after a late Cancel = %v, want nil", err)
		}
		return nil
	})
}

func TestOuterEndDropsQueuedAndCancelsRunning(t *testing.T) {
	e := newErrs()
	var running, queued *dispatcher.Task
	var ranQueued bool
	tr := new(trail)
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1))
		started := make(chan struct{})
		running = d.Submit(func(s *scope.Scope) error {
			close(started)
			<-s.Context().Done()
			tr.add("running task cancelled")
			return s.Context().Err()
		})
		within(t, started, "the running task")
		queued = d.Submit(func(*scope.Scope) error { ranQueued = true; return nil })
		_ = d.RunAsync(func(*scope.Scope) error { ranQueued = true; return nil }, func(err error) {
			tr.add("dropped: %v", err)
			e.onError(err)
		})
		return nil
	})
	tr.add("outer ended")
	if err != nil {
		t.Fatalf("Supervised = %v", err)
	}
	if ranQueued {
		t.Error("a queued task started after the outer scope ended")
	}
	for _, task := range []*dispatcher.Task{running, queued} {
		select {
		case <-task.Done():
		default:
			t.Fatal("a handle is not done when the outer scope has returned")
		}
	}
	if err := wait(t, queued); !errors.Is(err, dispatcher.ErrClosed) {
		t.Errorf("queued task: Wait = %v, want ErrClosed", err)
	}
	if err := wait(t, running); !errors.Is(err, context.Canceled) {
		t.Errorf("running task: Wait = %v, want context.Canceled", err)
	}
	got := tr.get()
	if len(got) != 3 || got[2] != "outer ended" {
		t.Errorf("trail = %q: both must happen before the outer scope returns", got)
	}
}
