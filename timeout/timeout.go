package timeout

import (
	"context"
	"time"
)

// ErrTimeout is the error reported when an operation run by [Do] or [Value]
// outlives its time limit. It is also the cause of the operation's context
// (see [context.Cause]).
//
// Both errors.Is(err, ErrTimeout) and errors.Is(err, context.DeadlineExceeded)
// hold for it, so code that only knows the standard library still recognises
// a timeout.
var ErrTimeout error = errTimeout{}

type errTimeout struct{}

func (errTimeout) Error() string { return "timeout: time limit exceeded" }

// Unwrap lets errors.Is(ErrTimeout, context.DeadlineExceeded) hold.
func (errTimeout) Unwrap() error { return context.DeadlineExceeded }

// Timeout reports true, as [net.Error] does for timeouts.
func (errTimeout) Timeout() bool { return true }

// Do runs f with a context whose deadline is d away and returns when f
// returns.
//
// The context's cancellation cause is [ErrTimeout]. If the deadline passed
// before f returned, Do returns an error that matches [ErrTimeout] (and
// [context.DeadlineExceeded]), even if f returned nil: a result that arrives
// late is not a result the caller asked for. That error keeps f's own error,
// so that the caller learns what timed out: errors.Is and errors.As find it
// (the *url.Error of an HTTP request, a driver's error), and the message is
// the limit followed by f's message:
//
//	timeout after 300ms: Get "http://users.internal/42": context deadline exceeded
//
// (When f returned nil, or only ctx.Err() or context.Cause(ctx) as they are,
// the message is just "timeout after 300ms".)
//
// A deadline or cancellation of ctx itself is not a timeout of Do: then f's
// own result is returned unchanged (typically ctx.Err()), never ErrTimeout.
//
// f must honour its context: Go cannot interrupt a goroutine, so Do waits for
// f however long it takes. A d of zero or less times out at once. Do panics if
// ctx or f is nil.
func Do(ctx context.Context, d time.Duration, f func(ctx context.Context) error) error {
	if ctx == nil {
		panic("timeout: Do called with nil ctx; pass context.Background() or the caller's context")
	}
	if f == nil {
		panic("timeout: Do called with nil f; pass the function to run")
	}
	_, err := run(ctx, d, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, f(ctx)
	})
	return err
}

// Value is [Do] for a function that returns a value. On a timeout it returns
// the zero T and an error that matches [ErrTimeout] and keeps f's own error,
// as Do's does. Value panics if ctx or f is nil.
func Value[T any](ctx context.Context, d time.Duration, f func(ctx context.Context) (T, error)) (T, error) {
	if ctx == nil {
		panic("timeout: Value called with nil ctx; pass context.Background() or the caller's context")
	}
	if f == nil {
		panic("timeout: Value called with nil f; pass the function to run")
	}
	return run(ctx, d, f)
}

func run[T any](ctx context.Context, d time.Duration, f func(ctx context.Context) (T, error)) (T, error) {
	deadline := time.Now().Add(d)
	tctx, cancel := context.WithDeadlineCause(ctx, deadline, ErrTimeout)
	defer cancel()
	v, err := f(tctx)
	if !expired(ctx, tctx, deadline) {
		// Either f finished in time, or the parent ended first: f's
		// result stands as it is.
		return v, err
	}
	var zero T
	if err == ErrTimeout || err == context.DeadlineExceeded {
		err = nil // says nothing the timeout does not say
	}
	return zero, &limitError{limit: d, err: err}
}

// expired reports whether tctx, derived from parent with the given deadline
// and cause ErrTimeout, ended because that deadline passed.
//
// Its cause being ErrTimeout is not enough: the parent may carry the same
// cause (an enclosing Do, or another package's context.WithTimeoutCause),
// and when the parent's deadline is the earlier one, WithDeadlineCause
// starts no timer of its own, so tctx only ever reports the parent's end.
func expired(parent, tctx context.Context, deadline time.Time) bool {
	if tctx.Err() == nil || context.Cause(tctx) != ErrTimeout {
		return false
	}
	if pd, ok := parent.Deadline(); ok && pd.Before(deadline) {
		return false // the parent's deadline, not ours
	}
	// Before our deadline, the cause can only be a parent's, cancelled by
	// hand with ErrTimeout.
	return !time.Now().Before(deadline)
}

// limitError is the error of an operation that outlived its limit: it
// matches ErrTimeout, and keeps the operation's own error, if any.
//
// An earlier version returned ErrTimeout alone whenever the operation's error
// matched context.DeadlineExceeded or context.Canceled. That is what a
// well-behaved operation returns (net/http's *url.Error, database/sql and
// gRPC all wrap ctx.Err()), so the error that said which backend timed out
// was the one thrown away (issue 11, item 8).
type limitError struct {
	limit time.Duration
	err   error // nil if the operation returned nothing more than the timeout
}

func (e *limitError) Error() string {
	if e.err == nil {
		return "timeout after " + e.limit.String()
	}
	return "timeout after " + e.limit.String() + ": " + e.err.Error()
}

func (e *limitError) Unwrap() []error {
	if e.err == nil {
		return []error{ErrTimeout}
	}
	return []error{ErrTimeout, e.err}
}

// Timeout reports true, as [net.Error] does for timeouts.
func (e *limitError) Timeout() bool { return true }

// Sleep pauses the calling goroutine for d, or until ctx is done. It returns
// nil after a full sleep and ctx.Err() if ctx ended first (at once if ctx is
// already done, even when d is zero or less). Sleep panics if ctx is nil.
func Sleep(ctx context.Context, d time.Duration) error {
	if ctx == nil {
		panic("timeout: Sleep called with nil ctx; pass context.Background() or the caller's context")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
