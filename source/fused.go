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
		one := out.one
		return up(ctx, want, sink[T]{
			batches: &mapStage[T, U]{f: f, out: out},
			one:     func(v T) int { return one(f(v)) },
		})
	}}
}

// mapStage is Map's batch path.
type mapStage[T, U any] struct {
	f   func(T) U
	out sink[U]
	buf []U
}

func (s *mapStage[T, U]) push(batch []T) int {
	s.buf = grow(s.buf, len(batch))
	mapBatch(s.buf, batch, s.f)
	return s.out.push(s.buf)
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
		st := &mapErrStage[T, U]{f: f, out: out}
		one := out.one
		err := up(ctx, want, sink[T]{batches: st, one: func(v T) int {
			u, err := f(v)
			if err != nil {
				st.err = err
				return 0
			}
			return one(u)
		}})
		if st.err != nil {
			return st.err
		}
		return err
	}}
}

// mapErrStage is MapErr's batch path, and holds the error of f for both
// paths.
type mapErrStage[T, U any] struct {
	f   func(T) (U, error)
	out sink[U]
	buf []U
	err error
}

func (s *mapErrStage[T, U]) push(batch []T) int {
	s.buf = grow(s.buf, len(batch))
	res := s.buf[:len(batch)]
	for i, v := range batch {
		if res[i], s.err = s.f(v); s.err != nil {
			if i > 0 {
				s.out.push(res[:i])
			}
			return 0
		}
	}
	return s.out.push(res)
}

// Filter returns a Source of the values of s for which keep returns true.
//
// Fused.
func (s Source[T]) Filter(keep func(T) bool) Source[T] {
	mustFunc("Filter", "keep", keep == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		st := &filterStage[T]{keep: keep, out: out, want: want}
		one := out.one
		return up(ctx, want, sink[T]{batches: st, one: func(v T) int {
			if keep(v) {
				st.want = one(v)
			}
			return st.want
		}})
	}}
}

// filterStage is Filter's batch path, and holds the downstream's latest
// bound for both paths: a batch or a value that is dropped leaves it as
// it is.
type filterStage[T any] struct {
	keep func(T) bool
	out  sink[T]
	buf  []T
	want int
}

func (s *filterStage[T]) push(batch []T) int {
	s.buf = grow(s.buf, len(batch))
	if n := filterBatch(s.buf, batch, s.keep); n > 0 {
		s.want = s.out.push(s.buf[:n])
	}
	return s.want
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
		st := &filterMapStage[T, U]{f: f, out: out, want: want}
		one := out.one
		return up(ctx, want, sink[T]{batches: st, one: func(v T) int {
			if u, ok := f(v); ok {
				st.want = one(u)
			}
			return st.want
		}})
	}}
}

// filterMapStage is FilterMap's batch path, and holds the downstream's
// latest bound for both paths, as filterStage does.
type filterMapStage[T, U any] struct {
	f    func(T) (U, bool)
	out  sink[U]
	buf  []U
	want int
}

func (s *filterMapStage[T, U]) push(batch []T) int {
	s.buf = grow(s.buf, len(batch))
	res := s.buf[:len(batch)]
	n := 0
	for _, v := range batch {
		u, ok := s.f(v)
		res[n] = u
		if ok {
			n++
		}
	}
	if n > 0 {
		s.want = s.out.push(res[:n])
	}
	return s.want
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
		st := &zipIndexStage[T]{out: out}
		one := out.one
		return up(ctx, want, sink[T]{batches: st, one: func(v T) int {
			st.next++
			return one(Indexed[T]{Index: st.next - 1, Value: v})
		}})
	}}
}

// zipIndexStage is ZipWithIndex's batch path, and holds the next index for
// both paths.
type zipIndexStage[T any] struct {
	out  sink[Indexed[T]]
	buf  []Indexed[T]
	next int
}

func (s *zipIndexStage[T]) push(batch []T) int {
	s.buf = grow(s.buf, len(batch))
	res := s.buf[:len(batch)]
	for i, v := range batch {
		res[i] = Indexed[T]{Index: s.next + i, Value: v}
	}
	s.next += len(batch)
	return s.out.push(res)
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
		st := &scanStage[T, A]{f: f, out: out, acc: zero}
		one := out.one
		return up(ctx, want, sink[T]{batches: st, one: func(v T) int {
			st.acc = f(st.acc, v)
			return one(st.acc)
		}})
	}}
}

// scanStage is Scan's batch path, and holds the accumulator for both
// paths.
type scanStage[T, A any] struct {
	f   func(A, T) A
	out sink[A]
	buf []A
	acc A
}

func (s *scanStage[T, A]) push(batch []T) int {
	s.buf = grow(s.buf, len(batch))
	res := s.buf[:len(batch)]
	a := s.acc
	for i, v := range batch {
		a = s.f(a, v)
		res[i] = a
	}
	s.acc = a
	return s.out.push(res)
}
