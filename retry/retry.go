package retry

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/corral-go/corral/timeout"
)

// ErrConditionNotMet reports a value that the condition of [Until] or
// [RepeatUntil] rejected: it is the error of such an attempt (as an
// [AfterAttempt] hook sees it), and the Err of the [*Error] returned when the
// loop gave up before any value was accepted.
var ErrConditionNotMet = errors.New("retry: condition not met")

// Error is the error [Do], [Value] and [Until] return when they stop retrying
// because of the op's failures: a limit was reached, the error was not worth
// retrying, or it was [Permanent]. ([RepeatUntil] returns one too, when no
// value satisfied its condition.) Its message says how many attempts were
// made; errors.Is and errors.As see through it to the last failure.
type Error struct {
	// Attempts is the number of attempts made, counting the first.
	Attempts int
	// Err is the last attempt's error ([ErrConditionNotMet] if its value was
	// rejected by the condition of [Until]), with any [Permanent] wrapper
	// removed.
	Err error
	// Throttled reports that the loop stopped because the [WithBudget] token
	// bucket had no tokens for another retry.
	Throttled bool
}

// Error returns "retry: gave up after N attempts: " and the last error's
// message.
func (e *Error) Error() string {
	s := "retry: gave up after " + strconv.Itoa(e.Attempts) + " attempt"
	if e.Attempts != 1 {
		s += "s"
	}
	if e.Throttled {
		s += " (retry tokens exhausted)"
	}
	if e.Err == nil {
		return s
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the last attempt's error.
func (e *Error) Unwrap() error { return e.Err }

// Permanent wraps err so that [Do], [Value] and [Until] stop at once instead
// of retrying it, whatever [If] says; they return the original err (inside an
// [*Error]). Permanent returns nil if err is nil.
//
// The wrapper is a [*backoff.PermanentError], so an op written for this
// package works unchanged with [backoff.Retry], and an op that returns
// backoff.Permanent(err) works here. A wrapped Permanent error deeper in the
// chain (fmt.Errorf("...: %w", retry.Permanent(err))) counts too.
func Permanent(err error) error {
	return backoff.Permanent(err)
}

// Do calls op until it succeeds or the loop gives up. It returns nil on
// success; an [*Error] that wraps op's last error and counts the attempts
// when it gives up; and, when ctx ends first, ctx's error (see below).
//
// Between attempts Do waits for the schedule's next delay (see
// [WithBackOff]; by default exponential from 100ms with full jitter, at most
// 3 attempts). It stops retrying when:
//   - op's error is [Permanent], or [If] says it is not worth retrying;
//   - [MaxAttempts] attempts were made, or the schedule returns
//     [backoff.Stop];
//   - the [WithBudget] token bucket has no tokens for the retry;
//   - ctx ends.
//
// With [WithRateLimit], every attempt also waits for a token of a rate
// limiter first.
//
// Do honours ctx throughout: if ctx is already done, op is not called; a
// wait ends as soon as ctx ends, and Do returns ctx.Err(); an attempt during
// which ctx ended is never retried, and its own result is returned unchanged
// (an op that honours ctx returns an error wrapping ctx.Err()). Errors that
// only look like cancellation, such as the timeout of a single attempt with
// [AttemptTimeout], are retried: only ctx's own end stops the loop.
//
// op runs on the calling goroutine, one attempt at a time, with ctx (or, with
// AttemptTimeout, a context derived from it). Do panics if ctx or op is nil,
// and does not recover op's panics.
func Do(ctx context.Context, op func(ctx context.Context) error, opts ...Option) error {
	checkCall("Do", ctx, op == nil)
	_, err := retryLoop(ctx, retryConfig(opts), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, op(ctx)
	}, nil)
	return err
}

// Value is [Do] for an op that returns a value: it returns the value of the
// first successful attempt. When Value fails it returns the last attempt's
// value (the zero T if no attempt was made) with the error. Value panics if
// ctx or op is nil.
func Value[T any](ctx context.Context, op func(ctx context.Context) (T, error), opts ...Option) (T, error) {
	checkCall("Value", ctx, op == nil)
	return retryLoop(ctx, retryConfig(opts), op, nil)
}

// Until is [Value] with a condition on the value: an attempt succeeds when
// op returns a nil error and a value v for which ok(v) is true. An attempt
// whose value ok rejects counts as a failure ([ErrConditionNotMet]) and is
// always retried, whatever [If] says; failures of op are retried as in Do.
// Until polls through errors: "ask for the job's status until it is done,
// whatever the network does in between".
//
// When Until fails it returns the last attempt's value with the error, so a
// caller can still see the last value it got; after a rejected last attempt
// the error is an [*Error] wrapping ErrConditionNotMet. To poll on a fixed
// schedule and stop at the first error instead, use [RepeatUntil]. Until
// panics if ctx, op or ok is nil.
func Until[T any](ctx context.Context, op func(ctx context.Context) (T, error), ok func(v T) bool, opts ...Option) (T, error) {
	checkCall("Until", ctx, op == nil)
	if ok == nil {
		panic("retry: Until called with nil ok; pass the condition a value must meet, or use Value")
	}
	return retryLoop(ctx, retryConfig(opts), op, ok)
}

// checkCall panics if a loop named name was called with a nil ctx or op.
func checkCall(name string, ctx context.Context, nilOp bool) {
	if ctx == nil {
		panic("retry: " + name + " called with nil ctx; pass context.Background() or the caller's context")
	}
	if nilOp {
		panic("retry: " + name + " called with nil op; pass the operation to run")
	}
}

// retryLoop is the loop behind Do, Value and Until.
//
// It does not wrap backoff.RetryNotifyWithTimerAndData, the obvious
// candidate: that loop calls op without a context, learns about ctx only
// through a BackOffContext wrapper (so a stopped schedule and a cancelled
// ctx look alike), reports neither attempt counts nor per-attempt timeouts,
// and needs a fresh BackOff per call. The loop is short enough to own.
func retryLoop[T any](ctx context.Context, c *config, op func(context.Context) (T, error), ok func(T) bool) (T, error) {
	var v T
	sched, limit := c.backoff, c.maxAttempts
	if sched == nil {
		sched = defaultSchedule
		if limit == 0 {
			limit = defaultAttempts
		}
	}
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
		if err == nil {
			if ok == nil || ok(v) {
				c.report(n, nil, backoff.Stop)
				c.budget.refund()
				return v, nil
			}
			err = ErrConditionNotMet
		}
		if ctx.Err() != nil {
			// The caller gave up; the attempt's own error (usually wrapping
			// ctx.Err()) says more than ours would.
			c.report(n, err, backoff.Stop)
			if err == ErrConditionNotMet {
				err = ctx.Err()
			}
			return v, err
		}
		giveUp := func(throttled bool) (T, error) {
			c.report(n, err, backoff.Stop)
			return v, &Error{Attempts: n, Err: err, Throttled: throttled}
		}
		var perm *backoff.PermanentError
		if errors.As(err, &perm) {
			if p, top := err.(*backoff.PermanentError); top && p.Err != nil {
				err = p.Err
			}
			return giveUp(false)
		}
		if err != ErrConditionNotMet && c.retryable != nil && !c.retryable(err) {
			return giveUp(false)
		}
		if limit > 0 && n >= limit {
			return giveUp(false)
		}
		next := cur.next()
		if next == backoff.Stop {
			return giveUp(false)
		}
		if !c.budget.take() {
			return giveUp(true)
		}
		wait := c.wait(next, start)
		c.report(n, err, wait)
		if err := timeout.Sleep(ctx, wait); err != nil {
			return v, err
		}
	}
}

// cursor walks a loop's schedule. A *Schedule is copied into the cursor,
// so that concurrent loops can share it and a loop allocates nothing for it;
// any other BackOff is reset and used in place.
type cursor struct {
	own     Schedule
	foreign backoff.BackOff
}

func newCursor(b backoff.BackOff) (c cursor) {
	if s, ok := b.(*Schedule); ok {
		c.own.sp = s.sp
		c.own.Reset()
	} else {
		b.Reset()
		c.foreign = b
	}
	return c
}

func (c *cursor) next() time.Duration {
	if c.foreign != nil {
		return c.foreign.NextBackOff()
	}
	return c.own.NextBackOff()
}

// waitToken waits for a token of c's limiter, if there is one, or for ctx to
// end. It uses a reservation rather than rate.Limiter.Wait so that a wait
// that would pass ctx's deadline still lasts until ctx ends, like the loop's
// other waits, instead of failing at once with an error no caller can match.
func (c *config) waitToken(ctx context.Context) error {
	if c.limiter == nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := c.limiter.Reserve()
	if !r.OK() {
		if c.limiter.Burst() < 1 {
			panic(fmt.Sprintf("retry: WithRateLimit's limiter has burst %d and can never grant a token; give it a burst of at least 1",
				c.limiter.Burst()))
		}
		<-ctx.Done() // a limit of 0 with its burst spent: no token will come
		return ctx.Err()
	}
	if err := timeout.Sleep(ctx, r.Delay()); err != nil {
		r.Cancel() // give the token back to the callers still waiting
		return err
	}
	return nil
}

// attempt runs op once, under the attempt timeout if there is one.
func attempt[T any](ctx context.Context, c *config, op func(context.Context) (T, error)) (T, error) {
	if c.attemptTimeout > 0 {
		return timeout.Value(ctx, c.attemptTimeout, op)
	}
	return op(ctx)
}

// wait turns the schedule's next delay into the time to wait now.
func (c *config) wait(next time.Duration, start time.Time) time.Duration {
	if next < 0 { // a BackOff's own stop value other than backoff.Stop
		next = 0
	}
	if c.startToStart {
		next -= time.Since(start)
	}
	return max(next, 0)
}

func (c *config) report(n int, err error, delay time.Duration) {
	if c.after != nil {
		c.after(Attempt{Number: n, Err: err, Delay: delay})
	}
}
