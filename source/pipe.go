package source

import (
	"context"
	"fmt"

	"github.com/corral-go/corral/channel"
)

// RunSendTo runs the pipeline and sends each value to c, in order, on the
// calling goroutine, and returns the run's error once every stage has
// ended. Unlike [Source.RunToChannel], it neither makes nor ends the
// channel: c stays open whatever happens, so several pipelines, or a
// pipeline run again and again, can feed one channel, and its owner closes
// it when they are all done (Ox's runPipeToSink without propagating the
// end).
//
// A send waits while c is full, and the wait ends when ctx is cancelled
// (the run then fails with ctx's error). If c is closed or failed by
// another goroutine, the run stops and fails with an error that wraps the
// send's error ([channel.ErrClosed], or the failure). The values sent
// before a failure stay in c.
//
// RunSendTo panics if ctx or c is nil.
func (s Source[T]) RunSendTo(ctx context.Context, c *channel.Chan[T]) error {
	mustCtx("RunSendTo", ctx)
	if c == nil {
		panic("source: RunSendTo called with nil c; pass the channel to send the values to")
	}
	var serr error
	send := func(v T) int {
		if serr = c.Send(ctx, v); serr != nil {
			return 0
		}
		return unbounded
	}
	err := s.runIn(ctx, perValue(send))
	switch {
	case err != nil || serr == nil:
		return err
	case ctx.Err() != nil:
		return ctx.Err() // a send that waited was ended by the cancellation
	}
	return fmt.Errorf("source: RunSendTo: %w", serr)
}

// RunSendToGoChan is [Source.RunSendTo] for a Go channel: it sends each
// value to c and returns the run's error, and never closes c. A send that
// waits ends when ctx is cancelled, and the run then fails with ctx's
// error. As with any Go channel, closing c while RunSendToGoChan may send
// to it is a bug (a send on a closed channel panics): close it once the
// call has returned.
//
// RunSendToGoChan panics if ctx or c is nil.
func (s Source[T]) RunSendToGoChan(ctx context.Context, c chan<- T) error {
	mustCtx("RunSendToGoChan", ctx)
	if c == nil {
		panic("source: RunSendToGoChan called with nil c; a send on a nil channel waits forever: pass a channel made by make")
	}
	done := ctx.Done()
	var serr error
	send := func(v T) int {
		select {
		case c <- v:
			return unbounded
		case <-done:
			serr = ctx.Err()
			return 0
		}
	}
	err := s.runIn(ctx, perValue(send))
	if err == nil {
		err = serr
	}
	return err
}
