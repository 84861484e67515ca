package source

import (
	"context"
	"iter"

	"github.com/corral-go/corral/internal/catch"
)

// All runs the pipeline as the body of a range-over-func loop:
//
//	for v, err := range src.All(ctx) {
//		if err != nil {
//			return err
//		}
//		if done(v) {
//			break // stops the pipeline
//		}
//	}
//
// The iterator yields (v, nil) for each value. If the pipeline fails, it
// yields (zero, err) once, as the last pair; if the stream ends normally,
// the loop just ends. Breaking out of the loop (or returning from it) stops
// the pipeline and everything it started before the loop goes on.
//
// The pipeline runs on the goroutine that runs the loop, pushing each value
// into the loop body: no goroutine is started for it, unlike with
// [iter.Pull]. Since the loop may stop at any value, All asks the pipeline
// for 1 value first, then 2, 4, and so on up to a full batch, so a loop that
// breaks early has not made the pipeline compute a full batch in vain.
//
// A panic in the pipeline is raised again from the loop as a
// [*scope.PanicError], as with the Run methods. A panic in the loop body
// propagates as it is, with its own value: the pipeline is stopped first.
//
// Each loop over the iterator runs the pipeline anew, from the start, so the
// iterator can be used as often as the Source can run. A Source built on an
// input that can be read only once (a reader, a channel, a single-use
// [iter.Seq]) gives a single-use iterator: a second loop continues with
// whatever the input has left.
func (s Source[T]) All(ctx context.Context) iter.Seq2[T, error] {
	mustCtx("All", ctx)
	return func(yield func(T, error) bool) {
		var (
			r        ramp
			done     bool         // the loop has ended: broke out or panicked
			panicked *catch.Panic // the loop body's panic
		)
		err := s.runWant(ctx, r.limit(unbounded), pushOnly(func(batch []T) int {
			if done {
				return 0
			}
			if done = !yieldAll(yield, batch, &panicked); done {
				return 0
			}
			return r.limit(unbounded)
		}))
		if panicked != nil {
			// Raised here, after the pipeline stopped, since unwinding
			// through it would make the run's scope turn the panic into
			// a *scope.PanicError.
			panic(panicked.Value)
		}
		if err != nil && !done {
			var zero T
			yield(zero, err)
		}
	}
}

// yieldAll passes each value of batch to the loop body, and reports whether
// the loop goes on. If the body panics, it records the panic in *panicked
// and reports false. If the body calls runtime.Goexit, the goroutine goes
// on exiting through the pipeline, whose scope reports it.
func yieldAll[T any](yield func(T, error) bool, batch []T, panicked **catch.Panic) (more bool) {
	*panicked = catch.Call(func() {
		for _, v := range batch {
			if !yield(v, nil) {
				return
			}
		}
		more = true
	}, nil)
	return more && *panicked == nil
}
