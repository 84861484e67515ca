package breaker_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/breaker"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/timeout"
)

// This example demonstrates a breaker that opens after three failures in a
// row and then rejects calls without making them.
func Example() {
	payments := breaker.New(
		breaker.Name("payments"),
		breaker.TripIf(func(c breaker.Counts) bool { return c.ConsecutiveFailures >= 3 }),
		breaker.OpenFor(30*time.Second),
	)
	charge := func(ctx context.Context) error { return errors.New("503 Service Unavailable") }

	for range 4 {
		err := payments.Do(context.Background(), charge)
		fmt.Printf("%v (rejected: %v)\n", err, errors.Is(err, breaker.ErrRejected))
	}
	fmt.Println(payments.State())
	// Output:
	// 503 Service Unavailable (rejected: false)
	// 503 Service Unavailable (rejected: false)
	// 503 Service Unavailable (rejected: false)
	// breaker "payments": open (rejected: true)
	// open
}

// This example demonstrates Value, which protects a call that returns a
// value; one breaker serves calls of any result type.
func ExampleValue() {
	users := breaker.New(breaker.Name("users"))
	name, err := breaker.Value(context.Background(), users, func(ctx context.Context) (string, error) {
		return "Ada", nil
	})
	fmt.Println(name, err)
	// Output: Ada <nil>
}

// This example demonstrates the composition docs/resilience.md recommends:
// a rate limiter and a retry loop around a breaker, and a timeout inside it.
// The dependency hangs; each attempt times out and counts as a failure, the
// second opens the breaker, and breaker.Retryable ends the loop at the next
// attempt instead of spending the other seven on rejections.
func ExampleRetryable() {
	users := breaker.New(
		breaker.Name("users"),
		breaker.TripIf(func(c breaker.Counts) bool { return c.ConsecutiveFailures >= 2 }),
	)
	limiter := rate.NewLimiter(rate.Every(time.Millisecond), 1) // the users service's quota
	calls := 0
	hang := func(ctx context.Context) error { calls++; <-ctx.Done(); return ctx.Err() }

	err := retry.Do(context.Background(), func(ctx context.Context) error {
		return users.Do(ctx, func(ctx context.Context) error {
			return timeout.Do(ctx, 5*time.Millisecond, hang)
		})
	},
		retry.If(breaker.Retryable),
		retry.WithRateLimit(limiter),
		retry.WithBackOff(retry.Immediate()),
		retry.MaxAttempts(10),
	)
	fmt.Println(err)
	fmt.Println("calls made:", calls)
	// Output:
	// retry: gave up after 3 attempts: breaker "users": open
	// calls made: 2
}

// This example demonstrates logging the breaker's state changes with
// log/slog.
func ExampleWithLogger() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // no timestamps, so the output is stable
			}
			return a
		},
	}))
	search := breaker.New(
		breaker.Name("search"),
		breaker.TripIf(func(c breaker.Counts) bool { return c.ConsecutiveFailures >= 1 }),
		breaker.WithLogger(logger),
	)
	_ = search.Do(context.Background(), func(ctx context.Context) error { return errors.New("timeout") })
	// Output:
	// level=WARN msg="breaker state changed" breaker=search from=closed to=open
}

// This example demonstrates a hook that counts how often a breaker opened,
// for a metric.
func ExampleOnStateChange() {
	opened := 0
	b := breaker.New(
		breaker.TripIf(func(c breaker.Counts) bool { return c.ConsecutiveFailures >= 1 }),
		breaker.OnStateChange(func(t breaker.Transition) {
			if t.To == breaker.Open {
				opened++
			}
			fmt.Println(t.From, "->", t.To)
		}),
	)
	_ = b.Do(context.Background(), func(ctx context.Context) error { return errors.New("boom") })
	fmt.Println("opened", opened, "time(s)")
	// Output:
	// closed -> open
	// opened 1 time(s)
}
