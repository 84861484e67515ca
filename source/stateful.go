package source

import (
	"context"
	"fmt"
)

// The fused stages in this file keep state across the values of a run.
// The state is made afresh for every run, so a Source stays cold.

// TakeLast returns a Source of the last n values of s (all of them if s
// has fewer), in order, passed on once s has ended. If s fails, the run
// fails with its error and no value is passed on. TakeLast(0) is empty and
// runs nothing, as Take(0) does.
//
// Fused. TakeLast keeps up to n values, in a buffer that grows with what it
// holds, and asks the upstream for every value, since any may be among the
// last.
//
// TakeLast panics if n is negative.
func (s Source[T]) TakeLast(n int) Source[T] {
	if n < 0 {
		panic(fmt.Sprintf("source: TakeLast called with negative n %d; n must be 0 or more", n))
	}
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if n == 0 || stop(want) {
			return nil
		}
		var ring []T // the last values; once full, ring[head] is the oldest
		head := 0
		add := func(v T) int {
			if len(ring) < n {
				ring = append(ring, v)
				return unbounded
			}
			ring[head] = v
			if head++; head == n {
				head = 0
			}
			return unbounded
		}
		err := up(ctx, unbounded, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				if len(batch) >= n {
					ring = append(ring[:0], batch[len(batch)-n:]...)
					head = 0
					return unbounded
				}
				for _, v := range batch {
					add(v)
				}
				return unbounded
			}),
			one: add,
		})
		if err != nil {
			return err
		}
		if want = emitAll(ring[head:], want, out.push); !stop(want) {
			emitAll(ring[:head], want, out.push)
		}
		return nil
	}}
}

// MapStateful returns a Source of f applied to each value of src with a
// state: each run starts from the state init(), and for each value v,
// f(state, v) returns the next state and the value to emit. When src ends,
// final, if it is not nil, gets the last state and may return one more
// value to emit (and true) before the stream ends: a summary, the partial
// record a parser was building. This last value is what [Scan] cannot
// give. final is not called if src fails, or if the downstream stopped src
// early.
//
// So MapStateful over 1 2 3, with a state that counts values and f
// returning (count+1, v*10), and final returning the count, emits 10 20 30
// 3.
//
// Fused: one value out for each value in, so the downstream's demand goes
// to the upstream as it is; init, f and final run on the goroutine that
// runs src.
//
// MapStateful panics if init or f is nil.
func MapStateful[T, S, U any](src Source[T], init func() S, f func(state S, v T) (S, U), final func(state S) (U, bool)) Source[U] {
	mustFunc("MapStateful", "init", init == nil)
	mustFunc("MapStateful", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		if stop(want) {
			return nil
		}
		state := init()
		var buf []U
		err := up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				res := buf[:len(batch)]
				st := state
				for i, v := range batch {
					st, res[i] = f(st, v)
				}
				state = st
				want = out.push(res)
				return want
			}),
			one: func(v T) int {
				var u U
				state, u = f(state, v)
				want = out.one(u)
				return want
			},
		})
		if err != nil || stop(want) || final == nil {
			return err
		}
		if u, ok := final(state); ok {
			out.one(u)
		}
		return nil
	}}
}

// TakeWhileInclusive returns a Source of the values of s up to and
// including the first for which keep returns false; the upstream stops
// there. It is [Source.TakeWhile] that also passes on the value that ended
// it: the reply that says "last page", the line that closes a block.
//
// Fused. Like TakeWhile, it asks the upstream for 1 value, then 2, 4, and
// so on up to a full batch.
func (s Source[T]) TakeWhileInclusive(keep func(T) bool) Source[T] {
	mustFunc("TakeWhileInclusive", "keep", keep == nil)
	return takeWhile(s, keep, true)
}

// DistinctAdjacentBy returns a Source of the values of src without
// repeats by key: a value whose key(v) is equal (==) to that of the value
// just before it is dropped. So DistinctAdjacentBy with key strings.ToLower
// over "a" "A" "b" "a" emits "a" "b" "a". This is Ox's debounceBy; for
// dropping values by time, see [Source.Debounce] and [Source.DebounceBy].
//
// Fused.
//
// DistinctAdjacentBy panics if key is nil.
func DistinctAdjacentBy[T any, K comparable](src Source[T], key func(T) K) Source[T] {
	mustFunc("DistinctAdjacentBy", "key", key == nil)
	up := src.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var buf []T
		var last K
		seen := false
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				res := buf[:len(batch)]
				n := 0
				for _, v := range batch {
					if k := key(v); !seen || k != last {
						res[n] = v
						n++
						last, seen = k, true
					}
				}
				if n > 0 {
					want = out.push(res[:n])
				}
				return want
			}),
			one: func(v T) int {
				if k := key(v); !seen || k != last {
					last, seen = k, true
					want = out.one(v)
				}
				return want
			},
		})
	}}
}
