package source

import "context"

// The stages in this file map each value to at most one value, so they pass
// the downstream's demand to the upstream unchanged.

// Map returns a Source of f applied to each value of src.
//
// Fused: f runs on the goroutine that runs the stage before it, with no
// channel or goroutine in between.
func Map[T, U any](src Source[T], f func(T) U) Source[U] {
	mustFunc("Map", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		var buf []U
		one := out.one
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				mapBatch(buf, batch, f)
				return out.push(buf)
			}),
			one: func(v T) int { return one(f(v)) },
		})
	}}
}

// MapErr returns a Source of f applied to each value of src, for an f that
// can fail: the first error f returns ends the run with that error, after
// the values mapped before it have been passed on.
//
// Fused.
func MapErr[T, U any](src Source[T], f func(T) (U, error)) Source[U] {
	mustFunc("MapErr", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		var buf []U
		var ferr error
		err := up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				res := buf[:len(batch)]
				for i, v := range batch {
					if res[i], ferr = f(v); ferr != nil {
						if i > 0 {
							out.push(res[:i])
						}
						return 0
					}
				}
				return out.push(res)
			}),
			one: func(v T) int {
				u, err := f(v)
				if err != nil {
					ferr = err
					return 0
				}
				return out.one(u)
			},
		})
		if ferr != nil {
			return ferr
		}
		return err
	}}
}

// Filter returns a Source of the values of s for which keep returns true.
//
// Fused.
func (s Source[T]) Filter(keep func(T) bool) Source[T] {
	mustFunc("Filter", "keep", keep == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var buf []T
		one := out.one
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				n := filterBatch(buf, batch, keep)
				if n > 0 { // otherwise the bound is unchanged
					want = out.push(buf[:n])
				}
				return want
			}),
			one: func(v T) int {
				if keep(v) {
					want = one(v)
				}
				return want
			},
		})
	}}
}

// FilterMap returns a Source of the results of f for the values of src for
// which f reports true; the others are dropped. It is a [Map] and a
// [Source.Filter] in one step, for when deciding and converting share work
// (parsing, say).
//
// Fused.
func FilterMap[T, U any](src Source[T], f func(T) (U, bool)) Source[U] {
	mustFunc("FilterMap", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		var buf []U
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				res := buf[:len(batch)]
				n := 0
				for _, v := range batch {
					u, ok := f(v)
					res[n] = u
					if ok {
						n++
					}
				}
				if n > 0 {
					want = out.push(res[:n])
				}
				return want
			}),
			one: func(v T) int {
				if u, ok := f(v); ok {
					want = out.one(u)
				}
				return want
			},
		})
	}}
}

// Tap returns a Source of the values of s, unchanged, that calls f with
// each of them first: for logging, metrics or debugging.
//
// Fused: f is called for a whole batch of values before the stage after Tap
// sees the first of them, so output from f and from later stages does not
// interleave value by value.
func (s Source[T]) Tap(f func(T)) Source[T] {
	mustFunc("Tap", "f", f == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				for _, v := range batch {
					f(v)
				}
				return out.push(batch)
			}),
			one: func(v T) int {
				f(v)
				return out.one(v)
			},
		})
	}}
}

// Indexed is a value with its position in a stream, counted from 0; see
// [ZipWithIndex].
type Indexed[T any] struct {
	Index int
	Value T
}

// ZipWithIndex returns a Source of the values of src paired with their
// positions: {0, v0}, {1, v1}, ...
//
// Fused.
func ZipWithIndex[T any](src Source[T]) Source[Indexed[T]] {
	up := src.runner()
	return Source[Indexed[T]]{run: func(ctx context.Context, want int, out sink[Indexed[T]]) error {
		var buf []Indexed[T]
		next := 0
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				res := buf[:len(batch)]
				for i, v := range batch {
					res[i] = Indexed[T]{Index: next + i, Value: v}
				}
				next += len(batch)
				return out.push(res)
			}),
			one: func(v T) int {
				next++
				return out.one(Indexed[T]{Index: next - 1, Value: v})
			},
		})
	}}
}

// DistinctAdjacent returns a Source of the values of src without repeats:
// a value equal (==) to the one just before it is dropped, so 1 1 2 1
// becomes 1 2 1. It is [DistinctAdjacentBy] with each value as its own key.
//
// Fused.
func DistinctAdjacent[T comparable](src Source[T]) Source[T] {
	return DistinctAdjacentBy(src, func(v T) T { return v })
}

// Scan returns a Source of running accumulations of the values of src: it
// starts from zero and, for each value v, replaces the accumulator with
// f(acc, v) and emits it. So Scan over 1 2 3 with zero 0 and + emits 1 3 6:
// one value out for each value in. Scan does not emit zero itself; prepend
// it with [Concat] if it is wanted: Concat(Of(zero), Scan(src, zero, f)).
//
// Fused.
func Scan[T, A any](src Source[T], zero A, f func(A, T) A) Source[A] {
	mustFunc("Scan", "f", f == nil)
	up := src.runner()
	return Source[A]{run: func(ctx context.Context, want int, out sink[A]) error {
		var buf []A
		acc := zero
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				res := buf[:len(batch)]
				a := acc
				for i, v := range batch {
					a = f(a, v)
					res[i] = a
				}
				acc = a
				return out.push(res)
			}),
			one: func(v T) int {
				acc = f(acc, v)
				return out.one(acc)
			},
		})
	}}
}
