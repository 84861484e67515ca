package source

import (
	"context"
	"fmt"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/scope"
)

var alsoToScope = scope.WithName("source.AlsoTo")

// AlsoTo returns a Source of the values of s that also sends each value to
// c, before passing it downstream: a tee. Both sides see every value, in
// order; neither is allowed to miss one silently.
//
// A send waits while c is full, so a slow reader of c slows the whole
// pipeline down (put a buffered channel, or a [channel.Unlimited] one, in
// between to decouple them). If c is closed or failed by its reader, the
// run fails with an error that wraps the send's error ([channel.ErrClosed],
// or the failure). A send that waits ends when the run is cancelled.
//
// The run owns the end of c, and ends it once s has stopped:
//
//   - c is closed when s ends, or when the downstream stops taking values
//     (a [Source.Take] is satisfied, a loop over [Source.All] breaks). A
//     failure in a fused stage after AlsoTo, or in the terminal's function,
//     stops s in the same way, so c is closed then too: it has received
//     every value that the failing stage received.
//   - c fails when s fails (with s's error); when the run is cancelled,
//     also when a later stage notices it first (with the context's cause,
//     which matches [context.Canceled] or [context.DeadlineExceeded]); when
//     a later async stage fails, which cancels s (with that failure); and
//     when a function of the run panics (with the [*scope.PanicError]) or
//     calls [runtime.Goexit] (with an error matching [scope.ErrGoexit]).
//
// So a Source with AlsoTo should run once: a second run finds c closed.
//
// AlsoTo starts no goroutine: values are sent on the goroutine that runs s.
// It panics if c is nil.
func (s Source[T]) AlsoTo(c *channel.Chan[T]) Source[T] {
	if c == nil {
		panic("source: AlsoTo called with nil c; pass the channel to copy the values to")
	}
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			_ = c.Close()
			return nil
		}
		var err, serr error
		tee := sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				for _, v := range batch {
					if serr = c.Send(ctx, v); serr != nil {
						return 0
					}
				}
				return out.push(batch)
			}),
			one: func(v T) int {
				if serr = c.Send(ctx, v); serr != nil {
					return 0
				}
				return out.one(v)
			},
		}
		// The run goes through a scope of its own so that a panic reaches
		// this frame as a *scope.PanicError, with the stack where it
		// happened, for c to fail with.
		p := catch.Call(func() {
			err = scope.Supervised(ctx, func(sc *scope.Scope) error {
				return up(sc.Context(), want, tee)
			}, alsoToScope)
		}, func() {
			_ = c.Fail(fmt.Errorf("source: AlsoTo: %w", scope.ErrGoexit))
		})
		if p != nil {
			_ = c.Fail(p.Value.(error)) // a *scope.PanicError
			panic(p.Value)
		}
		// ctx is the context that the stages after AlsoTo check: if it is
		// done, they may have stopped s because of it, and such a stop is
		// not the end of the stream. An async stage downstream that
		// stopped normally cancels it with errStopped, after telling s to
		// stop.
		cause := context.Cause(ctx)
		if serr != nil && cause != nil && isCancellation(serr) {
			serr = nil // a send that waited was stopped by ctx: see cause
		}
		stopped := cause == errStopped
		if stopped {
			cause = nil
		}
		switch {
		case err != nil && !(isCancellation(err) && (cause != nil || stopped)):
			_ = c.Fail(err) // s failed
		case cause != nil:
			_ = c.Fail(cause) // the run was cancelled
			if err == nil {
				err = ctx.Err()
			}
		case serr != nil:
			err = fmt.Errorf("source: AlsoTo: %w", serr)
			_ = c.Fail(err)
		default: // s ended, or the downstream stopped
			_ = c.Close()
			err = nil
		}
		return err
	}}
}
