package source

import (
	"context"

	"github.com/corral-go/corral/scope"
)

// The stages in the async files run their upstream in goroutines of their
// own. Each opens a scope in its run function, so every goroutine it starts
// has ended when the run returns; producers are daemon forks, so that the
// consumer, which runs on the goroutine of the run, decides when the stage
// is over. Values cross between goroutines in batches (see pipe), errors
// flow down through the scope or the pipe, and cancellation flows up
// through the scope's context. docs/sources-async.md has the whole picture.

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
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		if stop(want) {
			return nil
		}
		return scope.Supervised(ctx, func(sc *scope.Scope) error {
			p := newPipe[T](n, 1, want)
			sc.GoDaemon(func(ctx context.Context) error { return p.feed(ctx, up, want, true) })
			return p.drain(sc.Context(), want, emit)
		}, bufferScope)
	}}
}

// Merge returns a Source of the values of all the sources, which run
// concurrently: values are passed on as they come, so the values of each
// source keep their order, but those of different sources interleave in no
// set way. The stream ends when every source has ended.
//
// Async: one goroutine per source; they share a buffer of 2048 values, which
// the downstream takes in batches. The first error of any source ends the
// run at once: the other sources are cancelled, and values still in the
// buffer are dropped. When the downstream stops, every source is cancelled.
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
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		if stop(want) {
			return nil
		}
		return scope.Supervised(ctx, func(sc *scope.Scope) error {
			p := newPipe[T](hopLimit, len(ups), want)
			for _, up := range ups {
				sc.GoDaemon(func(ctx context.Context) error { return p.feed(ctx, up, want, false) })
			}
			return p.drain(sc.Context(), want, emit)
		}, mergeScope)
	}}
}

// feed runs a producer: it runs up on the calling goroutine, a fork of the
// stage's scope, and puts its values into p, within the downstream's
// demand. When up fails, inOrder stages pass the error on after the values
// before it; the others abort the pipe and return the error, so that it
// fails the stage's scope and cancels the other goroutines at once.
func (p *pipe[T]) feed(ctx context.Context, up runFunc[T], want int, inOrder bool) error {
	done := ctx.Done()
	w := make(chan struct{}, 1)
	err := up(ctx, want, func(batch []T) int {
		bound, err := p.put(batch, OverflowBlock, done, w)
		if err != nil {
			return 0
		}
		return bound
	})
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	switch {
	case err == nil:
		p.done()
	case inOrder:
		p.fail(err)
	default:
		p.abort(err)
		return err
	}
	return nil
}

// drain is the consumer of p: on the calling goroutine it passes the queued
// values to emit, until the stream ends (nil), fails, ctx is done, or emit
// asks for no more (nil). It stops the pipe before it returns.
func (p *pipe[T]) drain(ctx context.Context, want int, emit func([]T) int) error {
	defer p.stop()
	var b []T
	for {
		var lo int
		var err error
		if b, lo, err = p.take(ctx, b); err != nil {
			if err == errDrained {
				return nil
			}
			return err
		}
		if want, err = passOn(ctx, b[lo:], want, p, emit); err != nil || stop(want) {
			return err
		}
	}
}

// A reporter is told what the consumer of an async stage passed downstream:
// a pipe or a gate.
type reporter interface{ delivered(k, want int) }

// passOn passes vs to emit in batches that keep to want and maxBatch,
// reporting each to d, and returns the latest want. It returns ctx's error
// if ctx is done before all of vs went out.
func passOn[T any](ctx context.Context, vs []T, want int, d reporter, emit func([]T) int) (int, error) {
	for len(vs) > 0 {
		if err := ctx.Err(); err != nil {
			return want, err
		}
		k := min(len(vs), batchSize(want))
		want = emit(vs[:k:k])
		d.delivered(k, want)
		if stop(want) {
			break
		}
		vs = vs[k:]
	}
	return want, nil
}
