package source

import (
	"context"
	"errors"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source/internal/handoff"
)

// The async stages run their upstream in goroutines of their own. Each
// opens a scope in its run function (runStage), so every goroutine it
// starts has ended when the run returns; producers are daemon forks, so
// that the consumer, which runs on the goroutine of the run, decides when
// the stage is over. Values cross between goroutines through the
// hand-offs of package handoff, errors flow down through the scope or the
// hand-off, and cancellation flows up through the producers' context.
// docs/sources-async.md has the whole picture.

// hopLimit is how many values an async stage lets wait between its
// goroutines when the operator takes no buffer size: a few batches, so that
// producers fill some while the consumer passes others on. The docs of
// Merge, FlatMapPar, ZipWith and Interleave give its value.
const hopLimit = 2048

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
// scope's, which is cancelled before they hear through the hand-off that
// the consumer left: so a producer that finds the hand-off closed always
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

// leave is called when the consumer has returned err. After a normal end it
// cancels the producers' context with errStopped, and only then stops the
// hand-offs. After a failure it returns the failure and does nothing else:
// the scope cancels the producers once it has recorded it. A consumer whose
// downstream stopped because runCtx was cancelled returns nil; leave turns
// that into runCtx's error, so that the stage reports the cancellation.
func (st *stage) leave(runCtx context.Context, err error) error {
	if err == nil {
		err = runCtx.Err()
	}
	if err != nil {
		// A failure or a cancellation: the stage's scope records err as
		// its first failure when the consumer returns it, and only then
		// cancels the producers' context (a child of the scope's), with
		// err as the cause. Cancelling them here would let a producer's
		// own failure, caused by that cancellation, reach the scope
		// first; the hand-offs need no stop, since every wait in them
		// also ends with the producers' context.
		return err
	}
	st.cancel(errStopped)
	for _, stop := range st.stops {
		stop()
	}
	return nil
}

// isCancellation reports whether err only reports that a context ended.
func isCancellation(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// newQueue returns the queue between the producers and the consumer of a
// stage: it holds up to limit values (or handoff.Unlimited) and keeps the
// producers within the downstream's bound want.
func newQueue[T any](limit, producers, want int) *handoff.Queue[T] {
	return handoff.NewQueue[T](handoff.Config{
		Limit: limit, Size: maxBatch, Producers: producers, Demand: true, Want: want,
	})
}

// feed runs a producer: it runs up on the calling goroutine, a fork of the
// stage's scope, and puts its values into q, within the downstream's
// demand. When up fails, inOrder stages pass the error on after the values
// before it; the others abort the queue and return the error, so that it
// fails the stage's scope and cancels the other goroutines at once.
func feed[T any](ctx context.Context, q *handoff.Queue[T], up runFunc[T], want int, inOrder bool) error {
	done := ctx.Done()
	w := handoff.NewWake()
	put := func(batch []T) int {
		bound, err := q.Put(batch, done, w)
		if err != nil {
			return 0
		}
		return bound
	}
	err := up(ctx, want, pushOnly(put))
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	switch {
	case err == nil:
		q.ProducerDone()
	case inOrder:
		q.Fail(err)
	default:
		q.Abort(err)
		return err
	}
	return nil
}

// drain is the consumer of q: on the calling goroutine it passes the queued
// values to out, until the stream ends (nil), fails, ctx is done, or out
// asks for no more (nil). runCtx is the context of the run that out
// belongs to (see passOn). The caller stops the queue once drain returns.
func drain[T any](ctx, runCtx context.Context, q *handoff.Queue[T], want int, out sink[T]) error {
	var b []T
	for {
		var lo int
		var err error
		if b, lo, err = q.Take(ctx, b); err != nil {
			if err == handoff.ErrDrained {
				return nil
			}
			return err
		}
		if want, err = passOn(ctx, runCtx, b[lo:], want, q, out.push); err != nil || stop(want) {
			return err
		}
	}
}

// A reporter is told what the consumer of an async stage passed downstream.
type reporter interface{ Delivered(k, want int) }

// passOn passes vs to push in batches that keep to want and maxBatch,
// reporting each to d, and returns the latest want. It returns ctx's error
// if ctx is done before all of vs went out.
//
// runCtx is the context of the stages that push runs: when they stop
// because it was cancelled (a Throttle waiting, say), passOn returns its
// error without reporting the stop to d, so that the producers learn of
// the cancellation from their context (see stage.leave) and not as the end
// of the demand: a stop is what a satisfied Take says.
func passOn[T any](ctx, runCtx context.Context, vs []T, want int, d reporter, push func([]T) int) (int, error) {
	for len(vs) > 0 {
		if err := ctx.Err(); err != nil {
			return want, err
		}
		k := min(len(vs), batchSize(want))
		want = push(vs[:k:k])
		if stop(want) {
			if err := runCtx.Err(); err != nil {
				return want, err
			}
		}
		d.Delivered(k, want)
		if stop(want) {
			break
		}
		vs = vs[k:]
	}
	return want, nil
}
