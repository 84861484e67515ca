package source

import (
	"context"
	"errors"

	"github.com/corral-go/corral/scope"
)

// ErrEmpty is returned by the terminals that need at least one value, such
// as [Source.RunReduce] and [Source.RunLast], when the stream has none.
var ErrEmpty = errors.New("source: empty stream")

// runScope names the scope each run opens, for panics and diagnostics.
var runScope = scope.WithName("source run")

// runIn runs the pipeline in a scope, so that a panic in a user function is
// raised again as a *scope.PanicError once everything has stopped.
func (s Source[T]) runIn(ctx context.Context, out sink[T]) error {
	return s.runWant(ctx, unbounded, out)
}

// runWant is runIn for a consumer with an initial bound other than
// unbounded.
func (s Source[T]) runWant(ctx context.Context, want int, out sink[T]) error {
	up := s.runner()
	return scope.Supervised(ctx, func(sc *scope.Scope) error {
		return up(sc.Context(), want, out)
	}, runScope)
}

// RunForEach runs the pipeline and calls f on each value, in order, on the
// calling goroutine. The first error from f or from the pipeline stops the
// run and is returned once every stage has ended.
//
// As with every Run method, a panic in f or in any function of the
// pipeline stops the run and is raised again on the calling goroutine, as a
// [*scope.PanicError] carrying the original value and stack, once every
// stage has ended. Every Run method, and All, panics if ctx is nil.
func (s Source[T]) RunForEach(ctx context.Context, f func(T) error) error {
	mustCtx("RunForEach", ctx)
	mustFunc("RunForEach", "f", f == nil)
	st := &forEachStage[T]{f: f}
	err := s.runIn(ctx, sink[T]{batches: st, one: func(v T) int {
		if st.err = f(v); st.err != nil {
			return 0
		}
		return unbounded
	}})
	if st.err != nil {
		return st.err
	}
	return err
}

// forEachStage is RunForEach's batch path, and holds the error of f for
// both paths.
type forEachStage[T any] struct {
	f   func(T) error
	err error
}

func (s *forEachStage[T]) push(batch []T) int {
	for _, v := range batch {
		if s.err = s.f(v); s.err != nil {
			return 0
		}
	}
	return unbounded
}

// RunToSlice runs the pipeline and returns its values. On failure it returns
// the values received before the failure and the error.
func (s Source[T]) RunToSlice(ctx context.Context) ([]T, error) {
	mustCtx("RunToSlice", ctx)
	st := &toSliceStage[T]{}
	err := s.runIn(ctx, sink[T]{batches: st, one: func(v T) int {
		st.vs = append(st.vs, v)
		return unbounded
	}})
	return st.vs, err
}

// toSliceStage is RunToSlice's batch path, and holds the values for both
// paths.
type toSliceStage[T any] struct{ vs []T }

func (s *toSliceStage[T]) push(batch []T) int {
	s.vs = append(s.vs, batch...)
	return unbounded
}

// RunDrain runs the pipeline for its effects and discards its values. It
// returns the pipeline's error, if any.
func (s Source[T]) RunDrain(ctx context.Context) error {
	mustCtx("RunDrain", ctx)
	return s.runIn(ctx, sink[T]{
		batches: pushFunc[T](func([]T) int { return unbounded }),
		one:     func(T) int { return unbounded },
	})
}

// RunFold runs the pipeline and folds its values into an accumulator: it
// starts from zero and replaces the accumulator with f(acc, v) for every
// value v, in order. On failure it returns the accumulator so far and the
// error.
func RunFold[T, A any](ctx context.Context, s Source[T], zero A, f func(A, T) A) (A, error) {
	mustCtx("RunFold", ctx)
	mustFunc("RunFold", "f", f == nil)
	st := &foldStage[T, A]{f: f, acc: zero}
	err := s.runIn(ctx, sink[T]{batches: st, one: func(v T) int {
		st.acc = f(st.acc, v)
		return unbounded
	}})
	return st.acc, err
}

// foldStage is RunFold's batch path, and holds the accumulator for both
// paths.
type foldStage[T, A any] struct {
	f   func(A, T) A
	acc A
}

func (s *foldStage[T, A]) push(batch []T) int {
	s.acc = foldBatch(s.acc, batch, s.f)
	return unbounded
}

// RunReduce runs the pipeline and combines its values with f: the first
// value is the start, and each later value v replaces the result r with
// f(r, v). It returns [ErrEmpty] if the stream has no values. On failure it
// returns the zero T and the error.
func (s Source[T]) RunReduce(ctx context.Context, f func(T, T) T) (T, error) {
	mustCtx("RunReduce", ctx)
	mustFunc("RunReduce", "f", f == nil)
	st := &reduceStage[T]{f: f}
	err := s.runIn(ctx, sink[T]{batches: st, one: func(v T) int {
		if st.seen {
			st.acc = f(st.acc, v)
		} else {
			st.acc, st.seen = v, true
		}
		return unbounded
	}})
	return valueOrEmpty(st.acc, st.seen, err)
}

// reduceStage is RunReduce's batch path, and holds the result so far for
// both paths.
type reduceStage[T any] struct {
	f    func(T, T) T
	acc  T
	seen bool
}

func (s *reduceStage[T]) push(batch []T) int {
	if !s.seen {
		s.acc, s.seen, batch = batch[0], true, batch[1:]
	}
	s.acc = foldBatch(s.acc, batch, s.f)
	return unbounded
}

// RunLast runs the pipeline and returns its last value, or [ErrEmpty] if
// it has none. On failure it returns the zero T and the error.
func (s Source[T]) RunLast(ctx context.Context) (T, error) {
	mustCtx("RunLast", ctx)
	st := &lastStage[T]{}
	err := s.runIn(ctx, sink[T]{batches: st, one: func(v T) int {
		st.last, st.seen = v, true
		return unbounded
	}})
	return valueOrEmpty(st.last, st.seen, err)
}

// lastStage is RunLast's batch path, and holds the last value for both
// paths.
type lastStage[T any] struct {
	last T
	seen bool
}

func (s *lastStage[T]) push(batch []T) int {
	s.last, s.seen = batch[len(batch)-1], true
	return unbounded
}

func valueOrEmpty[T any](v T, ok bool, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if !ok {
		return zero, ErrEmpty
	}
	return v, nil
}
