package retry_test

import (
	"context"
	"testing"
	"time"

	"github.com/corral-go/corral/retry"
)

// BenchmarkDo measures the cost of the retry machinery around an operation
// that succeeds at once, the common case, against calling it directly.
func BenchmarkDo(b *testing.B) {
	ctx := context.Background()
	op := func(context.Context) error { return nil }
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = op(ctx)
		}
	})
	b.Run("Do-defaults", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = retry.Do(ctx, op)
		}
	})
	policy := []retry.Option{
		retry.WithBackOff(retry.Exponential(100*time.Millisecond, 2, time.Minute).WithJitter(retry.FullJitter)),
		retry.MaxAttempts(5),
		retry.If(func(error) bool { return true }),
		retry.WithBudget(retry.NewTokenBucket(500, 5, 1)),
	}
	b.Run("Do-policy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = retry.Do(ctx, op, policy...)
		}
	})
}

func BenchmarkScheduleNextBackOff(b *testing.B) {
	for _, s := range []*retry.Schedule{
		retry.Exponential(time.Millisecond, 2, time.Minute),
		retry.Exponential(time.Millisecond, 2, time.Minute).WithJitter(retry.FullJitter),
		retry.Decorrelated(time.Millisecond, time.Minute),
	} {
		b.Run(s.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if s.NextBackOff() < 0 {
					b.Fatal("stopped")
				}
			}
		})
	}
}

func BenchmarkTokenBucket(b *testing.B) {
	bucket := retry.NewTokenBucket(1<<30, 1, 1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			bucket.Take()
			bucket.Refund()
		}
	})
}
