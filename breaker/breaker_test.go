package breaker_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/corral-go/corral/breaker"
)

func TestTransitions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rec recorder
		b := breaker.New(breaker.Name("dep"), afterFailures(3), breaker.OpenFor(10*time.Second),
			breaker.TrialCalls(2), breaker.OnStateChange(rec.hook))
		ctx := t.Context()

		// Closed: failures are counted and returned as they are.
		for i := range 3 {
			if err := b.Do(ctx, fail); err != errDown {
				t.Fatalf("call %d = %v, want errDown itself", i+1, err)
			}
		}
		if s := b.State(); s != breaker.Open {
			t.Fatalf("after 3 failures the state is %v, want open", s)
		}

		// Open: calls are rejected without calling.
		called := false
		err := b.Do(ctx, func(context.Context) error { called = true; return nil })
		if called || !errors.Is(err, breaker.ErrOpen) || !errors.Is(err, breaker.ErrRejected) ||
			!errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, breaker.ErrTooManyRequests) {
			t.Errorf("open: called %v, err = %v; want no call and ErrOpen", called, err)
		}
		if want := `breaker "dep": open`; err.Error() != want {
			t.Errorf("open: message %q, want %q (the name is in it)", err, want)
		}

		// Still open exactly at OpenFor, half-open just after.
		time.Sleep(10 * time.Second)
		if s := b.State(); s != breaker.Open {
			t.Errorf("at OpenFor the state is %v, want still open", s)
		}
		time.Sleep(time.Nanosecond)
		if s := b.State(); s != breaker.HalfOpen {
			t.Fatalf("after OpenFor the state is %v, want half-open", s)
		}

		// Half-open: two trial calls at once, a third is rejected.
		release := make(chan struct{})
		results := make(chan error, 2)
		for range 2 {
			go func() {
				results <- b.Do(ctx, func(context.Context) error { <-release; return nil })
			}()
		}
		synctest.Wait() // both trial calls are under way
		err = b.Do(ctx, succeed)
		if !errors.Is(err, breaker.ErrTooManyRequests) || !errors.Is(err, breaker.ErrRejected) ||
			!errors.Is(err, gobreaker.ErrTooManyRequests) || errors.Is(err, breaker.ErrOpen) {
			t.Errorf("third trial call = %v, want ErrTooManyRequests", err)
		}
		close(release)
		for range 2 {
			if err := <-results; err != nil {
				t.Errorf("trial call = %v, want nil", err)
			}
		}
		if s := b.State(); s != breaker.Closed {
			t.Fatalf("after 2 successful trial calls the state is %v, want closed", s)
		}

		// A failed trial call opens the breaker again.
		for range 3 {
			_ = b.Do(ctx, fail)
		}
		time.Sleep(10*time.Second + time.Nanosecond)
		if err := b.Do(ctx, fail); err != errDown {
			t.Errorf("trial call = %v, want errDown", err)
		}
		if s := b.State(); s != breaker.Open {
			t.Errorf("after a failed trial call the state is %v, want open", s)
		}

		want := []breaker.Transition{
			tr(breaker.Closed, breaker.Open), tr(breaker.Open, breaker.HalfOpen), tr(breaker.HalfOpen, breaker.Closed),
			tr(breaker.Closed, breaker.Open), tr(breaker.Open, breaker.HalfOpen), tr(breaker.HalfOpen, breaker.Open),
		}
		if got := rec.got(); !slices.Equal(got, want) {
			t.Errorf("transitions %v,\nwant %v", got, want)
		}
	})
}

func TestDefaults(t *testing.T) {
	// More than 5 consecutive failures open it; it stays open 60s.
	synctest.Test(t, func(t *testing.T) {
		b := breaker.New()
		for range 5 {
			_ = b.Do(t.Context(), fail)
		}
		if s := b.State(); s != breaker.Closed {
			t.Fatalf("after 5 failures: %v, want closed", s)
		}
		_ = b.Do(t.Context(), fail)
		if err := b.Do(t.Context(), succeed); err != breaker.ErrOpen {
			t.Fatalf("after 6 failures: %v, want ErrOpen itself (no name)", err)
		}
		time.Sleep(time.Minute + time.Nanosecond)
		if s := b.State(); s != breaker.HalfOpen {
			t.Errorf("after 60s: %v, want half-open", s)
		}
	})
}

func TestWindow(t *testing.T) {
	tests := []struct {
		name    string
		buckets int
		// failures at these times (seconds); the breaker opens at 3
		// failures in its window.
		at       []int
		wantOpen bool
	}{
		{name: "fixed window, all in one", buckets: 1, at: []int{0, 1, 9}, wantOpen: true},
		{name: "fixed window, cleared at 10s", buckets: 1, at: []int{8, 9, 11}},
		{name: "rolling window, still inside", buckets: 10, at: []int{8, 9, 11}, wantOpen: true},
		{name: "rolling window, oldest dropped", buckets: 10, at: []int{0, 9, 12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				b := breaker.New(breaker.Window(10*time.Second, tt.buckets),
					breaker.TripIf(func(c breaker.Counts) bool { return c.TotalFailures >= 3 }))
				for _, s := range tt.at {
					time.Sleep(time.Until(start.Add(time.Duration(s) * time.Second)))
					_ = b.Do(t.Context(), fail)
				}
				if got := b.State() == breaker.Open; got != tt.wantOpen {
					t.Errorf("open = %v, want %v (counts %+v)", got, tt.wantOpen, b.Counts())
				}
			})
		})
	}
}

func TestFailureIf(t *testing.T) {
	errNotFound := errors.New("not found")
	b := breaker.New(afterFailures(1), breaker.FailureIf(func(err error) bool { return !errors.Is(err, errNotFound) }))
	for range 10 {
		if err := b.Do(t.Context(), func(context.Context) error { return fmt.Errorf("user 7: %w", errNotFound) }); !errors.Is(err, errNotFound) {
			t.Fatalf("Do = %v, want the call's own error", err)
		}
	}
	if c := b.Counts(); b.State() != breaker.Closed || c.TotalSuccesses != 10 {
		t.Errorf("state %v, counts %+v; want closed with 10 successes", b.State(), c)
	}
	_ = b.Do(t.Context(), fail)
	if b.State() != breaker.Open {
		t.Errorf("an error FailureIf accepts did not open the breaker")
	}
}

func TestValue(t *testing.T) {
	b := breaker.New(afterFailures(1))
	v, err := breaker.Value(t.Context(), b, func(context.Context) (string, error) { return "ok", nil })
	if v != "ok" || err != nil {
		t.Errorf("Value = %q, %v; want ok, nil", v, err)
	}
	v, err = breaker.Value(t.Context(), b, func(context.Context) (string, error) { return "partial", errDown })
	if v != "partial" || err != errDown {
		t.Errorf("Value = %q, %v; want the call's own value and error", v, err)
	}
	n, err := breaker.Value(t.Context(), b, func(context.Context) (int, error) { return 42, nil })
	if n != 0 || !errors.Is(err, breaker.ErrOpen) {
		t.Errorf("Value on an open breaker = %d, %v; want 0, ErrOpen", n, err)
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		give error
		want bool
	}{
		{errDown, true},
		{breaker.ErrOpen, false},
		{breaker.ErrTooManyRequests, false},
		{fmt.Errorf("charge: %w", breaker.ErrOpen), false},
		{gobreaker.ErrOpenState, true}, // not from this package's Do
	}
	for _, tt := range tests {
		if got := breaker.Retryable(tt.give); got != tt.want {
			t.Errorf("Retryable(%v) = %v, want %v", tt.give, got, tt.want)
		}
	}
}
