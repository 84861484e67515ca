package timeout

import (
	"context"
	"errors"
	"time"
)

// ErrTimeout is the error reported when an operation run by [Do] or [Value]
// outlives its time limit. It is also the cause of the operation's context
// (see [context.Cause]).
//
// Both errors.Is(err, ErrTimeout) and errors.Is(err, context.DeadlineExceeded)
// hold for it, so code that only knows the standard library still recognises
// a timeout.
var ErrTimeout error = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string { return "timeout: time limit exceeded" }

// Unwrap lets errors.Is(ErrTimeout, context.DeadlineExceeded) hold.
func (timeoutError) Unwrap() error { return context.DeadlineExceeded }

// Timeout reports true, as [net.Error] does for timeouts.
func (timeoutError) Timeout() bool { return true }

// Do runs f with a context whose deadline is d away and returns when f
// returns.
//
// The context's cancellation cause is [ErrTimeout]. If the deadline passed
// before f returned, Do returns an error that matches [ErrTimeout] (and
// [context.DeadlineExceeded]), even if f returned nil: a result that arrives
// late is not a result the caller asked for. If f returned its own error after
// the deadline, that error is wrapped too, so errors.Is finds both.
//
// A deadline or cancellation of ctx itself is not a timeout of Do: then f's
// own result is returned unchanged (typically ctx.Err()), never ErrTimeout.
//
// f must honour its context: Go cannot interrupt a goroutine, so Do waits for
// f however long it takes. A d of zero or less times out at once. Do panics if
// f is nil.
func Do(ctx context.Context, d time.Duration, f func(ctx context.Context) error) error {
	if f == nil {
		panic("timeout: Do called with nil f")
	}
	_, err := Value(ctx, d, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, f(ctx)
	})
	return err
}

// Value is [Do] for a function that returns a value. On a timeout it returns
// the zero T and an error that matches [ErrTimeout]. Value panics if f is nil.
func Value[T any](ctx context.Context, d time.Duration, f func(ctx context.Context) (T, error)) (T, error) {
	if f == nil {
		panic("timeout: Value called with nil f")
	}
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
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return zero, ErrTimeout
	}
	return zero, &lateError{err: err}
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

// lateError is an operation's own error that came after the deadline.
type lateError struct{ err error }

func (e *lateError) Error() string   { return "timeout: " + e.err.Error() }
func (e *lateError) Unwrap() []error { return []error{ErrTimeout, e.err} }
func (e *lateError) Timeout() bool   { return true }

// Sleep pauses the calling goroutine for d, or until ctx is done. It returns
// nil after a full sleep and ctx.Err() if ctx ended first (at once if ctx is
// already done, even when d is zero or less).
func Sleep(ctx context.Context, d time.Duration) error {
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
