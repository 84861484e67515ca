package breaker_test

import (
	"context"
	"testing"

	"github.com/sony/gobreaker/v2"

	"github.com/corral-go/corral/breaker"
)

// BenchmarkDo measures what a breaker adds to a call that succeeds, the
// common case: breaker.Do against gobreaker's own Execute and two-step API
// and a direct call, and a rejection by an open breaker.
func BenchmarkDo(b *testing.B) {
	ctx := context.Background()
	op := func(context.Context) error { return nil }
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = op(ctx)
		}
	})
	b.Run("gobreaker-Execute", func(b *testing.B) {
		cb := gobreaker.NewCircuitBreaker[struct{}](gobreaker.Settings{})
		b.ReportAllocs()
		for b.Loop() {
			_, _ = cb.Execute(func() (struct{}, error) { return struct{}{}, op(ctx) })
		}
	})
	b.Run("gobreaker-TwoStep", func(b *testing.B) {
		cb := gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{})
		b.ReportAllocs()
		for b.Loop() {
			done, err := cb.Allow()
			if err == nil {
				done(op(ctx))
			}
		}
	})
	b.Run("breaker-Do", func(b *testing.B) {
		cb := breaker.New()
		b.ReportAllocs()
		for b.Loop() {
			_ = cb.Do(ctx, op)
		}
	})
	b.Run("breaker-Do-with-hook", func(b *testing.B) {
		cb := breaker.New(breaker.OnStateChange(func(breaker.Transition) {}))
		b.ReportAllocs()
		for b.Loop() {
			_ = cb.Do(ctx, op)
		}
	})
	b.Run("breaker-Do-rejected", func(b *testing.B) {
		cb := breaker.New(breaker.TripIf(func(breaker.Counts) bool { return true }))
		_ = cb.Do(ctx, func(context.Context) error { return errDown })
		b.ReportAllocs()
		for b.Loop() {
			_ = cb.Do(ctx, op)
		}
	})
}

// BenchmarkDoParallel is breaker.Do from every P at once: one breaker is
// shared by every caller of a dependency.
func BenchmarkDoParallel(b *testing.B) {
	ctx := context.Background()
	op := func(context.Context) error { return nil }
	b.Run("gobreaker-Execute", func(b *testing.B) {
		cb := gobreaker.NewCircuitBreaker[struct{}](gobreaker.Settings{})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = cb.Execute(func() (struct{}, error) { return struct{}{}, op(ctx) })
			}
		})
	})
	b.Run("breaker-Do", func(b *testing.B) {
		cb := breaker.New()
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = cb.Do(ctx, op)
			}
		})
	})
}
