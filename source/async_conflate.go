package source

import (
	"context"
	"time"

	"github.com/corral-go/corral/scope"
)

var (
	conflateScope = scope.WithName("source.Conflate")
	debounceScope = scope.WithName("source.Debounce")
)

// Conflate returns a Source of the values of s for a downstream that may be
// slower than s: while the downstream is busy, the values that arrive are
// combined into one with combine(acc, v), in order, and the downstream gets
// the combination when it is ready. With a downstream that keeps up, every
// value passes unchanged. So Conflate(func(acc, v int) int { return acc + v })
// passes on running totals of what accumulated, and a combine that returns
// v keeps only the latest value.
//
// A value is combined into the one waiting if it reaches the stage before
// the downstream takes that one. It reaches the stage when s passes it on:
// for [FromFunc], when its emit call returns. So if the downstream is busy
// with 1 while a producer emits 2, 3, ..., 10, the downstream then gets 54.
// This differs from Ox's conflate when s receives from a channel: there,
// a value counts once its send has returned; here, once the goroutine that
// runs s has passed it on. With [FromChannel] over a rendezvous channel, a
// Send that returns just before the downstream becomes ready has handed 10
// to that goroutine, which may pass it on only after the downstream has
// taken 44: the downstream then gets 1, 44, 10 instead of 1, 54. Either way
// no value is lost, and values are combined in order.
//
// Async: one goroutine runs s and calls combine; it never waits for the
// downstream, so s runs at its own pace and at most one value waits. When
// s ends, the value waiting is passed on. An error from s ends the run at
// once (the waiting value is dropped); a panic in combine reaches the
// terminal as a [*scope.PanicError]. The upstream is not told how many
// values the downstream wants, since any number may be combined into one;
// it is cancelled when the downstream stops.
//
// Conflate panics if combine is nil.
func (s Source[T]) Conflate(combine func(acc, v T) T) Source[T] {
	mustFunc("Conflate", "combine", combine == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		return conflate(ctx, up, 0, conflateScope, func(acc T, has bool, batch []T) T {
			if !has {
				acc, batch = batch[0], batch[1:]
			}
			for _, v := range batch {
				acc = combine(acc, v)
			}
			return acc
		}, out)
	}}
}

// Debounce returns a Source of the values of s that are followed by d of
// quiet: a value is passed on once d has passed without another value from
// s, and a value followed sooner by another is dropped. When s ends, the
// last value is passed on at once. So a burst of values becomes its last
// value, d after the burst.
//
// Async: one goroutine runs s, and never waits for the downstream; the
// latest value waits with a timer on the goroutine of the run. An error
// from s ends the run at once (the waiting value is dropped). The upstream
// is cancelled when the downstream stops.
//
// Debounce panics if d is not positive.
func (s Source[T]) Debounce(d time.Duration) Source[T] {
	mustDuration("Debounce", "d", d)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		return conflate(ctx, up, d, debounceScope, func(_ T, _ bool, batch []T) T {
			return batch[len(batch)-1]
		}, out)
	}}
}

// conflate is the run of Conflate and Debounce: conflateWith for a
// combination of the values' own type, a merge that cannot fail, and one
// quiet period for every combination (0 for at once).
func conflate[T any](ctx context.Context, up runFunc[T], quiet time.Duration, name scope.Option,
	merge func(acc T, has bool, batch []T) T, out sink[T]) error {
	return conflateWith(ctx, up, name, func(acc T, has bool, batch []T) (T, time.Duration, error) {
		return merge(acc, has, batch), quiet, nil
	}, out)
}
