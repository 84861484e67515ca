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
//   - nil when the schedule stops or [MaxAttempts] runs were made;
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
// Repeat takes [MaxAttempts], [InitialDelay], [StartToStart],
// [AttemptTimeout] (a run that times out fails) and [AfterAttempt]. It panics
// if given [WithBackOff] (the schedule is an argument), [If] or [Adaptive]
// (which concern failures, and Repeat stops at the first), or [Until] (use
// [RepeatValue]); and if ctx, schedule or op is nil.
//
// Like [WithBackOff], Repeat works on a private copy of a [*Schedule] and
// resets any other BackOff before the first run.
func Repeat(ctx context.Context, schedule backoff.BackOff, op func(ctx context.Context) error, opts ...Option) error {
	checkCall("Repeat", ctx, op == nil)
	c := repeatConfig("Repeat", schedule, opts)
	if c.until != nil {
		panic("retry: Until used with Repeat, which has no value; use RepeatValue")
	}
	_, err := repeatLoop(ctx, c, schedule, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, op(ctx)
	}, nil)
	return err
}

// RepeatValue is [Repeat] for an op that returns a value, and returns the
// last value it got. With [Until], it stops at the first value that
// satisfies the condition and returns it with a nil error; if the schedule or
// [MaxAttempts] ends the repetition first, the error is an [*Error] wrapping
// [ErrConditionNotMet].
//
// RepeatValue polls: "check the job's status every 5 seconds until it is
// done" is RepeatValue(ctx, retry.Fixed(5*time.Second), status,
// retry.Until(isDone)). To keep polling through failures as well, use
// [Value] with Until instead.
func RepeatValue[T any](ctx context.Context, schedule backoff.BackOff, op func(ctx context.Context) (T, error), opts ...Option) (T, error) {
	checkCall("RepeatValue", ctx, op == nil)
	c := repeatConfig("RepeatValue", schedule, opts)
	return repeatLoop(ctx, c, schedule, op, untilFor[T](c, "RepeatValue"))
}

func repeatConfig(name string, schedule backoff.BackOff, opts []Option) *config {
	if schedule == nil {
		panic("retry: " + name + " called with nil schedule")
	}
	c := newConfig(opts)
	switch {
	case c.backoff != nil:
		panic("retry: WithBackOff used with " + name + ", which takes its schedule as an argument")
	case c.retryable != nil:
		panic("retry: If used with " + name + ", which stops at the first error")
	case c.bucket != nil:
		panic("retry: Adaptive used with " + name + ", which stops at the first error")
	}
	return c
}

// repeatLoop is the loop behind Repeat and RepeatValue.
func repeatLoop[T any](ctx context.Context, c *config, sched backoff.BackOff, op func(context.Context) (T, error), ok func(T) bool) (T, error) {
	var v T
	cur := newCursor(sched)
	if err := timeout.Sleep(ctx, c.initialDelay); err != nil {
		return v, err
	}
	for n := 1; ; n++ {
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
