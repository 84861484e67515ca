package timeout_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/corral-go/corral/timeout"
)

// This example demonstrates telling a timeout of Do from other failures:
// the error matches ErrTimeout, and context.DeadlineExceeded as well, and it
// keeps the call's own error, which says what timed out.
func ExampleDo() {
	err := timeout.Do(context.Background(), 10*time.Millisecond, func(ctx context.Context) error {
		<-ctx.Done() // a slow call that honours its context
		return fmt.Errorf("fetch user 42: %w", ctx.Err())
	})
	fmt.Println(err)
	fmt.Println("timeout:", errors.Is(err, timeout.ErrTimeout))
	fmt.Println("deadline exceeded:", errors.Is(err, context.DeadlineExceeded))
	// Output:
	// timeout after 10ms: fetch user 42: context deadline exceeded
	// timeout: true
	// deadline exceeded: true
}

// This example demonstrates Value: a result that arrives in time is returned
// as it is; on a timeout the value is the zero value.
func ExampleValue() {
	fast := func(ctx context.Context) (string, error) { return "pong", nil }
	slow := func(ctx context.Context) (string, error) {
		<-ctx.Done()
		return "too late", ctx.Err()
	}

	v, err := timeout.Value(context.Background(), time.Second, fast)
	fmt.Printf("%q %v\n", v, err)
	v, err = timeout.Value(context.Background(), 10*time.Millisecond, slow)
	fmt.Printf("%q %v\n", v, errors.Is(err, timeout.ErrTimeout))
	// Output:
	// "pong" <nil>
	// "" true
}

// This example demonstrates Sleep, a time.Sleep that stops early when its
// context is done.
func ExampleSleep() {
	fmt.Println(timeout.Sleep(context.Background(), time.Millisecond))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fmt.Println(timeout.Sleep(ctx, time.Hour))
	// Output:
	// <nil>
	// context canceled
}
