// Command tour shows each corral package at work in a few lines, printing
// what happens:
//
//	go run ./examples/tour
//
// Every section is one function below; the output is the same on every run.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/timeout"
)

// sections are the tour's stops, in order. Each one gets the tour's context
// and writes what it sees to w.
var sections = []struct {
	name string
	run  func(ctx context.Context, w io.Writer) error
}{
	{"scope: forks are awaited", scopeAwait},
	{"scope: a failure cancels the siblings", scopeFailure},
	{"scope: a panic reaches the caller", scopePanic},
	{"fork: typed forks, Join and Par", forks},
	{"fork: Race cancels the slow loser", race},
	{"timeout: a timeout is not a cancellation", timeouts},
	{"retry: a flaky call succeeds on the 3rd attempt", retries},
	{"channel: producers, a consumer, Close and Select", channels},
	{"channel: a failed channel reports its cause", channelFail},
	{"source: a lazy pipeline, fused and parallel", pipeline},
	{"dispatcher: tasks started from callbacks", dispatch},
	{"app: main's root scope and its exit code", appExit},
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

// run runs every section in order, writing the tour to w.
func run(w io.Writer) error {
	ctx := context.Background()
	for i, sec := range sections {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "== %s\n", sec.name)
		if err := sec.run(ctx, w); err != nil {
			return fmt.Errorf("%s: %w", sec.name, err)
		}
	}
	return nil
}

// scopeAwait shows that Supervised returns only after every fork has
// returned, and that releases registered with Defer run after that.
func scopeAwait(ctx context.Context, w io.Writer) error {
	var finished atomic.Int32
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		s.Defer(func() {
			fmt.Fprintf(w, "release: runs after all %d forks have returned\n", finished.Load())
		})
		for range 3 {
			s.Go(func(ctx context.Context) error {
				if err := timeout.Sleep(ctx, 5*time.Millisecond); err != nil { // some work
					return err
				}
				finished.Add(1)
				return nil
			})
		}
		fmt.Fprintln(w, "body: started 3 forks and returns at once")
		return nil
	})
	fmt.Fprintf(w, "Supervised returned %v with %d of 3 forks finished\n", err, finished.Load())
	return err
}

// errPayment is the failure of the scope's failure example.
var errPayment = errors.New("payment service unavailable")

// scopeFailure shows the first failure cancelling the other forks, and
// being what Supervised returns.
func scopeFailure(ctx context.Context, w io.Writer) error {
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			<-ctx.Done() // a long call that honours its context
			fmt.Fprintf(w, "inventory fork: cancelled, cause %q\n", context.Cause(ctx))
			return ctx.Err() // an echo of the failure: not reported again
		})
		s.Go(func(ctx context.Context) error { return errPayment })
		return nil
	})
	fmt.Fprintf(w, "Supervised returned %q (errors.Is errPayment: %t)\n", err, errors.Is(err, errPayment))
	if !errors.Is(err, errPayment) {
		return fmt.Errorf("want errPayment, got %v", err)
	}
	return nil
}

// scopePanic shows a panic in a fork failing its scope, then raised again on
// the caller's goroutine as a *scope.PanicError, which the caller recovers.
func scopePanic(ctx context.Context, w io.Writer) (err error) {
	defer func() {
		v := recover()
		pe, ok := v.(*scope.PanicError)
		if !ok {
			if v != nil {
				panic(v) // not ours to handle
			}
			err = errors.New("scope.Supervised returned instead of panicking")
			return
		}
		first, _, _ := strings.Cut(pe.Error(), "\n") // the rest is the stack
		fmt.Fprintf(w, "recovered *scope.PanicError: %s\n", first)
		fmt.Fprintf(w, "its stack shows the panicking fork: %t\n",
			bytes.Contains(pe.Stack, []byte("scopePanic.func")))
	}()
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			panic("stock count went negative") // a bug in a fork
		})
		return nil
	}, scope.WithName("orders"))
}

// forks shows typed forks joined for their results, and Par keeping its
// results in the order of its tasks.
func forks(ctx context.Context, w io.Writer) error {
	sum, err := scope.Run(ctx, func(s *scope.Scope) (int, error) {
		a := fork.New(s, func(ctx context.Context) (int, error) { return 20, nil })
		b := fork.New(s, func(ctx context.Context) (int, error) { return 22, nil })
		x, errA := a.Join()
		y, errB := b.Join()
		return x + y, errors.Join(errA, errB)
	})
	fmt.Fprintf(w, "New + Join: 20 + 22 = %d (%v)\n", sum, err)

	square := func(n int) func(context.Context) (int, error) {
		return func(context.Context) (int, error) { return n * n, nil }
	}
	squares, err := fork.Par(ctx, square(1), square(2), square(3))
	fmt.Fprintf(w, "Par: %v in input order (%v)\n", squares, err)
	return err
}

// race shows Race returning the first success, and cancelling and awaiting
// the slow loser before it returns.
func race(ctx context.Context, w io.Writer) error {
	winner, err := fork.Race(ctx,
		func(ctx context.Context) (string, error) {
			select {
			case <-time.After(time.Minute): // the slow replica
				return "slow replica", nil
			case <-ctx.Done():
				fmt.Fprintf(w, "slow replica: cancelled, cause %q\n", context.Cause(ctx))
				return "", ctx.Err()
			}
		},
		func(ctx context.Context) (string, error) { return "fast replica", nil },
	)
	fmt.Fprintf(w, "Race returned %q (%v)\n", winner, err)
	return err
}

// timeouts shows timeout.Do telling its own deadline apart from the caller
// giving up.
func timeouts(ctx context.Context, w io.Writer) error {
	slowQuery := func(ctx context.Context) error {
		select {
		case <-time.After(time.Minute):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	err := timeout.Do(ctx, 10*time.Millisecond, slowQuery)
	fmt.Fprintf(w, "10ms limit: %v (ErrTimeout: %t, DeadlineExceeded: %t)\n",
		err, errors.Is(err, timeout.ErrTimeout), errors.Is(err, context.DeadlineExceeded))

	userCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	time.AfterFunc(5*time.Millisecond, cancel) // the user gives up first
	err = timeout.Do(userCtx, time.Minute, slowQuery)
	fmt.Fprintf(w, "caller cancelled: %v (ErrTimeout: %t)\n", err, errors.Is(err, timeout.ErrTimeout))
	return nil
}

// retries shows retry.Value calling a flaky operation until it succeeds, and
// retry.Do giving up with a *retry.Error.
func retries(ctx context.Context, w io.Writer) error {
	calls := 0
	flaky := func(ctx context.Context) (string, error) {
		calls++
		if calls < 3 {
			return "", fmt.Errorf("call %d: connection refused", calls)
		}
		return "connected", nil
	}
	v, err := retry.Value(ctx, flaky,
		retry.WithBackOff(retry.Fixed(5*time.Millisecond)), // no jitter: the same every run
		retry.MaxAttempts(5),
		retry.AfterAttempt(func(a retry.Attempt) {
			if a.Err != nil {
				fmt.Fprintf(w, "attempt %d failed (%v); next in %v\n", a.Number, a.Err, a.Delay)
			}
		}),
	)
	fmt.Fprintf(w, "result %q after %d attempts (%v)\n", v, calls, err)

	err = retry.Do(ctx, func(context.Context) error { return errPayment },
		retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(2))
	var re *retry.Error
	fmt.Fprintf(w, "giving up: %v (*retry.Error: %t)\n", err, errors.As(err, &re))
	return nil
}

// channels shows two producers that Close their channels when done, and a
// consumer that Selects over both until both are drained.
func channels(ctx context.Context, w io.Writer) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		nums, words := channel.New[int](2), channel.New[string](channel.Unlimited)
		s.Go(produce(nums, 1, 2, 3, 4))
		s.Go(produce(words, "red", "green", "blue"))
		sum, n := 0, 0
		clauses := []channel.Clause{
			channel.OnReceive(nums, func(v int) { sum += v }),
			channel.OnReceive(words, func(string) { n++ }),
		}
		for open := len(clauses); open > 0; {
			i, err := channel.Select(ctx, clauses...)
			if errors.Is(err, channel.ErrClosed) {
				clauses[i] = nil // done and drained: select on the others
				open--
			} else if err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "consumer: numbers summed to %d, %d words, both channels done\n", sum, n)
		return nil
	})
}

// produce returns a fork that sends vs on c, then closes c: the channel is
// done, but every value sent is still received.
func produce[T any](c *channel.Chan[T], vs ...T) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		defer func() { _ = c.Close() }()
		for _, v := range vs {
			if err := c.Send(ctx, v); err != nil {
				return err
			}
		}
		return nil
	}
}

// channelFail shows a failed channel: unlike a closed one, it drops what it
// holds and reports the failure to every sender and receiver.
func channelFail(ctx context.Context, w io.Writer) error {
	c := channel.New[int](1)
	_ = c.Send(ctx, 7)
	_ = c.Fail(errors.New("disk full"))
	_, err := c.Receive(ctx)
	fmt.Fprintf(w, "Receive after Fail: %v (ErrFailed: %t)\n", err, errors.Is(err, channel.ErrFailed))
	return nil
}
