package breaker_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/breaker"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/timeout"
)

// TestComposeWithRetryAndTimeout runs the documented order, limit → retry →
// breaker → timeout → call, against a dependency that hangs: every attempt
// times out and counts as a failure, the third opens the breaker, and the
// fourth attempt is rejected, which ends the loop at once.
func TestComposeWithRetryAndTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := rate.NewLimiter(10, 1)
		var rec recorder
		cb := breaker.New(breaker.Name("dep"), afterFailures(3), breaker.OpenFor(time.Minute), breaker.OnStateChange(rec.hook))
		calls := 0
		hang := func(ctx context.Context) error { calls++; <-ctx.Done(); return ctx.Err() }
		op := func(ctx context.Context) error {
			return cb.Do(ctx, func(ctx context.Context) error {
				return timeout.Do(ctx, 300*time.Millisecond, hang)
			})
		}
		policy := []retry.Option{
			retry.If(breaker.Retryable), retry.WithRateLimit(lim),
			retry.WithBackOff(retry.Fixed(time.Second)), retry.MaxAttempts(10),
		}

		start := time.Now()
		err := retry.Do(t.Context(), op, policy...)
		var re *retry.Error
		if !errors.As(err, &re) || re.Attempts != 4 || !errors.Is(err, breaker.ErrOpen) || calls != 3 {
			t.Fatalf("Do = %v after %d calls; want 4 attempts, 3 calls, ending in ErrOpen", err, calls)
		}
		// 3 × (300ms timeout + 1s delay), then the rejection.
		if got := time.Since(start); got != 3900*time.Millisecond {
			t.Errorf("Do took %v, want 3.9s", got)
		}

		// While it is open, a new loop fails after one attempt and no call.
		// The rejected attempt at 3.9s took the limiter's token, so this
		// one waits for the next, at 4s: the limiter comes first, and
		// paces rejections too.
		start = time.Now()
		err = retry.Do(t.Context(), op, policy...)
		if !errors.As(err, &re) || re.Attempts != 1 || !errors.Is(err, breaker.ErrOpen) || calls != 3 {
			t.Errorf("second Do = %v after %d calls; want 1 attempt, no call", err, calls)
		}
		if got := time.Since(start); got != 100*time.Millisecond {
			t.Errorf("second Do took %v, want 100ms (one token)", got)
		}
		if got := rec.got(); len(got) != 1 || got[0] != tr(breaker.Closed, breaker.Open) {
			t.Errorf("transitions %v, want closed -> open", got)
		}
	})
}

// TestComposeWithoutRetryable shows why Retryable is there: without it the
// loop spends every remaining attempt on rejections.
func TestComposeWithoutRetryable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cb := breaker.New(afterFailures(3))
		calls := 0
		err := retry.Do(t.Context(), func(ctx context.Context) error {
			return cb.Do(ctx, func(context.Context) error { calls++; return errDown })
		}, retry.WithBackOff(retry.Fixed(time.Second)), retry.MaxAttempts(10))
		var re *retry.Error
		if !errors.As(err, &re) || re.Attempts != 10 || calls != 3 {
			t.Errorf("Do = %v after %d calls; want 10 attempts, of which 7 rejected", err, calls)
		}
	})
}

// TestComposeRecovers: after OpenFor, a loop's attempt is the trial call,
// and its success closes the breaker.
func TestComposeRecovers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cb := breaker.New(afterFailures(1), breaker.OpenFor(10*time.Second))
		up := false
		op := func(ctx context.Context) error {
			return cb.Do(ctx, func(context.Context) error {
				if !up {
					return errDown
				}
				return nil
			})
		}
		_ = retry.Do(t.Context(), op, retry.If(breaker.Retryable), retry.WithBackOff(retry.Immediate()))
		up = true
		time.Sleep(10*time.Second + time.Nanosecond)
		if err := retry.Do(t.Context(), op, retry.If(breaker.Retryable)); err != nil || cb.State() != breaker.Closed {
			t.Errorf("Do = %v, state %v; want nil, closed", err, cb.State())
		}
	})
}

// TestComposeWithAttemptTimeout: retry.AttemptTimeout bounds each attempt
// from outside the breaker; the breaker sees the attempt's deadline pass on
// its ctx and counts it as a failure, as it does a timeout.Do inside.
func TestComposeWithAttemptTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cb := breaker.New(afterFailures(2))
		calls := 0
		err := retry.Do(t.Context(), func(ctx context.Context) error {
			return cb.Do(ctx, func(ctx context.Context) error { calls++; <-ctx.Done(); return ctx.Err() })
		}, retry.AttemptTimeout(time.Second), retry.If(breaker.Retryable),
			retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(5))
		var re *retry.Error
		if !errors.As(err, &re) || re.Attempts != 3 || !errors.Is(err, breaker.ErrOpen) || calls != 2 {
			t.Errorf("Do = %v after %d calls; want 2 timed-out calls, then ErrOpen at the 3rd attempt", err, calls)
		}
	})
}
