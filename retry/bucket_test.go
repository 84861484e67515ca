package retry_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/retry"
)

func TestTokenBucketArithmetic(t *testing.T) {
	b := retry.NewTokenBucket(10, 4, 1)
	steps := []struct {
		name       string
		do         func() bool
		wantOK     bool
		wantTokens int
	}{
		{"take", b.Take, true, 6},
		{"take", b.Take, true, 2},
		{"take without enough", b.Take, false, 2},
		{"refund", func() bool { b.Refund(); return true }, true, 3},
		{"take after refund", b.Take, false, 3},
		{"refund", func() bool { b.Refund(); return true }, true, 4},
		{"take the last", b.Take, true, 0},
	}
	for i, s := range steps {
		if ok := s.do(); ok != s.wantOK || b.Tokens() != s.wantTokens {
			t.Fatalf("step %d (%s): ok = %v, tokens = %d; want %v, %d", i, s.name, ok, b.Tokens(), s.wantOK, s.wantTokens)
		}
	}
	for range 20 {
		b.Refund()
	}
	if got := b.Tokens(); got != 10 {
		t.Errorf("after many refunds, tokens = %d, want the capacity 10", got)
	}
}

func TestTokenBucketHugeRefund(t *testing.T) {
	b := retry.NewTokenBucket(10, 10, int(^uint(0)>>1))
	b.Take()
	b.Refund()
	if got := b.Tokens(); got != 10 {
		t.Errorf("tokens = %d, want 10", got)
	}
}

func TestTokenBucketConcurrentTakes(t *testing.T) {
	b := retry.NewTokenBucket(100, 1, 1)
	var ok atomic.Int64
	var wg sync.WaitGroup
	for range 300 {
		wg.Go(func() {
			if b.Take() {
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 100 || b.Tokens() != 0 {
		t.Errorf("%d takes succeeded leaving %d tokens, want exactly 100 leaving 0", ok.Load(), b.Tokens())
	}
}

func TestTokenBucketConcurrentAccounting(t *testing.T) {
	// Every goroutine takes before it refunds, so the bucket never reaches
	// its capacity again and each round trip costs exactly cost-refund.
	b := retry.NewTokenBucket(10000, 3, 2)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 20 {
				if !b.Take() {
					t.Error("take failed with tokens to spare")
				}
				b.Refund()
			}
		})
	}
	wg.Wait()
	if got := b.Tokens(); got != 10000-50*20 {
		t.Errorf("tokens = %d, want %d", got, 10000-50*20)
	}
}

func TestBudgetStopsRetrying(t *testing.T) {
	b := retry.NewTokenBucket(10, 5, 1)
	fail := func(context.Context) error { return errTemporary }
	opts := []retry.Option{retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(10), retry.WithBudget(b)}

	var re *retry.Error
	err := retry.Do(context.Background(), fail, opts...)
	if !errors.As(err, &re) || re.Attempts != 3 || !re.Throttled || !errors.Is(err, errTemporary) || b.Tokens() != 0 {
		t.Fatalf("first caller: err = %v, tokens = %d; want throttled after 3 attempts, 0 tokens", err, b.Tokens())
	}
	err = retry.Do(context.Background(), fail, opts...)
	if !errors.As(err, &re) || re.Attempts != 1 || !re.Throttled {
		t.Fatalf("second caller: err = %v, want throttled after its first attempt", err)
	}
	for range 5 {
		if err := retry.Do(context.Background(), func(context.Context) error { return nil }, opts...); err != nil {
			t.Fatal(err)
		}
	}
	if b.Tokens() != 5 {
		t.Fatalf("after 5 successes, tokens = %d, want 5", b.Tokens())
	}
	err = retry.Do(context.Background(), fail, opts...)
	if !errors.As(err, &re) || re.Attempts != 2 || !re.Throttled {
		t.Fatalf("after the refunds: err = %v, want throttled after 2 attempts", err)
	}
}

func TestBudgetFleet(t *testing.T) {
	// 20 callers of a dead dependency, each willing to try 50 times: together
	// they make exactly capacity/cost retries, then stop.
	synctest.Test(t, func(t *testing.T) {
		b := retry.NewTokenBucket(500, 5, 1)
		opts := []retry.Option{
			retry.WithBackOff(retry.Fixed(time.Second).WithJitter(retry.FullJitter)),
			retry.MaxAttempts(50),
			retry.WithBudget(b),
		}
		var attempts atomic.Int64
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				err := retry.Do(t.Context(), func(context.Context) error {
					attempts.Add(1)
					return errTemporary
				}, opts...)
				var re *retry.Error
				if !errors.As(err, &re) || !re.Throttled {
					t.Errorf("err = %v, want a throttled *retry.Error", err)
				}
			})
		}
		wg.Wait()
		if got, want := attempts.Load(), int64(20+500/5); got != want {
			t.Errorf("fleet made %d attempts, want %d first attempts + %d retries", got, 20, 500/5)
		}
	})
}

func TestNewTokenBucketPanics(t *testing.T) {
	tests := []struct {
		name                   string
		capacity, cost, refund int
		want                   string
	}{
		{"zero capacity", 0, 1, 1, "retry: NewTokenBucket called with capacity 0; pass at least 1"},
		{"negative cost", 10, -1, 1, "retry: NewTokenBucket called with cost -1 and refund 1; pass zero or more for each"},
		{"negative refund", 10, 1, -2, "retry: NewTokenBucket called with cost 1 and refund -2; pass zero or more for each"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panicValue(func() { retry.NewTokenBucket(tt.capacity, tt.cost, tt.refund) }); got != tt.want {
				t.Errorf("panic = %v, want %q", got, tt.want)
			}
		})
	}
}
