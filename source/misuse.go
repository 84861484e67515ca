package source

import (
	"context"
	"fmt"
	"time"
)

// The checks below panic at the call, naming the function and the argument
// and saying what to pass instead: misuse is a programming error.

func mustFunc(op string, name string, isNil bool) {
	if isNil {
		panic(fmt.Sprintf("source: %s called with nil %s; pass a function", op, name))
	}
}

func mustPositive(op, name string, v int) {
	if v <= 0 {
		panic(fmt.Sprintf("source: %s called with %s %d; %s must be at least 1", op, name, v, name))
	}
}

func mustCtx(op string, ctx context.Context) {
	if ctx == nil {
		panic(fmt.Sprintf("source: %s called with nil ctx; pass context.Background() or the caller's context", op))
	}
}

// mustDuration panics, naming the operator and the argument, if d is not
// positive.
func mustDuration(op, name string, d time.Duration) {
	if d <= 0 {
		panic(fmt.Sprintf("source: %s called with %s %v; %s must be positive", op, name, d, name))
	}
}
