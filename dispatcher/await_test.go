package dispatcher_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/dispatcher"
)

// fakeAPI is a one-shot callback API: Start calls back once, from another
// goroutine, when the test says so.
type fakeAPI struct {
	mu        sync.Mutex
	callback  func(string, error)
	cancelled bool
	started   chan struct{}
}

func newFakeAPI() *fakeAPI { return &fakeAPI{started: make(chan struct{})} }

func (f *fakeAPI) Start(cb func(string, error)) (cancel func()) {
	f.mu.Lock()
	f.callback = cb
	f.mu.Unlock()
	close(f.started)
	return func() {
		f.mu.Lock()
		f.cancelled = true
		f.mu.Unlock()
	}
}

func (f *fakeAPI) fire(v string, err error) {
	f.mu.Lock()
	cb := f.callback
	f.mu.Unlock()
	go cb(v, err) // the library's goroutine
}

func TestAwaitResult(t *testing.T) {
	errNope := errors.New("nope")
	for _, tt := range []struct {
		name    string
		give    string
		giveErr error
	}{{"value", "hello", nil}, {"error", "", errNope}} {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI()
			go func() { <-api.started; api.fire(tt.give, tt.giveErr) }()
			v, err := dispatcher.Await(context.Background(), func(complete func(string, error)) func() {
				return api.Start(complete)
			})
			if v != tt.give || err != tt.giveErr {
				t.Errorf("Await = %q, %v; want %q, %v", v, err, tt.give, tt.giveErr)
			}
		})
	}
}

func TestAwaitCancelCallsHookAndIgnoresLateCompletion(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := newFakeAPI()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		v, err := dispatcher.Await(ctx, func(complete func(string, error)) func() {
			return api.Start(complete)
		})
		if v != "" || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Await = %q, %v; want DeadlineExceeded", v, err)
		}
		if !api.cancelled {
			t.Error("cancel hook not called")
		}
		api.fire("late", nil) // ignored, and does not block or panic
		api.fire("later", nil)
		synctest.Wait()
	})
}

func TestAwaitCompleteTwice(t *testing.T) {
	v, err := dispatcher.Await(context.Background(), func(complete func(int, error)) func() {
		complete(1, nil) // synchronously, inside register
		complete(2, errors.New("second: ignored"))
		return nil // nothing to cancel
	})
	if v != 1 || err != nil {
		t.Errorf("Await = %d, %v; want 1, nil", v, err)
	}
}

func TestAwaitEndedContextDoesNotRegister(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	registered := false
	_, err := dispatcher.Await(ctx, func(complete func(int, error)) func() {
		registered = true
		return nil
	})
	if !errors.Is(err, context.Canceled) || registered {
		t.Errorf("Await = %v, registered %v; want context.Canceled, false", err, registered)
	}
}

func TestAwaitRace(t *testing.T) {
	// Completion and cancellation at the same moment: Await returns either
	// the value or the ctx error, calls cancel only in the latter case, and
	// never blocks.
	for range 2000 {
		ctx, cancel := context.WithCancel(context.Background())
		var hooked atomic.Bool
		start := make(chan struct{})
		var wg sync.WaitGroup
		v, err := dispatcher.Await(ctx, func(complete func(int, error)) func() {
			wg.Go(func() { <-start; complete(1, nil) })
			wg.Go(func() { <-start; cancel() })
			close(start)
			return func() { hooked.Store(true) }
		})
		wg.Wait()
		switch {
		case err == nil && v == 1 && !hooked.Load():
		case errors.Is(err, context.Canceled) && hooked.Load():
		default:
			t.Fatalf("Await = %d, %v, hook called %v", v, err, hooked.Load())
		}
		cancel()
	}
}

func TestAwaitMisuse(t *testing.T) {
	v := mustPanic(t, func() { _, _ = dispatcher.Await[int](context.Background(), nil) })
	if v != "dispatcher: Await called with nil register" {
		t.Errorf("panic = %v", v)
	}
}
