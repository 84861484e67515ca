package jetstream

import (
	"context"
	"errors"

	"github.com/corral-go/corral/source"
)

// A Result carries a message, and the outcome of the work on it, down a
// pipeline to the stage that settles it: [Process] makes Results, and
// [Settle] settles them.
type Result[T any] struct {
	Msg   *Msg
	Value T     // what the work made of Msg, if Err is nil
	Err   error // why the work on Msg failed
}

// Process adapts f, the work on one message, for [source.MapPar] and
// [source.MapParUnordered]: the function it returns calls f and returns a
// [Result] with f's value or error, so that a failed message flows on to be
// nak'd by [Settle] rather than ending the run.
//
// One error still ends the run: f's error when ctx is done, because the
// run is ending and the message will not be settled; the server delivers
// it again once its AckWait has passed. A panic in f ends the run as in any
// stage.
//
// Process panics if f is nil.
func Process[T any](f func(ctx context.Context, m *Msg) (T, error)) func(ctx context.Context, m *Msg) (Result[T], error) {
	if f == nil {
		panic("jetstream: Process called with nil f")
	}
	return func(ctx context.Context, m *Msg) (Result[T], error) {
		v, err := f(ctx, m)
		if err != nil && ctx.Err() != nil {
			return Result[T]{}, err
		}
		return Result[T]{Msg: m, Value: v, Err: err}, nil
	}
}

// Settle returns a Source that settles the message of each Result of src
// with a ([Acker.Settle]: ack on success, nak with delay or terminate on
// failure), in the order the Results arrive, and passes on the values of
// the Results that succeeded, each once its message has been acked.
//
// Put Settle after the stage that finishes the work on a message, so that
// a message is acked only when its work is done: after [source.MapPar],
// messages are acked in the order of the consumer; after
// [source.MapParUnordered], as soon as each is done; after [Publish], once
// what the work made is stored.
//
// A Result whose message was already settled (by the work itself, say) is
// left as it is. Any other error from settling ends the run: the messages
// not settled then are delivered again once their AckWait has passed.
//
// Fused: Settle runs src, and calls a.Settle, on the goroutine that runs
// the stage after it.
//
// Settle panics if a is nil.
func Settle[T any](src source.Source[Result[T]], a *Acker) source.Source[T] {
	if a == nil {
		panic("jetstream: Settle called with nil Acker; pass NewAcker()")
	}
	return source.FromFunc(func(ctx context.Context, emit func(T) error) error {
		return src.RunForEach(ctx, func(r Result[T]) error {
			if r.Msg == nil {
				panic("jetstream: Settle got a Result with nil Msg; make Results with Process")
			}
			if err := a.Settle(ctx, r.Msg, r.Err); err != nil && !errors.Is(err, ErrSettled) {
				return err
			}
			if r.Err != nil {
				return nil
			}
			return emit(r.Value)
		})
	})
}
