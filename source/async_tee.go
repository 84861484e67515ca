package source

import (
	"context"
	"errors"
	"fmt"

	"github.com/corral-go/corral/channel"
)

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
// The run owns the end of c: when the stream ends, or the downstream
// stops, c is closed; when the run fails, is cancelled or panics, c fails
// with that error (a panic as its [*scope.PanicError] or value). So a
// Source with AlsoTo should run once: a second run finds c closed.
//
// AlsoTo starts no goroutine: values are sent on the goroutine that runs s.
// It panics if c is nil.
func (s Source[T]) AlsoTo(c *channel.Chan[T]) Source[T] {
	if c == nil {
		panic("source: AlsoTo called with nil c")
	}
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) (err error) {
		returned := false
		defer func() {
			if !returned {
				if v := recover(); v != nil {
					_ = c.Fail(panicValue(v))
					panic(v)
				}
				_ = c.Fail(errors.New("source: AlsoTo: run ended by runtime.Goexit"))
			}
		}()
		var serr error
		if !stop(want) {
			err = up(ctx, want, func(batch []T) int {
				for _, v := range batch {
					if serr = c.Send(ctx, v); serr != nil {
						return 0
					}
				}
				return emit(batch)
			})
		}
		returned = true
		switch {
		case err == nil && serr == nil:
			_ = c.Close()
			return nil
		case err == nil && ctx.Err() != nil:
			err = ctx.Err()
		case err == nil:
			err = fmt.Errorf("source: AlsoTo: %w", serr)
		}
		_ = c.Fail(err)
		return err
	}}
}

// panicValue is the error a channel fails with when the run that feeds it
// panics with v.
func panicValue(v any) error {
	if err, ok := v.(error); ok {
		return err
	}
	return fmt.Errorf("source: panic: %v", v)
}
