package source

import (
	"context"

	"github.com/corral-go/corral/scope"
)

var flatMapParScope = scope.WithName("source.FlatMapPar")

// FlatMapPar returns a Source of the values of the sources that f returns
// for the values of src, with up to limit of those inner sources running at
// once. Their values are merged as they come, as by [Merge]: each inner
// source's values keep their order, the rest interleave in no set way. The
// stream ends when src and every inner source have ended. For inner sources
// that run one after the other, in order, see FlatMap.
//
// Async: one goroutine runs src and calls f; each inner source runs in a
// goroutine of its own, started when fewer than limit run, so src waits
// while limit inner sources run. Values reach the downstream through a
// shared buffer of 2048 values, in batches. The first error, of src or of an
// inner source, ends the run at once and cancels the rest; values still in
// the buffer are dropped. The run's error starts with that first failure;
// failures of the other goroutines before they stopped, other than reports
// of the cancellation, are attached to it, so that errors.Is and errors.As
// find each (the rule of [scope.Supervised]). When the downstream stops,
// everything is cancelled. A panic in f reaches the terminal as a
// [*scope.PanicError].
//
// FlatMapPar panics if limit is not positive or f is nil.
func FlatMapPar[T, U any](src Source[T], limit int, f func(T) Source[U]) Source[U] {
	mustPositive("FlatMapPar", "limit", limit)
	mustFunc("FlatMapPar", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		if stop(want) {
			return nil
		}
		runCtx := ctx
		return runStage(ctx, flatMapParScope, func(st *stage) error {
			q := newQueue[U](hopLimit, 1, want)
			st.onLeave(q.Stop)
			slots := make(chan struct{}, limit)
			inner := func(ctx context.Context, run runFunc[U]) error {
				defer func() { <-slots }()
				return feed(ctx, q, run, want, false)
			}
			st.goProducer(func(ctx context.Context) error {
				done := ctx.Done()
				// How many inner sources the downstream can use is
				// unknown; src is asked for as many values as there are
				// free slots (at least one, which waits for a slot), until
				// the downstream wants no more.
				ask := func() int {
					if q.Stopped() {
						return 0
					}
					return max(limit-len(slots), 1)
				}
				err := up(ctx, ask(), pushOnly(func(batch []T) int {
					for _, v := range batch {
						select {
						case slots <- struct{}{}:
						case <-done:
							return 0
						}
						if q.Stopped() {
							<-slots
							return 0
						}
						run := f(v).runner()
						q.AddProducers(1)
						st.goProducer(func(ctx context.Context) error { return inner(ctx, run) })
					}
					return ask()
				}))
				if err == nil {
					err = ctx.Err() // stopped early by a cancellation
				}
				if err != nil {
					q.Abort(err)
					return err
				}
				q.ProducerDone()
				return nil
			})
			return drain(st.consumerCtx(), runCtx, q, want, out)
		})
	}}
}
