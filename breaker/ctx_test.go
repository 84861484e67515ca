package breaker_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/breaker"
	"github.com/corral-go/corral/timeout"
)

func TestCtxAlreadyDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := breaker.New(afterFailures(1), breaker.OpenFor(time.Second))
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		called := false
		if err := b.Do(ctx, func(context.Context) error { called = true; return nil }); err != context.Canceled || called {
			t.Errorf("Do = %v, called %v; want context.Canceled without a call", err, called)
		}
		if c := b.Counts(); c.Requests != 0 {
			t.Errorf("counts %+v, want nothing counted", c)
		}

		// It takes no trial slot either: a half-open breaker still lets
		// the next call through.
		_ = b.Do(t.Context(), fail)
		time.Sleep(time.Second + time.Nanosecond)
		_ = b.Do(ctx, succeed)
		if err := b.Do(t.Context(), succeed); err != nil || b.State() != breaker.Closed {
			t.Errorf("trial call after a done ctx = %v, state %v; want nil, closed", err, b.State())
		}
	})
}

func TestCancelledDuringCallIsNotCounted(t *testing.T) {
	tests := []struct {
		name string
		give func(ctx context.Context) error // the call's error after ctx is cancelled
	}{
		{"ctx.Err()", func(ctx context.Context) error { return ctx.Err() }},
		{"an error of its own", func(context.Context) error { return errDown }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := breaker.New(afterFailures(1))
			ctx, cancel := context.WithCancel(t.Context())
			err := b.Do(ctx, func(ctx context.Context) error {
				cancel()
				return tt.give(ctx)
			})
			want := tt.give(ctx)
			if err != want {
				t.Errorf("Do = %v, want the call's own error %v", err, want)
			}
			if c := b.Counts(); b.State() != breaker.Closed || c.TotalFailures != 0 || c.TotalExclusions != 1 {
				t.Errorf("state %v, counts %+v; want closed, the call not counted", b.State(), c)
			}
		})
	}

	// A success stands even if ctx was cancelled meanwhile.
	b := breaker.New()
	ctx, cancel := context.WithCancel(t.Context())
	_ = b.Do(ctx, func(context.Context) error { cancel(); return nil })
	if c := b.Counts(); c.TotalSuccesses != 1 {
		t.Errorf("counts %+v, want 1 success", c)
	}
}

func TestCancelledTrialCallFreesItsSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := breaker.New(afterFailures(1), breaker.OpenFor(time.Second))
		_ = b.Do(t.Context(), fail)
		time.Sleep(time.Second + time.Nanosecond)
		ctx, cancel := context.WithCancel(t.Context())
		_ = b.Do(ctx, func(ctx context.Context) error { cancel(); return ctx.Err() })
		if s := b.State(); s != breaker.HalfOpen {
			t.Fatalf("after a cancelled trial call: %v, want still half-open", s)
		}
		if err := b.Do(t.Context(), succeed); err != nil || b.State() != breaker.Closed {
			t.Errorf("next trial call = %v, state %v; want nil, closed", err, b.State())
		}
	})
}

func TestDeadlineDuringCallCounts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := breaker.New(afterFailures(1))
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		err := b.Do(ctx, func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
		if err != context.DeadlineExceeded || b.State() != breaker.Open {
			t.Errorf("Do = %v, state %v; want context.DeadlineExceeded counted as a failure", err, b.State())
		}
	})
}

func TestTimeoutInsideCounts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := breaker.New(afterFailures(2))
		slow := func(ctx context.Context) error {
			return timeout.Do(ctx, 100*time.Millisecond, func(ctx context.Context) error {
				<-ctx.Done()
				return ctx.Err()
			})
		}
		for range 2 {
			if err := b.Do(t.Context(), slow); !errors.Is(err, timeout.ErrTimeout) {
				t.Fatalf("Do = %v, want the timeout", err)
			}
		}
		if s := b.State(); s != breaker.Open {
			t.Errorf("after 2 timeouts: %v, want open", s)
		}
	})
}

func TestPanicCountsAndGoesOn(t *testing.T) {
	b := breaker.New(afterFailures(1))
	v := panicValue(func() {
		_ = b.Do(t.Context(), func(context.Context) error { panic("boom") })
	})
	if v != "boom" || b.State() != breaker.Open {
		t.Errorf("panic %v, state %v; want the panic to go on and count as a failure", v, b.State())
	}
}

func TestGoexitCounts(t *testing.T) {
	b := breaker.New(afterFailures(1))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = b.Do(t.Context(), func(context.Context) error { runtime.Goexit(); return nil })
	}()
	<-done
	if s := b.State(); s != breaker.Open {
		t.Errorf("after a call that called runtime.Goexit: %v, want open", s)
	}

	// A trial call that calls runtime.Goexit fails the trial, and frees
	// the slot. (gobreaker's Execute never finishes such a call, and its
	// half-open breaker then rejects every call for good.)
	synctest.Test(t, func(t *testing.T) {
		b := breaker.New(afterFailures(1), breaker.OpenFor(time.Second))
		_ = b.Do(t.Context(), fail)
		time.Sleep(time.Second + time.Nanosecond)
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = b.Do(t.Context(), func(context.Context) error { runtime.Goexit(); return nil })
		}()
		<-done
		if s := b.State(); s != breaker.Open {
			t.Fatalf("after a trial call that called runtime.Goexit: %v, want open", s)
		}
		time.Sleep(time.Second + time.Nanosecond)
		if err := b.Do(t.Context(), succeed); err != nil || b.State() != breaker.Closed {
			t.Errorf("next trial call = %v, state %v; want nil, closed", err, b.State())
		}
	})
}
