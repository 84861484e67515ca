package timeout_test

import (
	"context"
	"testing"
	"time"

	"github.com/corral-go/corral/timeout"
)

// BenchmarkDo measures the cost of Do around a function that returns in
// time, the common case, beside the standard library's way of giving a call
// a deadline and beside calling it directly.
func BenchmarkDo(b *testing.B) {
	ctx := context.Background()
	f := func(context.Context) error { return nil }
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = f(ctx)
		}
	})
	b.Run("context.WithTimeout", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tctx, cancel := context.WithTimeout(ctx, time.Minute)
			_ = f(tctx)
			cancel()
		}
	})
	b.Run("timeout.Do", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = timeout.Do(ctx, time.Minute, f)
		}
	})
}
