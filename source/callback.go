package source

import (
	"context"
	"errors"
	"fmt"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/source/internal/handoff"
)

// Overflow says what an [Emitter] does with a value pushed while the buffer
// of its [FromCallback] source is full.
type Overflow uint8

const (
	// OverflowBlock makes Push wait until there is room, or the stream ends.
	// Nothing is lost, and a slow consumer slows the producer down.
	OverflowBlock Overflow = iota
	// OverflowDropOldest makes room by discarding the oldest buffered value:
	// the consumer sees the most recent values. Push never waits.
	OverflowDropOldest
	// OverflowDropNewest discards the value pushed: the consumer sees the
	// oldest values. Push never waits.
	OverflowDropNewest
	// OverflowFail ends the stream with [ErrOverflow], after the buffered
	// values: the consumer must keep up. Push never waits.
	OverflowFail
)

// policy is the queue's policy for o.
func (o Overflow) policy() handoff.Policy {
	switch o {
	case OverflowDropOldest:
		return handoff.DropOldest
	case OverflowDropNewest:
		return handoff.DropNewest
	case OverflowFail:
		return handoff.Fail
	}
	return handoff.Block
}

// String returns the name of the constant o, such as "OverflowBlock".
func (o Overflow) String() string {
	switch o {
	case OverflowBlock:
		return "OverflowBlock"
	case OverflowDropOldest:
		return "OverflowDropOldest"
	case OverflowDropNewest:
		return "OverflowDropNewest"
	case OverflowFail:
		return "OverflowFail"
	}
	return fmt.Sprintf("Overflow(%d)", uint8(o))
}

// ErrOverflow is the error of a [FromCallback] stream with [OverflowFail]
// whose buffer was full when a value was pushed. [Emitter.Push] returns it
// for that value, and the run fails with it.
var ErrOverflow = errors.New("source: callback buffer overflow")

// An Emitter pushes values into the stream of a [FromCallback] source, from
// callbacks that run on goroutines the stream does not control. All its
// methods are safe for concurrent use, and may be called at any time, also
// after the stream has ended: they then do nothing, and Push returns
// [channel.ErrClosed] without waiting.
type Emitter[T any] struct {
	q *handoff.Queue[T]
}

// Push adds v to the stream. It returns nil when v was buffered, or dropped
// as the overflow policy says; [ErrOverflow] when v overflowed the buffer of
// a stream with [OverflowFail]; and [channel.ErrClosed] when the stream has
// ended: the source was closed or failed, the downstream stopped, or the
// run is over.
//
// With [OverflowBlock], Push waits while the buffer is full, until the
// consumer makes room or the stream ends. Do not call it then from the
// goroutine that runs the pipeline (from a function of a later stage, say):
// that goroutine is the consumer.
func (e *Emitter[T]) Push(v T) error {
	one := [1]T{v}
	_, err := e.q.Put(one[:], nil, nil)
	if err == handoff.ErrClosed {
		return channel.ErrClosed
	}
	return err
}

// Close ends the stream: the values already pushed are still passed on,
// then the run ends without error. Later pushes return [channel.ErrClosed].
func (e *Emitter[T]) Close() { e.q.Close() }

// Fail ends the stream with err: the values already pushed are still passed
// on, then the run fails with err. Later pushes return [channel.ErrClosed].
// Fail panics if err is nil.
func (e *Emitter[T]) Fail(err error) {
	if err == nil {
		panic("source: Emitter.Fail called with nil err; call Close to end the stream without an error")
	}
	e.q.Fail(err)
}

// FromCallback returns a Source of the values that callbacks push: it
// bridges an API that delivers events by calling a function, on goroutines
// of its own, into a stream.
//
// Each run calls register, on the goroutine of the run, with a context
// that is cancelled when the stream ends and an [Emitter] for this run.
// register subscribes to the API with callbacks that call [Emitter.Push]
// for each event, and [Emitter.Close] or [Emitter.Fail] when the API
// reports the end or a failure; it returns a function that unsubscribes
// (or nil). An error from register fails the run. The stream ends when the
// emitter is closed or failed, when the downstream stops, or when the run
// is cancelled; unregister is then called, on the goroutine of the run,
// after the emitter has stopped taking values, so that callbacks blocked in
// Push return at once.
//
// Pushed values wait in a buffer of the given capacity, or of unlimited
// size with [channel.Unlimited]; overflow says what a Push into a full
// buffer does. The run passes buffered values downstream in batches.
//
// FromCallback starts no goroutine: the callbacks' goroutines fill the
// buffer, and the goroutine of the run empties it.
//
// FromCallback panics if capacity is neither positive nor
// channel.Unlimited, if overflow is not one of the Overflow constants, or if
// register is nil.
func FromCallback[T any](capacity int, overflow Overflow, register func(ctx context.Context, e *Emitter[T]) (unregister func(), err error)) Source[T] {
	if capacity <= 0 && capacity != channel.Unlimited {
		panic(fmt.Sprintf("source: FromCallback called with capacity %d; pass a positive capacity or channel.Unlimited", capacity))
	}
	if overflow > OverflowFail {
		panic(fmt.Sprintf("source: FromCallback called with overflow %v; pass one of the Overflow constants", overflow))
	}
	mustFunc("FromCallback", "register", register == nil)
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		ctx, cancel := context.WithCancel(ctx)
		limit := capacity
		if capacity == channel.Unlimited {
			limit = handoff.Unlimited
		}
		e := &Emitter[T]{q: handoff.NewQueue[T](handoff.Config{
			Limit: limit, Size: maxBatch, Producers: 1, Full: overflow.policy(), FullErr: ErrOverflow,
		})}
		var unregister func()
		defer func() {
			e.q.Stop()
			cancel()
			if unregister != nil {
				unregister()
			}
		}()
		var err error
		if unregister, err = register(ctx, e); err != nil {
			return err
		}
		return drain(ctx, ctx, e.q, want, out)
	}}
}
