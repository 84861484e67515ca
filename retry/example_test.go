package retry_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"
	"golang.org/x/time/rate"

	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/timeout"
)

// This example is the retry policy from Ox's documentation,
//
//	retryEither(
//	  RetryPolicy.backoff(3, 100.millis, 5.minutes, Jitter.Equal),
//	  ResultPolicy.retryWhen(_ != "fatal error")
//	)(eitherOperation)
//
// in Go: 3 retries after the first attempt, exponential backoff from 100ms
// capped at 5 minutes with equal jitter, and no retry of a fatal error.
func Example() {
	errFatal := errors.New("fatal error")
	attempts := 0
	operation := func(ctx context.Context) error {
		attempts++
		if attempts == 1 {
			return errors.New("connection reset")
		}
		return errFatal
	}

	err := retry.Do(context.Background(), operation,
		retry.WithBackOff(retry.Exponential(100*time.Millisecond, 2, 5*time.Minute).
			WithJitter(retry.EqualJitter)),
		retry.MaxAttempts(4), // the first attempt and 3 retries
		retry.If(func(err error) bool { return !errors.Is(err, errFatal) }),
	)
	fmt.Println(err)
	fmt.Println(errors.Is(err, errFatal))
	// Output:
	// retry: gave up after 2 attempts: fatal error
	// true
}

// This example retries an operation that fails twice before it succeeds.
func ExampleDo() {
	calls := 0
	err := retry.Do(context.Background(), func(ctx context.Context) error {
		calls++
		if calls < 3 {
			return errors.New("connection refused")
		}
		return nil
	}, retry.WithBackOff(retry.Fixed(time.Millisecond)), retry.MaxAttempts(5))
	fmt.Println(err, "after", calls, "attempts")
	// Output: <nil> after 3 attempts
}

// This example marks an error that no retry can fix as permanent.
func ExamplePermanent() {
	errNotFound := errors.New("not found")
	err := retry.Do(context.Background(), func(ctx context.Context) error {
		return retry.Permanent(errNotFound)
	})
	fmt.Println(err)
	fmt.Println(errors.Is(err, errNotFound))
	// Output:
	// retry: gave up after 1 attempt: not found
	// true
}

// This example finds out how many attempts a failed call made.
func ExampleError() {
	err := retry.Do(context.Background(), func(ctx context.Context) error {
		return errors.New("service unavailable")
	}, retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(3))

	var re *retry.Error
	if errors.As(err, &re) {
		fmt.Println(re.Attempts, "attempts, last error:", re.Err)
	}
	// Output: 3 attempts, last error: service unavailable
}

// This example retries an operation that returns a value, and gets the
// value of the first successful attempt.
func ExampleValue() {
	calls := 0
	port, err := retry.Value(context.Background(), func(ctx context.Context) (int, error) {
		if calls++; calls == 1 {
			return 0, errors.New("registry unavailable")
		}
		return 8080, nil
	}, retry.WithBackOff(retry.Fixed(time.Millisecond)))
	fmt.Println(port, err)
	// Output: 8080 <nil>
}

// This example polls until an operation returns a value that counts as
// success, and keeps polling through errors.
func ExampleUntil() {
	polls := 0
	status, err := retry.Until(context.Background(), func(ctx context.Context) (string, error) {
		polls++
		switch polls {
		case 1:
			return "", errors.New("timeout")
		case 2, 3:
			return "pending", nil
		}
		return "ready", nil
	},
		func(s string) bool { return s == "ready" },
		retry.WithBackOff(retry.Fixed(time.Millisecond)),
		retry.MaxAttempts(10),
	)
	fmt.Println(status, err, "after", polls, "polls")
	// Output: ready <nil> after 4 polls
}

// This example logs every attempt with a hook.
func ExampleAfterAttempt() {
	calls := 0
	_ = retry.Do(context.Background(), func(ctx context.Context) error {
		if calls++; calls < 3 {
			return fmt.Errorf("attempt %d failed", calls)
		}
		return nil
	},
		retry.WithBackOff(retry.Exponential(time.Millisecond, 2, time.Second)),
		retry.AfterAttempt(func(a retry.Attempt) {
			if a.Err == nil {
				fmt.Printf("attempt %d succeeded\n", a.Number)
			} else {
				fmt.Printf("%v; retrying in %v\n", a.Err, a.Delay)
			}
		}),
	)
	// Output:
	// attempt 1 failed; retrying in 1ms
	// attempt 2 failed; retrying in 2ms
	// attempt 3 succeeded
}

// This example gives each attempt its own time limit; the first attempt
// hangs and is cut short, the second is quick.
func ExampleAttemptTimeout() {
	calls := 0
	err := retry.Do(context.Background(), func(ctx context.Context) error {
		if calls++; calls == 1 {
			<-ctx.Done() // a hung connection
			return ctx.Err()
		}
		return nil
	},
		retry.AttemptTimeout(10*time.Millisecond),
		retry.WithBackOff(retry.Immediate()),
		retry.AfterAttempt(func(a retry.Attempt) {
			fmt.Println("attempt", a.Number, "timed out:", errors.Is(a.Err, timeout.ErrTimeout))
		}),
	)
	fmt.Println(err)
	// Output:
	// attempt 1 timed out: true
	// attempt 2 timed out: false
	// <nil>
}

// This example prints the delays of some schedules. A schedule is a
// backoff.BackOff: NextBackOff returns one delay after another.
func ExampleExponential() {
	for _, s := range []*retry.Schedule{
		retry.Exponential(100*time.Millisecond, 2, time.Second),
		retry.Fibonacci(100*time.Millisecond, time.Second),
		retry.Fixed(time.Second).WithMaxTotalDelay(3 * time.Second),
	} {
		fmt.Printf("%-31s", s.String()+":")
		for range 7 {
			if d := s.NextBackOff(); d == backoff.Stop {
				fmt.Print(" Stop")
			} else {
				fmt.Print(" ", d)
			}
		}
		fmt.Println()
	}
	// Output:
	// exponential 100ms x2 up to 1s:  100ms 200ms 400ms 800ms 1s 1s 1s
	// fibonacci 100ms up to 1s:       100ms 100ms 200ms 300ms 500ms 800ms 1s
	// fixed 1s, at most 3s of delays: 1s 1s 1s Stop Stop Stop Stop
}

// This example uses a schedule from cenkalti/backoff, and a corral schedule
// with cenkalti/backoff's own retry loop.
func ExampleWithBackOff() {
	theirs := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(time.Millisecond),
		backoff.WithRandomizationFactor(0),
	)
	attempts := 0
	err := retry.Do(context.Background(), func(ctx context.Context) error {
		attempts++
		return errors.New("unavailable")
	}, retry.WithBackOff(theirs), retry.MaxAttempts(3))
	fmt.Println(err)

	attempts = 0
	err = backoff.Retry(func() error {
		if attempts++; attempts < 3 {
			return errors.New("unavailable")
		}
		return nil
	}, retry.Fibonacci(time.Millisecond, 10*time.Millisecond))
	fmt.Println(err, "after", attempts, "attempts")
	// Output:
	// retry: gave up after 3 attempts: unavailable
	// <nil> after 3 attempts
}

// This example shares a retry budget between the callers of one
// dependency. While the dependency is down, the budget runs out and callers
// stop retrying; successes fill it up again.
func ExampleWithBudget() {
	budget := retry.NewTokenBucket(10, 5, 1) // room for 2 retries; 5 successes earn 1 more
	policy := []retry.Option{
		retry.WithBudget(budget),
		retry.WithBackOff(retry.Immediate()),
		retry.MaxAttempts(5),
	}
	down := func(ctx context.Context) error { return errors.New("503") }
	up := func(ctx context.Context) error { return nil }

	for _, op := range []func(context.Context) error{down, down, up} {
		err := retry.Do(context.Background(), op, policy...)
		fmt.Println(err, "| tokens:", budget.Tokens())
	}
	// Output:
	// retry: gave up after 3 attempts (retry tokens exhausted): 503 | tokens: 0
	// retry: gave up after 1 attempt (retry tokens exhausted): 503 | tokens: 0
	// <nil> | tokens: 1
}

// This example sends a heartbeat at a fixed rate; it stops after three beats
// here, but would usually run until its context ends.
func ExampleRepeat() {
	beats := 0
	err := retry.Repeat(context.Background(), retry.Fixed(time.Millisecond), func(ctx context.Context) error {
		beats++
		fmt.Println("beat", beats)
		return nil
	}, retry.StartToStart(), retry.MaxRuns(3))
	fmt.Println(err)
	// Output:
	// beat 1
	// beat 2
	// beat 3
	// <nil>
}

// This example polls a job's status until it is done; unlike Until, the
// first error would end the polling.
func ExampleRepeatUntil() {
	statuses := []string{"queued", "running", "done"}
	polls := 0
	status, err := retry.RepeatUntil(context.Background(), retry.Fixed(time.Millisecond),
		func(ctx context.Context) (string, error) {
			polls++
			return statuses[polls-1], nil
		},
		func(s string) bool { return s == "done" },
	)
	fmt.Println(status, err, "after", polls, "polls")
	// Output: done <nil> after 3 polls
}

// This example puts a rate limiter in front of every attempt: the loop
// waits for a token before each one, retries included, so that all the
// callers sharing the limiter stay within a dependency's quota.
func ExampleWithRateLimit() {
	quota := rate.NewLimiter(rate.Every(10*time.Millisecond), 1) // 100 attempts a second, shared
	start := time.Now()
	attempts := 0
	err := retry.Do(context.Background(), func(ctx context.Context) error {
		if attempts++; attempts < 3 {
			return errors.New("429 Too Many Requests")
		}
		return nil
	}, retry.WithRateLimit(quota), retry.WithBackOff(retry.Immediate()))
	fmt.Println(err, "after", attempts, "attempts")
	fmt.Println("paced:", time.Since(start) >= 20*time.Millisecond)
	// Output:
	// <nil> after 3 attempts
	// paced: true
}
