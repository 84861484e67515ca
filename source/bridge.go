package source

import (
	"context"
	"errors"
	"fmt"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/scope"
)

// FromChannel returns a Source of the values received from c. The stream
// ends when c is done ([channel.Chan.Close]) and drained; if c fails
// ([channel.Chan.Fail]), the run fails with c's error, which matches both
// [channel.ErrFailed] and the cause. A Receive that waits ends when the
// run's context is cancelled; a value that is there is taken without
// looking at the context, which is checked before the first value and then
// every 64 values.
//
// Values are received one at a time, as the downstream asks for them, so a
// run that stops early (a [Source.Take] is satisfied) leaves the values it
// did not need in c, for other receivers. Running the Source again receives
// the values that are left; several runs at once share the values.
//
// FromChannel panics if c is nil.
func FromChannel[T any](c *channel.Chan[T]) Source[T] {
	if c == nil {
		panic("source: FromChannel called with nil c; pass a channel made by channel.New")
	}
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var check ctxCheck
		for !stop(want) {
			if err := check.check(ctx); err != nil {
				return err
			}
			// A value that is there is taken without looking at ctx;
			// only a receive that waits needs it.
			v, ok, err := c.TryReceive()
			if !ok && err == nil {
				v, err = c.Receive(ctx)
			}
			if err != nil {
				if errors.Is(err, channel.ErrClosed) {
					return nil
				}
				return err
			}
			want = out.one(v)
		}
		return nil
	}}
}

// FromGoChan returns a Source of the values received from the Go channel c,
// which ends when c is closed. It is the adapter for Go's own channels;
// [FromChannel] reads a corral [channel.Chan]. A receive that waits ends
// when the run's context is cancelled, and the run then fails with the
// context's error; a value that is there is taken at once, and the context
// is checked before the first value and then every 64 values. Values are
// received one at a time, as the downstream asks for them (see
// [FromChannel]).
//
// FromGoChan panics if c is nil: a receive from a nil channel would wait
// forever.
func FromGoChan[T any](c <-chan T) Source[T] {
	if c == nil {
		panic("source: FromGoChan called with nil c; a receive from a nil channel waits forever: pass a channel made by make")
	}
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		done := ctx.Done()
		var check ctxCheck
		for !stop(want) {
			if err := check.check(ctx); err != nil {
				return err
			}
			var v T
			var ok bool
			select { // a value that is there is taken at once
			case v, ok = <-c:
			default:
				select {
				case v, ok = <-c:
				case <-done:
					return ctx.Err()
				}
			}
			if !ok {
				return nil
			}
			want = out.one(v)
		}
		return nil
	}}
}

// RunToChannel starts running the pipeline in a fork of the scope sc, and
// returns at once with a channel of the given capacity (see [channel.New])
// that receives the values. When the stream ends the channel is closed
// ([channel.Chan.Close]); if the pipeline fails, the channel fails with the
// error ([channel.Chan.Fail]), so receivers see it, while sc does not fail.
// The consumer may close or fail the channel to stop the pipeline, which
// notices at its next send.
//
// The pipeline runs in a daemon fork (see [scope.Scope.GoDaemon]): sc does
// not wait for it, and when sc's body and awaited forks have ended, the
// pipeline is cancelled and the channel fails. So a consumer that stops
// receiving cannot keep sc open with a producer blocked on a full channel;
// but a consumer must finish receiving before sc's body (and the awaited
// fork it runs in, if any) ends. A panic in the pipeline fails the channel
// and, as a [*scope.PanicError], the scope.
//
// RunToChannel panics if sc is nil, if capacity is neither positive, 0 nor
// [channel.Unlimited], or if sc has ended.
func (s Source[T]) RunToChannel(sc *scope.Scope, capacity int) *channel.Chan[T] {
	if sc == nil {
		panic("source: RunToChannel called with nil sc; pass the scope to run the pipeline in, such as the s of scope.Supervised")
	}
	if capacity < 0 && capacity != channel.Unlimited {
		panic(fmt.Sprintf("source: RunToChannel called with capacity %d; pass 0, a positive capacity or channel.Unlimited", capacity))
	}
	c := channel.New[T](capacity)
	sc.GoDaemon(func(ctx context.Context) error {
		var err, serr error
		// A panic reaches this frame as the *scope.PanicError of the run's
		// scope; it fails the channel, so that no receiver waits forever,
		// and goes on to fail sc. So does runtime.Goexit.
		p := catch.Call(func() {
			err = s.runIn(ctx, sink[T]{
				batches: pushFunc[T](func(batch []T) int {
					for _, v := range batch {
						if serr = c.Send(ctx, v); serr != nil {
							return 0
						}
					}
					return unbounded
				}),
				one: func(v T) int {
					if serr = c.Send(ctx, v); serr != nil {
						return 0
					}
					return unbounded
				},
			})
		}, func() {
			_ = c.Fail(fmt.Errorf("source: RunToChannel: %w", scope.ErrGoexit))
		})
		if p != nil {
			_ = c.Fail(p.Value.(error))
			panic(p.Value)
		}
		switch {
		case err == nil && serr == nil:
			_ = c.Close()
		case ctx.Err() != nil:
			_ = c.Fail(context.Cause(ctx))
		case err != nil:
			_ = c.Fail(err)
		default:
			_ = c.Fail(serr) // no effect if the consumer closed or failed c
		}
		return nil
	})
	return c
}
