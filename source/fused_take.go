package source

import (
	"context"
	"fmt"
)

// Take returns a Source of the first n values of s. Once it has them, the
// upstream stages stop: no value beyond the n-th is produced, so
// RepeatFunc(f).Take(3) calls f exactly three times.
//
// Fused. Take panics if n is negative.
func (s Source[T]) Take(n int) Source[T] {
	if n < 0 {
		panic(fmt.Sprintf("source: Take called with negative n %d; n must be 0 or more", n))
	}
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		left := n
		if left == 0 || stop(want) {
			return nil
		}
		limit := func(want int) int {
			if want < 0 || want > left {
				return left
			}
			return want
		}
		return up(ctx, limit(want), sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				if len(batch) > left {
					batch = batch[:left]
				}
				left -= len(batch)
				return limit(out.push(batch))
			}),
			one: func(v T) int {
				if left == 0 {
					return 0
				}
				left--
				return limit(out.one(v))
			},
		})
	}}
}

// TakeWhile returns a Source of the values of s up to, not including, the
// first for which keep returns false; the upstream stops there.
//
// Fused. Since TakeWhile cannot know in advance where it will stop, it asks
// the upstream for 1 value, then 2, 4, and so on up to a full batch: the
// upstream work wasted past the stopping point is at most about the work
// that was used.
func (s Source[T]) TakeWhile(keep func(T) bool) Source[T] {
	mustFunc("TakeWhile", "keep", keep == nil)
	return takeWhile(s, keep, false)
}

// takeWhile is the run of TakeWhile and, with inclusive, of
// TakeWhileInclusive, which also passes on the value that ends it.
func takeWhile[T any](s Source[T], keep func(T) bool, inclusive bool) Source[T] {
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		var r ramp
		return up(ctx, r.limit(want), sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				for i, v := range batch {
					if !keep(v) {
						if inclusive {
							i++
						}
						if i > 0 {
							out.push(batch[:i:i])
						}
						return 0
					}
				}
				return r.limit(out.push(batch))
			}),
			one: func(v T) int {
				if !keep(v) {
					if inclusive {
						out.one(v)
					}
					return 0
				}
				return r.limit(out.one(v))
			},
		})
	}}
}

// Drop returns a Source of the values of s after the first n, which are
// read and discarded.
//
// Fused. Drop panics if n is negative.
func (s Source[T]) Drop(n int) Source[T] {
	if n < 0 {
		panic(fmt.Sprintf("source: Drop called with negative n %d; n must be 0 or more", n))
	}
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		left := n
		if stop(want) {
			return nil
		}
		// Every dropped value is needed, so the upstream may produce
		// as many as are left to drop on top of what is wanted.
		return up(ctx, addWant(want, left), sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				if left > 0 {
					k := min(left, len(batch))
					left -= k
					if batch = batch[k:]; len(batch) == 0 {
						return addWant(want, left)
					}
				}
				want = out.push(batch)
				return want
			}),
			one: func(v T) int {
				if left > 0 {
					left--
					return addWant(want, left)
				}
				want = out.one(v)
				return want
			},
		})
	}}
}

// DropWhile returns a Source of the values of s from the first for which
// drop returns false on: the values before it are discarded. drop is not
// called again after it first returns false.
//
// Fused.
func (s Source[T]) DropWhile(drop func(T) bool) Source[T] {
	mustFunc("DropWhile", "drop", drop == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		dropping := true
		// A dropped value is used, and a passed one is wanted, so the
		// downstream's bound holds for the upstream as it is.
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				if dropping {
					i := 0
					for i < len(batch) && drop(batch[i]) {
						i++
					}
					if batch = batch[i:]; len(batch) == 0 {
						return want
					}
					dropping = false
				}
				want = out.push(batch)
				return want
			}),
			one: func(v T) int {
				if dropping {
					if drop(v) {
						return want
					}
					dropping = false
				}
				want = out.one(v)
				return want
			},
		})
	}}
}

// Sample returns a Source of every n-th value of s: the n-th, the 2n-th,
// and so on (counting from 1), so Sample(2) over 1 2 3 4 5 emits 2 4. The
// upstream stops after the last value that is emitted. To thin a stream by
// time instead, see [Source.Throttle] (which delays values) and
// [Source.Debounce] (which drops them).
//
// Fused. Sample panics if n is not positive.
func (s Source[T]) Sample(n int) Source[T] {
	mustPositive("Sample", "n", n)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var buf []T
		skip := n - 1 // values to skip before the next one emitted
		need := func(want int) int {
			if want < 0 {
				return unbounded
			}
			return addWant(mulWant(want-1, n), skip+1)
		}
		if stop(want) {
			return nil
		}
		return up(ctx, need(want), sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch)/n+1)
				k := 0
				for _, v := range batch {
					if skip > 0 {
						skip--
						continue
					}
					buf[k] = v
					k++
					skip = n - 1
				}
				if k > 0 {
					want = out.push(buf[:k])
				}
				if stop(want) {
					return 0
				}
				return need(want)
			}),
			one: func(v T) int {
				if skip > 0 {
					skip--
				} else {
					skip = n - 1
					want = out.one(v)
				}
				if stop(want) {
					return 0
				}
				return need(want)
			},
		})
	}}
}
