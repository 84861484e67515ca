package retry_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/retry"
)

func TestLimiterPacesAttempts(t *testing.T) {
	tests := []struct {
		name  string
		limit *rate.Limiter
		sched *retry.Schedule
		want  []time.Duration // when attempts start
	}{
		{"one a second", rate.NewLimiter(1, 1), retry.Immediate(), []time.Duration{0, time.Second, 2 * time.Second}},
		{"a burst, then the rate", rate.NewLimiter(1, 2), retry.Immediate(), []time.Duration{0, 0, time.Second}},
		// The schedule's delay comes first; the token is there by then.
		{"schedule slower than the rate", rate.NewLimiter(1, 1), retry.Fixed(3 * time.Second),
			[]time.Duration{0, 3 * time.Second, 6 * time.Second}},
		{"no limit", rate.NewLimiter(rate.Inf, 0), retry.Immediate(), []time.Duration{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				var starts []time.Duration
				_ = retry.Do(t.Context(), func(context.Context) error {
					starts = append(starts, time.Since(start))
					return errTemporary
				}, retry.WithRateLimit(tt.limit), retry.WithBackOff(tt.sched), retry.MaxAttempts(3))
				if fmt.Sprint(starts) != fmt.Sprint(tt.want) {
					t.Errorf("attempts started at %v, want %v", starts, tt.want)
				}
			})
		})
	}
}

// TestLimiterSharedByLoops: two loops share one limiter; together they
// start one attempt a second.
func TestLimiterSharedByLoops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := rate.NewLimiter(1, 1)
		start := time.Now()
		var mu sync.Mutex
		var starts []time.Duration
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				_ = retry.Do(t.Context(), func(context.Context) error {
					mu.Lock()
					starts = append(starts, time.Since(start))
					mu.Unlock()
					return errTemporary
				}, retry.WithRateLimit(lim), retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(3))
			})
		}
		wg.Wait()
		want := []time.Duration{0, 1 * time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second, 5 * time.Second}
		if fmt.Sprint(starts) != fmt.Sprint(want) {
			t.Errorf("attempts started at %v, want %v", starts, want)
		}
	})
}

// TestLimiterWaitEndsWithCtx: cancelling ctx ends the wait for a token at
// once, with ctx.Err(), and gives the token back, so another caller gets it
// when it comes instead of one period later.
func TestLimiterWaitEndsWithCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := rate.NewLimiter(1, 1)
		lim.Allow() // the burst is spent: the next token comes at 1s
		ctx, cancel := context.WithCancel(t.Context())
		calls := 0
		done := make(chan error)
		go func() {
			done <- retry.Do(ctx, func(context.Context) error { calls++; return nil }, retry.WithRateLimit(lim))
		}()
		synctest.Wait() // waiting for the token due at 1s
		time.Sleep(500 * time.Millisecond)
		cancel()
		if err := <-done; err != context.Canceled || calls != 0 {
			t.Errorf("Do = %v after %d calls, want context.Canceled without a call", err, calls)
		}

		start := time.Now()
		_ = retry.Do(t.Context(), succeed, retry.WithRateLimit(lim))
		if got := time.Since(start); got != 500*time.Millisecond {
			t.Errorf("the next caller waited %v, want 500ms (the token due at 1s was given back)", got)
		}
	})
}

func TestLimiterCtxAlreadyDone(t *testing.T) {
	lim := rate.NewLimiter(1, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := retry.Do(ctx, succeed, retry.WithRateLimit(lim)); err != context.Canceled {
		t.Errorf("Do = %v, want context.Canceled", err)
	}
	if lim.Tokens() != 1 {
		t.Errorf("the limiter has %v tokens, want its 1 untouched", lim.Tokens())
	}
}

func TestLimiterPacesRepeat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var starts []time.Duration
		_ = retry.Repeat(t.Context(), retry.Immediate(), func(context.Context) error {
			starts = append(starts, time.Since(start))
			return nil
		}, retry.WithRateLimit(rate.NewLimiter(2, 1)), retry.MaxRuns(4))
		if want := "[0s 500ms 1s 1.5s]"; fmt.Sprint(starts) != want {
			t.Errorf("runs started at %v, want %s", starts, want)
		}
	})
}

func TestLimiterThatCannotGrant(t *testing.T) {
	want := "retry: WithRateLimit's limiter has burst 0 and can never grant a token; give it a burst of at least 1"
	if got := panicValue(func() { _ = retry.Do(context.Background(), succeed, retry.WithRateLimit(rate.NewLimiter(10, 0))) }); got != want {
		t.Errorf("panic = %v, want %q", got, want)
	}

	// A limit of 0 allows its burst, then nothing: the next attempt waits
	// until ctx ends.
	synctest.Test(t, func(t *testing.T) {
		lim := rate.NewLimiter(0, 1)
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		calls := 0
		err := retry.Do(ctx, func(context.Context) error { calls++; return errTemporary },
			retry.WithRateLimit(lim), retry.WithBackOff(retry.Immediate()))
		if err != context.DeadlineExceeded || calls != 1 {
			t.Errorf("Do = %v after %d calls, want context.DeadlineExceeded after 1", err, calls)
		}
	})
}
