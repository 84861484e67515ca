package source_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/source"
)

// paced runs src in a synctest bubble and returns when, since the start,
// each value went out; the bubble's clock is fake, so the times are exact.
func paced(t *testing.T, src func() source.Source[int]) ([]time.Duration, error) {
	t.Helper()
	var at []time.Duration
	var err error
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		err = src().RunForEach(t.Context(), func(int) error {
			at = append(at, time.Since(start))
			return nil
		})
	})
	return at, err
}

// TestRateLimitPace: values go out at the limiter's pace, a burst first,
// by either path (a batch, or one value at a time).
func TestRateLimitPace(t *testing.T) {
	s := time.Second
	want := []time.Duration{0, 0, s, 2 * s, 3 * s}
	for name, in := range map[string]source.Source[int]{
		"batch":    source.Of(1, 2, 3, 4, 5),
		"oneByOne": oneByOne(1, 2, 3, 4, 5),
	} {
		t.Run(name, func(t *testing.T) {
			at, err := paced(t, func() source.Source[int] {
				return in.RateLimit(rate.NewLimiter(rate.Every(time.Second), 2))
			})
			if err != nil {
				t.Fatal(err)
			}
			equal(t, at, want)
		})
	}
}

// TestRateLimitShared: two runs that share a limiter share its pace.
func TestRateLimitShared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := rate.NewLimiter(rate.Every(time.Second), 1)
		start := time.Now()
		var last atomic.Int64
		run := func() error {
			return source.Of(1, 2, 3).RateLimit(lim).RunForEach(t.Context(), func(int) error {
				last.Store(int64(time.Since(start)))
				return nil
			})
		}
		errs := make(chan error, 2)
		go func() { errs <- run() }()
		go func() { errs <- run() }()
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		// Six values, one token a second, the first at once.
		if got := time.Duration(last.Load()); got != 5*time.Second {
			t.Errorf("the last of 6 values went out after %v, want 5s", got)
		}
	})
}

// TestRateLimitCancel: a wait ends with the run's context, and the run
// fails with the context's error; a deadline fails it when it passes.
func TestRateLimitCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := rate.NewLimiter(rate.Every(time.Hour), 1)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		var got []int
		go func() {
			done <- source.Of(1, 2, 3).RateLimit(lim).RunForEach(ctx, func(v int) error {
				got = append(got, v)
				return nil
			})
		}()
		synctest.Wait() // the second value waits for an hour
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		equal(t, got, []int{1})
	})
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
		defer cancel()
		start := time.Now()
		got, err := source.Of(1, 2, 3).RateLimit(rate.NewLimiter(rate.Every(time.Second), 1)).RunToSlice(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 1500*time.Millisecond {
			t.Errorf("err = %v after %v, want context.DeadlineExceeded after 1.5s", err, time.Since(start))
		}
		equal(t, got, []int{1, 2})
	})
}

// TestRateLimitDemand: a Take after RateLimit takes only the tokens of the
// values it takes, and the upstream makes no more values.
func TestRateLimitDemand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := rate.NewLimiter(rate.Every(time.Second), 1)
		var made atomic.Int64
		start := time.Now()
		got := collect(t, counted(&made).RateLimit(lim).Take(3))
		equal(t, got, []int{0, 1, 2})
		if made.Load() != 3 || time.Since(start) != 2*time.Second {
			t.Errorf("upstream made %d values in %v, want 3 in 2s", made.Load(), time.Since(start))
		}
		if tokens := lim.Tokens(); tokens < -0.01 || tokens > 0.01 {
			t.Errorf("the limiter has %.2f tokens left, want 0", tokens)
		}
	})
}

// TestRateLimitBurstZero: a limiter that lets nothing pass fails the run.
func TestRateLimitBurstZero(t *testing.T) {
	_, err := run(source.Of(1).RateLimit(rate.NewLimiter(1, 0)))
	if !errors.Is(err, source.ErrBurstZero) {
		t.Errorf("err = %v, want ErrBurstZero", err)
	}
	// An infinite limit needs no burst.
	equal(t, collect(t, source.Of(1, 2).RateLimit(rate.NewLimiter(rate.Inf, 0))), []int{1, 2})
}

// TestRateLimitVersusThrottle: the numbers of decision record 0016. With
// the same rate and burst, a token bucket lets four values through in the
// first second where Throttle's window lets two.
func TestRateLimitVersusThrottle(t *testing.T) {
	s := time.Second
	at, err := paced(t, func() source.Source[int] {
		return source.Of(1, 2, 3, 4, 5).RateLimit(rate.NewLimiter(2, 2))
	})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, at, []time.Duration{0, 0, s / 2, s, 3 * s / 2})
	at, err = paced(t, func() source.Source[int] { return source.Of(1, 2, 3, 4, 5).Throttle(2, s) })
	if err != nil {
		t.Fatal(err)
	}
	equal(t, at, []time.Duration{0, 0, s, s, 2 * s})
}
