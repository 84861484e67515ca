package source

import (
	"context"
	"errors"

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
		return runStage(ctx, bufferScope, func(st *stage) error {
			p := newPipe[T](n, 1, want)
			st.onLeave(p.stop)
			st.goProducer(func(ctx context.Context) error { return p.feed(ctx, up, want, true) })
			return p.drain(st.consumerCtx(), ctx, want, emit)
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
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, mergeScope, func(st *stage) error {
			p := newPipe[T](hopLimit, len(ups), want)
			st.onLeave(p.stop)
			for _, up := range ups {
				st.goProducer(func(ctx context.Context) error { return p.feed(ctx, up, want, false) })
			}
			return p.drain(st.consumerCtx(), ctx, want, emit)
		})
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
// asks for no more (nil). runCtx is the context of the run that emit
// belongs to (see passOn). The caller stops the pipe once drain returns.
func (p *pipe[T]) drain(ctx, runCtx context.Context, want int, emit func([]T) int) error {
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
		if want, err = passOn(ctx, runCtx, b[lo:], want, p, emit); err != nil || stop(want) {
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
//
// runCtx is the context of the stages that emit runs: when they stop
// because it was cancelled (a Throttle waiting, say), passOn returns its
// error without reporting the stop to d, so that the producers learn of
// the cancellation from their context (see stage.leave) and not as the end
// of the demand: a stop is what a satisfied Take says.
func passOn[T any](ctx, runCtx context.Context, vs []T, want int, d reporter, emit func([]T) int) (int, error) {
	for len(vs) > 0 {
		if err := ctx.Err(); err != nil {
			return want, err
		}
		k := min(len(vs), batchSize(want))
		want = emit(vs[:k:k])
		if stop(want) {
			if err := runCtx.Err(); err != nil {
				return want, err
			}
		}
		d.delivered(k, want)
		if stop(want) {
			break
		}
		vs = vs[k:]
	}
	return want, nil
}

// errStopped is the cause with which an async stage cancels its producers'
// context when its consumer has left without a failure: the downstream
// wants no more values, or the stream has ended. It matches
// [scope.ErrScopeEnded] (and so [context.Canceled]), the cause of a normal
// end, but unlike it, it says that this stage ended normally and not some
// scope around the run: [Source.AlsoTo] closes its channel after it, and
// fails it after any other cause.
var errStopped error = stoppedError{}

type stoppedError struct{}

func (stoppedError) Error() string { return "source: downstream stopped" }
func (stoppedError) Unwrap() error { return scope.ErrScopeEnded }

// A stage is the scope of an async stage as its run sees it. The consumer
// runs on the goroutine of the run, as the scope's body; producers (and
// workers) are daemon forks with a context of their own, a child of the
// scope's, which the consumer cancels when it leaves, before it tells them
// through the hand-off: so a producer that finds the hand-off closed always
// knows why from its context (see leave).
type stage struct {
	sc     *scope.Scope
	ctx    context.Context // the producers' context
	cancel context.CancelCauseFunc
	stops  []func() // what leave calls to tell the producers through the hand-offs
}

// runStage opens the scope of an async stage, named name, and runs body,
// the consumer, as its body: body starts the producers with goProducer,
// registers the hand-offs to stop with onLeave, and returns the stage's
// result. ctx is the context of the run that the stage's emit belongs to.
func runStage(ctx context.Context, name scope.Option, body func(st *stage) error) error {
	return scope.Supervised(ctx, func(sc *scope.Scope) error {
		st := &stage{sc: sc}
		st.ctx, st.cancel = context.WithCancelCause(sc.Context())
		return st.leave(ctx, body(st))
	}, name)
}

// consumerCtx is the context the consumer waits with: the scope's, which
// a failing producer cancels.
func (st *stage) consumerCtx() context.Context { return st.sc.Context() }

// onLeave registers stop, which tells the producers through a hand-off
// that the consumer has left.
func (st *stage) onLeave(stop func()) { st.stops = append(st.stops, stop) }

// goProducer starts f as a daemon fork of the stage with the producers'
// context. Once the consumer has left normally, f's error is not reported:
// the stage has ended, as a scope's daemon forks do at its end.
func (st *stage) goProducer(f func(ctx context.Context) error) {
	st.sc.GoDaemon(func(context.Context) error {
		err := f(st.ctx)
		if context.Cause(st.ctx) == errStopped {
			return nil
		}
		return err
	})
}

// leave is called when the consumer has returned err: it cancels the
// producers' context, with errStopped after a normal end and with the
// failure otherwise, and only then stops the hand-offs. A consumer whose
// downstream stopped because runCtx was cancelled returns nil; leave turns
// that into runCtx's error, so that the stage reports the cancellation.
func (st *stage) leave(runCtx context.Context, err error) error {
	if err == nil {
		err = runCtx.Err()
	}
	if err == nil {
		st.cancel(errStopped)
	} else {
		st.cancel(err)
	}
	for _, stop := range st.stops {
		stop()
	}
	return err
}

// isCancellation reports whether err only reports that a context ended.
func isCancellation(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
