package retry_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/retry"
)

func TestMisusePanics(t *testing.T) {
	ctx := context.Background()
	var nilCtx context.Context
	nop := func(context.Context) error { return nil }
	one := func(context.Context) (int, error) { return 1, nil }
	yes := func(int) bool { return true }
	const passCtx = "; pass context.Background() or the caller's context"
	const passOp = "; pass the operation to run"
	tests := []struct {
		name string
		give func()
		want string
	}{
		{"Do nil ctx", func() { _ = retry.Do(nilCtx, nop) }, "retry: Do called with nil ctx" + passCtx},
		{"Value nil ctx", func() { _, _ = retry.Value(nilCtx, one) }, "retry: Value called with nil ctx" + passCtx},
		{"Until nil ctx", func() { _, _ = retry.Until(nilCtx, one, yes) }, "retry: Until called with nil ctx" + passCtx},
		{"Repeat nil ctx", func() { _ = retry.Repeat(nilCtx, retry.Immediate(), nop) }, "retry: Repeat called with nil ctx" + passCtx},
		{"RepeatUntil nil ctx", func() { _, _ = retry.RepeatUntil(nilCtx, retry.Immediate(), one, yes) },
			"retry: RepeatUntil called with nil ctx" + passCtx},

		{"Do nil op", func() { _ = retry.Do(ctx, nil) }, "retry: Do called with nil op" + passOp},
		{"Value nil op", func() { _, _ = retry.Value[int](ctx, nil) }, "retry: Value called with nil op" + passOp},
		{"Until nil op", func() { _, _ = retry.Until(ctx, nil, yes) }, "retry: Until called with nil op" + passOp},
		{"Repeat nil op", func() { _ = retry.Repeat(ctx, retry.Immediate(), nil) }, "retry: Repeat called with nil op" + passOp},
		{"RepeatUntil nil op", func() { _, _ = retry.RepeatUntil(ctx, retry.Immediate(), nil, yes) },
			"retry: RepeatUntil called with nil op" + passOp},

		{"Until nil ok", func() { _, _ = retry.Until(ctx, one, nil) },
			"retry: Until called with nil ok; pass the condition a value must meet, or use Value"},
		{"RepeatUntil nil ok", func() { _, _ = retry.RepeatUntil(ctx, retry.Immediate(), one, nil) },
			"retry: RepeatUntil called with nil ok; pass the condition that ends the repetition, or use Repeat"},
		{"Repeat nil schedule", func() { _ = retry.Repeat(ctx, nil, nop) },
			"retry: Repeat called with nil schedule; pass one such as retry.Fixed(time.Second)"},
		{"RepeatUntil nil schedule", func() { _, _ = retry.RepeatUntil(ctx, nil, one, yes) },
			"retry: RepeatUntil called with nil schedule; pass one such as retry.Fixed(time.Second)"},

		{"nil Option", func() { _ = retry.Do(ctx, nop, nil) }, "retry: nil Option; leave it out, or pass one built by this package"},
		{"nil RepeatOption", func() { _ = retry.Repeat(ctx, retry.Immediate(), nop, nil) },
			"retry: nil RepeatOption; leave it out, or pass one built by this package"},
		{"MaxAttempts(0)", func() { retry.MaxAttempts(0) }, "retry: MaxAttempts called with 0; pass at least 1 (1 means no retry)"},
		{"MaxAttempts(-3)", func() { retry.MaxAttempts(-3) }, "retry: MaxAttempts called with -3; pass at least 1 (1 means no retry)"},
		{"MaxRuns(0)", func() { retry.MaxRuns(0) }, "retry: MaxRuns called with 0; pass at least 1"},
		{"WithBackOff(nil)", func() { retry.WithBackOff(nil) },
			"retry: WithBackOff called with nil BackOff; pass a schedule such as retry.Exponential(...)"},
		{"If(nil)", func() { retry.If(nil) },
			"retry: If called with nil retryable; pass a func(error) bool, or leave If out to retry every error"},
		{"AfterAttempt(nil)", func() { retry.AfterAttempt(nil) }, "retry: AfterAttempt called with nil hook; pass a func(retry.Attempt)"},
		{"AttemptTimeout(0)", func() { retry.AttemptTimeout(0) }, "retry: AttemptTimeout called with 0s; pass a positive duration"},
		{"InitialDelay(-1s)", func() { retry.InitialDelay(-time.Second) }, "retry: InitialDelay called with -1s; pass zero or more"},
		{"WithBudget(nil)", func() { retry.WithBudget(nil) },
			"retry: WithBudget called with nil TokenBucket; pass one from retry.NewTokenBucket"},
		{"WithRateLimit(nil)", func() { retry.WithRateLimit(nil) },
			"retry: WithRateLimit called with nil Limiter; pass one from rate.NewLimiter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panicValue(tt.give); got != tt.want {
				t.Errorf("panic = %v, want %q", got, tt.want)
			}
		})
	}
}

// The options that concern failures are not RepeatOptions, and those of
// every loop are both; these assignments are checked by the compiler.
var (
	_ retry.RepeatOption = retry.AttemptTimeout(time.Second)
	_ retry.RepeatOption = retry.InitialDelay(0)
	_ retry.RepeatOption = retry.StartToStart()
	_ retry.RepeatOption = retry.AfterAttempt(func(retry.Attempt) {})
	_ retry.RepeatOption = retry.WithRateLimit(rate.NewLimiter(rate.Inf, 0))
	_ retry.Option       = retry.AttemptTimeout(time.Second)
	_ retry.Option       = retry.StartToStart()
)

// TestOptionKinds checks the other half: an option that concerns failures
// cannot become a RepeatOption even by a type assertion, and MaxRuns is not
// an Option.
func TestOptionKinds(t *testing.T) {
	repeatOption := reflect.TypeFor[retry.RepeatOption]()
	option := reflect.TypeFor[retry.Option]()
	for name, o := range map[string]retry.Option{
		"WithBackOff": retry.WithBackOff(retry.Immediate()),
		"MaxAttempts": retry.MaxAttempts(1),
		"If":          retry.If(func(error) bool { return true }),
		"WithBudget":  retry.WithBudget(retry.NewTokenBucket(1, 1, 1)),
	} {
		if reflect.TypeOf(o).Implements(repeatOption) {
			t.Errorf("%s is a RepeatOption; Repeat stops at the first error and takes its schedule as an argument", name)
		}
	}
	if reflect.TypeOf(retry.MaxRuns(1)).Implements(option) {
		t.Error("MaxRuns is an Option; Do counts attempts with MaxAttempts")
	}
}
