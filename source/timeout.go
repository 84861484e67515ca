package source

import (
	"context"
	"time"

	"github.com/corral-go/corral/timeout"
)

// Timeout returns a Source of the values of s that must end within d of the
// start of the run: if s has not ended by then, it is cancelled and the run
// fails with an error that matches [timeout.ErrTimeout] (and
// [context.DeadlineExceeded]), after the values s passed on in time. It is
// a limit on the whole stream, as [timeout.Do] puts on a call; to limit the
// wait for each value, put a time limit on the producer, in [FromFunc] or
// the function of [MapPar].
//
// The time counts everything that runs inside s's run, which includes the
// fused stages after Timeout (they run inside its emit calls): a slow
// downstream makes the stream time out too. A Take after Timeout that has
// its values stops s without a timeout, however late. A deadline or
// cancellation of the run's own context is reported as it is, not as a
// timeout.
//
// Fused: s runs with a context whose deadline is d away, on the goroutine
// that runs the stage; sources notice the deadline between batches or in
// a wait, as they notice any cancellation (a blocked read in [Lines]
// does not).
//
// Timeout panics if d is not positive.
func (s Source[T]) Timeout(d time.Duration) Source[T] {
	mustDuration("Timeout", "d", d)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		err := timeout.Do(ctx, d, func(ctx context.Context) error {
			return up(ctx, want, tracked(out, &want))
		})
		if stop(want) && ctx.Err() == nil {
			return nil // the downstream stopped s: not late, whenever it happened
		}
		return err
	}}
}
