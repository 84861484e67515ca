package source

import (
	"context"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source/internal/handoff"
)

var (
	zipScope        = scope.WithName("source.Zip")
	interleaveScope = scope.WithName("source.Interleave")
)

// A Pair holds a value from each of two sources, as [Zip] and [ZipAll]
// emit them.
type Pair[A, B any] struct {
	First  A
	Second B
}

// Zip returns a Source of pairs of the values of a and b, taken in step:
// the first value of a with the first of b, and so on. The stream ends when
// either source ends; the other is then cancelled, and its values that
// found no partner are dropped.
//
// Async, like [ZipWith].
func Zip[A, B any](a Source[A], b Source[B]) Source[Pair[A, B]] {
	return ZipWith(a, b, func(x A, y B) Pair[A, B] { return Pair[A, B]{x, y} })
}

// ZipWith returns a Source of f applied to the values of a and b taken in
// step, as [Zip] pairs them: f(a0, b0), f(a1, b1), ... It ends when either
// source ends.
//
// Async: each source runs in a goroutine of its own and runs ahead by up to
// 2048 values, which cross to the downstream in batches; f runs on the
// goroutine of the run. The first error of either source ends the run at
// once, and the other source is cancelled; the run's error starts with that
// first failure. Failures of the other goroutines before they stopped, other
// than reports of the cancellation, are attached to it, so that errors.Is
// and errors.As find each (the rule of [scope.Supervised]).
//
// ZipWith panics if f is nil.
func ZipWith[A, B, C any](a Source[A], b Source[B], f func(A, B) C) Source[C] {
	mustFunc("ZipWith", "f", f == nil)
	upA, upB := a.runner(), b.runner()
	return Source[C]{run: func(ctx context.Context, want int, out sink[C]) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, zipScope, func(st *stage) error {
			la, lb := startLane(st, upA, want), startLane(st, upB, want)
			ctx := st.consumerCtx()
			var res []C
			for {
				if err := fill2(ctx, la, lb, false); err != nil || la.ended || lb.ended {
					return err
				}
				va, vb := la.values(), lb.values()
				k := min(len(va), len(vb), batchSize(want))
				res = res[:0]
				for i := range k {
					res = append(res, f(va[i], vb[i]))
				}
				want = out.push(res[:k:k])
				clear(res)
				la.consumed(k, want)
				lb.consumed(k, want)
				if stop(want) {
					return nil
				}
			}
		})
	}}
}

// ZipAll returns a Source of pairs of the values of a and b taken in step,
// like [Zip], that goes on until both sources have ended: once one has,
// its side of each pair is its pad value.
//
// Async, like [ZipWith].
func ZipAll[A, B any](a Source[A], b Source[B], padA A, padB B) Source[Pair[A, B]] {
	upA, upB := a.runner(), b.runner()
	return Source[Pair[A, B]]{run: func(ctx context.Context, want int, out sink[Pair[A, B]]) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, zipScope, func(st *stage) error {
			la, lb := startLane(st, upA, want), startLane(st, upB, want)
			ctx := st.consumerCtx()
			var res []Pair[A, B]
			for {
				if err := fill2(ctx, la, lb, true); err != nil {
					return err
				}
				va, vb := la.values(), lb.values()
				var k int
				switch {
				case la.ended && lb.ended:
					return nil
				case la.ended:
					k = len(vb)
				case lb.ended:
					k = len(va)
				default:
					k = min(len(va), len(vb))
				}
				k = min(k, batchSize(want))
				res = res[:0]
				for i := range k {
					p := Pair[A, B]{padA, padB}
					if !la.ended {
						p.First = va[i]
					}
					if !lb.ended {
						p.Second = vb[i]
					}
					res = append(res, p)
				}
				want = out.push(res[:k:k])
				clear(res)
				la.consumed(k, want)
				lb.consumed(k, want)
				if stop(want) {
					return nil
				}
			}
		})
	}}
}

// Interleave returns a Source of the values of the sources taken in turn,
// segment values at a time: segment values of the first source, then of the
// second, and so on, back to the first. When a source ends, the others go
// on taking turns; the stream ends when they all have ended.
//
// Async: each source runs in a goroutine of its own and runs ahead by up to
// 2048 values, which cross to the downstream in batches. The first error of
// any source ends the run at once and cancels the others; the run's error
// starts with that first failure. Failures of the other goroutines before
// they stopped, other than reports of the cancellation, are attached to it,
// so that errors.Is and errors.As find each (the rule of
// [scope.Supervised]). Interleave of no source is empty.
//
// Interleave panics if segment is not positive.
func Interleave[T any](segment int, sources ...Source[T]) Source[T] {
	mustPositive("Interleave", "segment", segment)
	return interleave(segment, sources, false)
}

// interleave is the run of Interleave and, with shortest, of
// InterleaveShortest, which ends at the turn of a source that has ended.
func interleave[T any](segment int, sources []Source[T], shortest bool) Source[T] {
	ups := make([]runFunc[T], len(sources))
	for i, s := range sources {
		ups[i] = s.runner()
	}
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) || len(ups) == 0 {
			return nil
		}
		return runStage(ctx, interleaveScope, func(st *stage) error {
			lanes := make([]*lane[T], len(ups))
			for i, up := range ups {
				lanes[i] = startLane(st, up, want)
			}
			ctx := st.consumerCtx()
			for live := len(lanes); live > 0; {
				for _, l := range lanes {
					for left := segment; left > 0 && !l.ended; {
						if err := l.fill(ctx); err != nil {
							return err
						}
						if l.ended {
							if shortest {
								return nil
							}
							live--
							break
						}
						vs := l.values()
						k := min(left, len(vs), batchSize(want))
						want = out.push(vs[:k:k])
						l.consumed(k, want)
						if stop(want) {
							return nil
						}
						left -= k
					}
				}
			}
			return nil
		})
	}}
}

// A lane is the consumer's end of a one-producer queue, for stages that
// read several upstreams in step: it holds the batch being read.
type lane[T any] struct {
	q     *handoff.Queue[T]
	buf   []T
	lo    int
	ended bool
}

// startLane starts a producer of st that runs up into a new lane.
func startLane[T any](st *stage, up runFunc[T], want int) *lane[T] {
	l := &lane[T]{q: newQueue[T](hopLimit, 1, want)}
	st.onLeave(l.q.Stop)
	st.goProducer(func(ctx context.Context) error { return feed(ctx, l.q, up, want, false) })
	return l
}

// fill makes sure the lane has values to read, waiting for them, unless it
// has ended (then l.ended is set).
func (l *lane[T]) fill(ctx context.Context) error {
	for !l.ready() {
		if err := l.poll(); err != nil || l.ready() {
			return err
		}
		select {
		case <-l.q.Ready():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// ready reports whether the lane has values to read or has ended.
func (l *lane[T]) ready() bool { return l.ended || l.lo < len(l.buf) }

// poll takes the next batch if the lane has run out and one is there,
// without waiting; if none is, the queue signals Ready when one comes.
func (l *lane[T]) poll() error {
	if l.ready() {
		return nil
	}
	b, lo, err := l.q.Poll(l.buf)
	l.buf, l.lo = b, lo
	if err == handoff.ErrDrained {
		l.ended, err = true, nil
	}
	return err
}

// fill2 waits until both lanes are ready (see lane.ready), or, unless
// both is set, until one of them has ended.
func fill2[A, B any](ctx context.Context, a *lane[A], b *lane[B], both bool) error {
	for {
		if err := a.poll(); err != nil {
			return err
		}
		if err := b.poll(); err != nil {
			return err
		}
		if a.ready() && b.ready() || !both && (a.ended || b.ended) {
			return nil
		}
		select {
		case <-a.q.Ready():
		case <-b.q.Ready():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (l *lane[T]) values() []T { return l.buf[l.lo:] }

// consumed records that k values were passed downstream, which answered
// with want.
func (l *lane[T]) consumed(k, want int) {
	if !l.ended {
		l.lo += k
		l.q.Delivered(k, want)
	}
}
