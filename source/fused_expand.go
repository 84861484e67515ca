package source

import "context"

// The stages in this file may turn one value into several, so they cannot
// pass the downstream's demand on as it is: while it is bounded they ask the
// upstream for one value at a time (or for exactly as many as can be used),
// so that a Take downstream makes no value be produced in vain.

// expandBound is the upstream bound of a stage that may expand a value into
// many: unbounded stays unbounded, any other positive bound becomes 1.
func expandBound(want int) int {
	if want < 0 {
		return unbounded
	}
	return min(want, 1)
}

// emitAll passes vs downstream through push in batches of at most maxBatch
// values, no more than want in all, and returns the downstream's latest
// bound.
func emitAll[T any](vs []T, want int, push func([]T) int) int {
	for len(vs) > 0 && !stop(want) {
		n := min(batchSize(want), len(vs))
		want = push(vs[:n:n])
		vs = vs[n:]
	}
	return want
}

// FlatMap returns a Source of the values of the sources that f returns for
// each value of src, in order: all the values of f(v0), then of f(v1), and
// so on. The inner sources run one after the other, each to its end before
// the next value of src is read; the first failure, of src or of an inner
// source, ends the run. For inner sources that run concurrently, see
// [FlatMapPar].
//
// Fused: f and the inner sources run on the goroutine that runs src.
func FlatMap[T, U any](src Source[T], f func(T) Source[U]) Source[U] {
	mustFunc("FlatMap", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		if stop(want) {
			return nil
		}
		pass := tracked(out, &want)
		var ierr error
		inner := func(v T) int {
			if ierr = f(v).runner()(ctx, want, pass); ierr != nil || stop(want) {
				return 0
			}
			return expandBound(want)
		}
		err := up(ctx, expandBound(want), sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				for _, v := range batch {
					if inner(v) == 0 {
						return 0
					}
				}
				return expandBound(want)
			}),
			one: inner,
		})
		if ierr != nil {
			return ierr
		}
		return err
	}}
}

// MapConcat returns a Source of the elements of the slices that f returns
// for each value of src, in order. f may return an empty or nil slice. The
// slices are only read, and not kept after the stage has passed their
// elements on, so f may return a slice it reuses.
//
// Fused.
func MapConcat[T, U any](src Source[T], f func(T) []U) Source[U] {
	mustFunc("MapConcat", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		if stop(want) {
			return nil
		}
		// Elements are gathered into full batches, since f often returns
		// only a few of them (strings.Fields, say).
		var buf []U
		return up(ctx, expandBound(want), pushOnly(func(batch []T) int {
			for _, v := range batch {
				us := f(v)
				if len(us) < 16 && len(buf)+len(us) < batchSize(want) {
					// A few elements that do not fill the batch: appended
					// one at a time here, inlined, where gather is a call
					// and a bulk append calls memmove (BenchmarkStages/
					// MapConcat, one-element slices: 2.8 ns a value, 6.1
					// through gather).
					//lint:ignore S1011 measured faster for short slices
					for _, u := range us {
						buf = append(buf, u)
					}
					continue
				}
				if buf, want = gather(buf, us, want, out.push); stop(want) {
					return 0
				}
			}
			if len(buf) > 0 {
				want = out.push(buf)
				buf = buf[:0]
			}
			return expandBound(want)
		}))
	}}
}

// gather appends us to buf for a stage that expands values into slices
// (MapConcat, MapConcatErr), passing buf downstream each time it holds a
// full batch. It returns buf and the downstream's latest bound, 0 once it
// stopped.
func gather[U any](buf, us []U, want int, push func([]U) int) ([]U, int) {
	for len(us) > 0 {
		k := min(batchSize(want)-len(buf), len(us))
		buf = append(buf, us[:k]...)
		us = us[k:]
		if len(buf) == batchSize(want) {
			want = push(buf)
			if buf = buf[:0]; stop(want) {
				return buf, 0
			}
		}
	}
	return buf, want
}

// Intersperse returns a Source of the values of s with sep between each
// two of them: a b c becomes a sep b sep c. To also put a value before the
// first and after the last, concatenate: Concat(Of(start),
// s.Intersperse(sep), Of(end)).
//
// Fused. Since a separator is emitted only once the value after it exists,
// a Take that ends on a separator has read one value more than it passes.
func (s Source[T]) Intersperse(sep T) Source[T] {
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		started := false
		// need is how many values of s are needed for want values out:
		// the first one gives one value, each later one two.
		need := func(want int) int {
			switch {
			case want < 0:
				return unbounded
			case !started:
				return want/2 + 1
			}
			return want/2 + want%2
		}
		var buf []T
		return up(ctx, need(want), pushOnly(func(batch []T) int {
			buf = grow(buf, 2*len(batch))
			k := 0
			for _, v := range batch {
				if started {
					buf[k] = sep
					k++
				}
				buf[k] = v
				k++
				started = true
			}
			if want = emitAll(buf[:k], want, out.push); stop(want) {
				return 0
			}
			return need(want)
		}))
	}}
}
