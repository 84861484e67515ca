package source

import (
	"context"

	"github.com/corral-go/corral/scope"
)

var (
	bufferScope = scope.WithName("source.Buffer")
	mergeScope  = scope.WithName("source.Merge")
)

// Buffer returns a Source of the values of s, whose upstream runs ahead of
// the downstream in a goroutine of its own: up to n values wait in a buffer
// while the downstream works on the ones it has taken. Use it to let a slow
// producer and a slow consumer work at the same time.
//
// Async: one goroutine runs s. Values cross to the downstream in batches:
// whatever accumulated while the downstream was busy, so that the hop costs
// a few nanoseconds per value when both sides are busy, and a value that
// finds the downstream waiting is passed on at once. The upstream never
// makes more values than the downstream can still use (a Take(3)
// downstream lets it make 3).
//
// Buffer does not change what a run produces: an error from s reaches the
// downstream after the values s emitted before it, as it would without the
// buffer. When the downstream stops or the run is cancelled, the upstream is
// cancelled and the run waits for it.
//
// Buffer panics if n is not positive.
func (s Source[T]) Buffer(n int) Source[T] {
	mustPositive("Buffer", "n", n)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, bufferScope, func(st *stage) error {
			q := newQueue[T](n, 1, want)
			st.onLeave(q.Stop)
			st.goProducer(func(ctx context.Context) error { return feed(ctx, q, up, want, true) })
			return drain(st.consumerCtx(), ctx, q, want, out)
		})
	}}
}

// Merge returns a Source of the values of all the sources, which run
// concurrently: values are passed on as they come, so the values of each
// source keep their order, but those of different sources interleave in no
// set way. The stream ends when every source has ended.
//
// Async: one goroutine per source; they share a buffer of 2048 values, which
// the downstream takes in batches. The first error of any source ends the
// run at once: the other sources are cancelled, values still in the buffer
// are dropped. The run's error starts with that first failure; failures of
// the other goroutines before they stopped, other than reports of the
// cancellation, are attached to it, so that errors.Is and errors.As find
// each (the rule of [scope.Supervised]). When the downstream stops, every
// source is cancelled.
//
// Merge of no source is empty; Merge of one source is that source.
func Merge[T any](sources ...Source[T]) Source[T] {
	switch len(sources) {
	case 0:
		return Source[T]{}
	case 1:
		return sources[0]
	}
	ups := make([]runFunc[T], len(sources))
	for i, s := range sources {
		ups[i] = s.runner()
	}
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, mergeScope, func(st *stage) error {
			q := newQueue[T](hopLimit, len(ups), want)
			st.onLeave(q.Stop)
			for _, up := range ups {
				st.goProducer(func(ctx context.Context) error { return feed(ctx, q, up, want, false) })
			}
			return drain(st.consumerCtx(), ctx, q, want, out)
		})
	}}
}
