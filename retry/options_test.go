package retry_test

import (
	"context"
	"testing"
	"time"

	"github.com/corral-go/corral/retry"
)

func TestMisusePanics(t *testing.T) {
	ctx := context.Background()
	var nilCtx context.Context
	nop := func(context.Context) error { return nil }
	one := func(context.Context) (int, error) { return 1, nil }
	tests := []struct {
		name string
		give func()
		want string
	}{
		{"Do nil op", func() { _ = retry.Do(ctx, nil) }, "retry: Do called with nil op; pass the operation to run"},
		{"Value nil op", func() { _, _ = retry.Value[int](ctx, nil) }, "retry: Value called with nil op; pass the operation to run"},
		{"Do nil ctx", func() { _ = retry.Do(nilCtx, nop) }, "retry: Do called with nil ctx; pass context.Background() or the caller's context"},
		{"Value nil ctx", func() { _, _ = retry.Value(nilCtx, one) }, "retry: Value called with nil ctx; pass context.Background() or the caller's context"},
		{"Repeat nil ctx", func() { _ = retry.Repeat(nilCtx, retry.Immediate(), nop) }, "retry: Repeat called with nil ctx; pass context.Background() or the caller's context"},
		{"RepeatValue nil ctx", func() { _, _ = retry.RepeatValue(nilCtx, retry.Immediate(), one) }, "retry: RepeatValue called with nil ctx; pass context.Background() or the caller's context"},
		{"nil option", func() { _ = retry.Do(ctx, nop, nil) }, "retry: nil Option"},
		{"MaxAttempts(0)", func() { retry.MaxAttempts(0) }, "retry: MaxAttempts(0): n must be at least 1"},
		{"MaxAttempts(-3)", func() { retry.MaxAttempts(-3) }, "retry: MaxAttempts(-3): n must be at least 1"},
		{"WithBackOff(nil)", func() { retry.WithBackOff(nil) }, "retry: WithBackOff called with nil BackOff"},
		{"If(nil)", func() { retry.If(nil) }, "retry: If called with nil retryable"},
		{"Until(nil)", func() { retry.Until[int](nil) }, "retry: Until called with nil ok"},
		{"AfterAttempt(nil)", func() { retry.AfterAttempt(nil) }, "retry: AfterAttempt called with nil hook"},
		{"AttemptTimeout(0)", func() { retry.AttemptTimeout(0) }, "retry: AttemptTimeout(0s): d must be positive"},
		{"InitialDelay(-1s)", func() { retry.InitialDelay(-time.Second) }, "retry: InitialDelay(-1s): d must not be negative"},
		{"Adaptive(nil)", func() { retry.Adaptive(nil) }, "retry: Adaptive called with nil TokenBucket"},
		{"Until with Do", func() { _ = retry.Do(ctx, nop, retry.Until(func(int) bool { return true })) },
			"retry: Until used with Do, which has no value; use Value"},
		{"Until of another type", func() { _, _ = retry.Value(ctx, one, retry.Until(func(string) bool { return true })) },
			"retry: Until(func(string) bool) used with Value[int]"},
		{"Repeat nil op", func() { _ = retry.Repeat(ctx, retry.Immediate(), nil) }, "retry: Repeat called with nil op; pass the operation to run"},
		{"Repeat nil schedule", func() { _ = retry.Repeat(ctx, nil, nop) }, "retry: Repeat called with nil schedule"},
		{"RepeatValue nil op", func() { _, _ = retry.RepeatValue[int](ctx, retry.Immediate(), nil) }, "retry: RepeatValue called with nil op; pass the operation to run"},
		{"Repeat with WithBackOff", func() { _ = retry.Repeat(ctx, retry.Immediate(), nop, retry.WithBackOff(retry.Immediate())) },
			"retry: WithBackOff used with Repeat, which takes its schedule as an argument"},
		{"Repeat with If", func() { _ = retry.Repeat(ctx, retry.Immediate(), nop, retry.If(func(error) bool { return true })) },
			"retry: If used with Repeat, which stops at the first error"},
		{"RepeatValue with Adaptive", func() {
			_, _ = retry.RepeatValue(ctx, retry.Immediate(), one, retry.Adaptive(retry.NewTokenBucket(1, 1, 1)))
		}, "retry: Adaptive used with RepeatValue, which stops at the first error"},
		{"Until with Repeat", func() { _ = retry.Repeat(ctx, retry.Immediate(), nop, retry.Until(func(int) bool { return true })) },
			"retry: Until used with Repeat, which has no value; use RepeatValue"},
		{"RepeatValue Until of another type", func() {
			_, _ = retry.RepeatValue(ctx, retry.Immediate(), one, retry.Until(func(error) bool { return true }))
		}, "retry: Until(func(error) bool) used with RepeatValue[int]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panicValue(tt.give); got != tt.want {
				t.Errorf("panic = %v, want %q", got, tt.want)
			}
		})
	}
}
