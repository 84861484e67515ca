package source

import "context"

// The operators in this file are the forms, for functions that can fail,
// of operators whose function cannot: each is named after its operator
// with Err appended, as MapErr is after Map, and its function returns an
// error as its last result. The first error ends the run with that error,
// after the values produced before it have gone downstream (or, for a
// terminal, with the result so far). docs/decisions/0024-recovery-and-err-forms.md
// has the rule.

// MapConcatErr is [MapConcat] for an f that can fail: the first error f
// returns ends the run with that error, after the elements of the slices
// returned before it have been passed on.
//
// Fused.
func MapConcatErr[T, U any](src Source[T], f func(T) ([]U, error)) Source[U] {
	mustFunc("MapConcatErr", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		if stop(want) {
			return nil
		}
		var buf []U
		var ferr error
		// Elements are gathered into full batches, as by MapConcat.
		err := up(ctx, expandBound(want), pushOnly(func(batch []T) int {
			for _, v := range batch {
				var us []U
				if us, ferr = f(v); ferr != nil {
					break
				}
				if buf, want = gather(buf, us, want, out.push); stop(want) {
					return 0
				}
			}
			if len(buf) > 0 {
				want = out.push(buf)
				buf = buf[:0]
			}
			if ferr != nil {
				return 0
			}
			return expandBound(want)
		}))
		if ferr != nil {
			return ferr
		}
		return err
	}}
}

// RunFoldErr is [RunFold] for an f that can fail: the first error f returns
// stops the run, and RunFoldErr returns the accumulator from before that
// call with the error. A failure of the pipeline is returned in the same
// way.
func RunFoldErr[T, A any](ctx context.Context, s Source[T], zero A, f func(A, T) (A, error)) (A, error) {
	mustCtx("RunFoldErr", ctx)
	mustFunc("RunFoldErr", "f", f == nil)
	acc := zero
	var ferr error
	add := func(v T) int {
		next, err := f(acc, v)
		if err != nil {
			ferr = err
			return 0
		}
		acc = next
		return unbounded
	}
	err := s.runIn(ctx, perValue(add))
	if ferr != nil {
		return acc, ferr
	}
	return acc, err
}

// RunReduceErr is [Source.RunReduce] for an f that can fail: the first
// error f returns stops the run and is returned, with the zero T, as a
// failure of the pipeline is. It returns [ErrEmpty] if the stream has no
// values.
func (s Source[T]) RunReduceErr(ctx context.Context, f func(T, T) (T, error)) (T, error) {
	mustCtx("RunReduceErr", ctx)
	mustFunc("RunReduceErr", "f", f == nil)
	var acc T
	seen := false
	var ferr error
	add := func(v T) int {
		if !seen {
			acc, seen = v, true
			return unbounded
		}
		if acc, ferr = f(acc, v); ferr != nil {
			return 0
		}
		return unbounded
	}
	err := s.runIn(ctx, perValue(add))
	if ferr != nil {
		err = ferr
	}
	return valueOrEmpty(acc, seen, err)
}
