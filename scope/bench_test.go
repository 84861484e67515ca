package scope_test

import (
	"context"
	"testing"
	"time"

	"github.com/corral-go/corral/scope"
)

func nop(context.Context) error { return nil }

// BenchmarkScope measures an empty scope and a scope with one fork, with
// diagnostics off (the default, which must cost nothing) and on.
func BenchmarkScope(b *testing.B) {
	ctx := context.Background()
	empty := func(*scope.Scope) error { return nil }
	oneFork := func(s *scope.Scope) error { s.Go(nop); return nil }
	for _, bc := range []struct {
		name string
		body func(*scope.Scope) error
		opts []scope.Option
	}{
		{"Empty", empty, nil},
		{"OneFork", oneFork, nil},
		{"Empty/stuck-report", empty, []scope.Option{scope.WithStuckReport(time.Minute, nil)}},
		{"OneFork/stuck-report", oneFork, []scope.Option{scope.WithStuckReport(time.Minute, nil)}},
		{"OneFork/labels", oneFork, []scope.Option{scope.WithProfilerLabels()}},
		{"OneFork/trace", oneFork, []scope.Option{scope.WithTrace()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			scope.ForgetDiagnostics()
			b.ReportAllocs()
			for b.Loop() {
				_ = scope.Supervised(ctx, bc.body, bc.opts...)
			}
		})
	}
}

// BenchmarkScopeDiagnosticsUsedElsewhere measures a scope without
// diagnostics in a program where some other scope used them: the price is
// one context lookup.
func BenchmarkScopeDiagnosticsUsedElsewhere(b *testing.B) {
	_ = scope.Supervised(context.Background(), func(*scope.Scope) error { return nil }, scope.WithTrace())
	b.ReportAllocs()
	for b.Loop() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error { s.Go(nop); return nil })
	}
}
