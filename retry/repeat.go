package retry

import (
	"context"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/corral-go/corral/timeout"
)

// Repeat runs op, then runs it again after each delay of schedule, for
// polling and heartbeats: retrying's mirror image, which repeats on success
// and stops at the first failure. It returns
//   - nil when the schedule stops or [MaxRuns] runs were made;
//   - op's error, unchanged (without a [Permanent] wrapper), as soon as a run
//     fails;
//   - ctx.Err() when ctx ends, unless a run failed first.
//
// A schedule with no limit, such as [Fixed], repeats until ctx ends or op
// fails: the usual way to run a heartbeat for as long as a scope lives.
// Delays are measured from the end of one run to the start of the next;
// with [StartToStart] they are measured from start to start, for a fixed
// rate.
//
// The schedule is an argument because Repeat, unlike [Do], has no sensible
// default; options that concern failures ([WithBackOff], [MaxAttempts],
// [If], [WithBudget]) are not RepeatOptions, so the compiler rejects them.
// Like [WithBackOff], Repeat works on a private copy of a [*Schedule] and
// resets any other BackOff before the first run. Repeat panics if ctx,
// schedule or op is nil.
func Repeat(ctx context.Context, schedule backoff.BackOff, op func(ctx context.Context) error, opts ...RepeatOption) error {
	checkCall("Repeat", ctx, op == nil)
	checkSchedule("Repeat", schedule)
	_, err := repeatLoop(ctx, repeatConfig(opts), schedule, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, op(ctx)
	}, nil)
	return err
}

// RepeatUntil is [Repeat] for an op that returns a value, with a condition
// on it: it stops at the first value v for which ok(v) is true and returns it
// with a nil error. If the schedule or [MaxRuns] ends the repetition first,
// it returns the last value and an [*Error] wrapping [ErrConditionNotMet];
// like Repeat, it stops at the first failure of op and returns its error
// with the value of that run.
//
// RepeatUntil polls: "check the job's status every 5 seconds until it is
// done" is
//
//	status, err := retry.RepeatUntil(ctx, retry.Fixed(5*time.Second), jobStatus, isDone)
//
// To keep polling through failures as well, use [Until]. RepeatUntil panics
// if ctx, schedule, op or ok is nil.
func RepeatUntil[T any](ctx context.Context, schedule backoff.BackOff, op func(ctx context.Context) (T, error), ok func(v T) bool, opts ...RepeatOption) (T, error) {
	checkCall("RepeatUntil", ctx, op == nil)
	checkSchedule("RepeatUntil", schedule)
	if ok == nil {
		panic("retry: RepeatUntil called with nil ok; pass the condition that ends the repetition, or use Repeat")
	}
	return repeatLoop(ctx, repeatConfig(opts), schedule, op, ok)
}

func checkSchedule(name string, schedule backoff.BackOff) {
	if schedule == nil {
		panic("retry: " + name + " called with nil schedule; pass one such as retry.Fixed(time.Second)")
	}
}

// repeatLoop is the loop behind Repeat and RepeatUntil.
func repeatLoop[T any](ctx context.Context, c *config, sched backoff.BackOff, op func(context.Context) (T, error), ok func(T) bool) (T, error) {
	var v T
	cur := newCursor(sched)
	if err := timeout.Sleep(ctx, c.initialDelay); err != nil {
		return v, err
	}
	for n := 1; ; n++ {
		if err := c.waitToken(ctx); err != nil {
			return v, err
		}
		start := time.Now()
		var err error
		v, err = attempt(ctx, c, op)
		if err != nil {
			if p, top := err.(*backoff.PermanentError); top && p.Err != nil {
				err = p.Err
			}
			c.report(n, err, backoff.Stop)
			return v, err
		}
		if ok != nil {
			if ok(v) {
				c.report(n, nil, backoff.Stop)
				return v, nil
			}
			err = ErrConditionNotMet
		}
		if ctx.Err() != nil {
			c.report(n, err, backoff.Stop)
			return v, ctx.Err()
		}
		next := backoff.Stop
		if c.maxAttempts == 0 || n < c.maxAttempts {
			next = cur.next()
		}
		if next == backoff.Stop {
			c.report(n, err, backoff.Stop)
			if err != nil {
				return v, &Error{Attempts: n, Err: err}
			}
			return v, nil
		}
		wait := c.wait(next, start)
		c.report(n, err, wait)
		if err := timeout.Sleep(ctx, wait); err != nil {
			return v, err
		}
	}
}
