package source

import (
	"context"
	"math"
)

// A Source is a lazy, cold description of a stream of values of type T.
// Building a Source runs nothing: operators such as [Map] and [Source.Filter]
// return a new description. A terminal call, such as [Source.RunForEach] or
// [Source.RunToSlice], runs the whole pipeline and returns once every
// goroutine it needed has ended. Running a Source twice runs it twice.
//
// A Source is a small immutable value: copy it, share it between
// goroutines, run it concurrently. Whether two runs see the same values
// depends on what it was built from: a slice can be read any number of
// times, an [io.Reader] or a channel only once.
//
// The zero Source is an empty stream.
type Source[T any] struct {
	run runFunc[T]
}

// runFunc runs a pipeline: it sends its values to out until the stream
// ends (it returns nil), the pipeline fails (it returns the error), or out
// asks for no more values (it returns nil at once).
//
// want is an upper bound on how many values the consumer can still use,
// or unbounded. A stage must not produce more than want values, so that
// a Take does not make the upstream do work nobody asked for; each call to
// out returns the new bound (0 means stop). The bound may grow as well as
// shrink from one call to the next: a stage follows the latest one.
type runFunc[T any] func(ctx context.Context, want int, out sink[T]) error

// A sink is where a stage sends its values, by either of two paths, each of
// which returns the downstream's new bound:
//
//   - push takes a batch: a producer that has many values at hand (a slice,
//     a generator, a batch that crossed from another goroutine) pushes up
//     to a batch at a time, and a stage loops over it and pushes one batch
//     on, so that a stage costs a call per batch and a loop iteration per
//     value. The batch is owned by the caller and valid only during the
//     call: a stage must neither keep it nor write to it (copy what must
//     outlive the call). A batch is never empty.
//   - one takes a single value: a producer that gets values one at a time
//     and may wait between them (FromFunc, FromSeq, a channel) passes each
//     on at once, and a stage that has a per-value path of its own passes
//     it on with one call, so that a value costs a direct call per stage
//     and no batch bookkeeping.
//
// A stage may receive values by both paths in one run (Concat of a slice
// and a generator, say), in order.
//
// The two paths have two shapes, for what each costs. one is a closure,
// called per value: a closure call is direct, where a method of a generic
// type called through an interface goes first through a wrapper that adds
// the type's dictionary, a call more per value and stage (the whole sink
// as an interface was measured and rejected, docs/decisions/0006-fusion.md).
// push is called per batch, where such a call is lost in the batch's work,
// so it is a [pusher]: a stage with state keeps that state in a struct
// whose push method does the batch work, and its one closure points to
// the struct for what the two paths share (a bound, an accumulator), so
// that a fused stage costs two allocations per run, where a closure per
// path and each variable the two shared cost three or four.
// A stage without state passes a plain function as a [pushFunc], which
// takes no allocation of its own.
type sink[T any] struct {
	batches pusher[T]
	one     func(v T) int
}

// push passes batch to the sink's batch path.
func (s sink[T]) push(batch []T) int { return s.batches.push(batch) }

// A pusher is the batch path of a sink.
type pusher[T any] interface {
	push(batch []T) int
}

// pushFunc is a function as a pusher.
type pushFunc[T any] func(batch []T) int

func (f pushFunc[T]) push(batch []T) int { return f(batch) }

// pushOnly returns a sink for a stage without a per-value path of its own:
// one passes each value to push as a batch of one.
func pushOnly[T any](push func(batch []T) int) sink[T] {
	buf := make([]T, 1)
	return sink[T]{batches: pushFunc[T](push), one: func(v T) int {
		buf[0] = v
		want := push(buf)
		var zero T
		buf[0] = zero
		return want
	}}
}

// perValue returns a sink for a consumer whose work is per value (a
// terminal that may fail on any value): push passes the values of a batch
// to one in order and stops at the first that gets the bound 0.
func perValue[T any](one func(v T) int) sink[T] {
	return sink[T]{batches: eachFunc[T](one), one: one}
}

// eachFunc is the batch path of perValue: a function as a pusher that
// calls it on each value of a batch.
type eachFunc[T any] func(v T) int

func (f eachFunc[T]) push(batch []T) int {
	want := unbounded
	for _, v := range batch {
		if want = f(v); stop(want) {
			return 0
		}
	}
	return want
}

// tracked returns a sink that passes every value to out and records out's
// latest bound in *want.
func tracked[T any](out sink[T], want *int) sink[T] {
	return sink[T]{
		batches: pushFunc[T](func(batch []T) int {
			*want = out.push(batch)
			return *want
		}),
		one: func(v T) int {
			*want = out.one(v)
			return *want
		},
	}
}

// unbounded is a want with no upper bound.
const unbounded = -1

// maxBatch is the largest batch a fused stage produces: big enough to
// amortise the per-batch calls, small enough for a batch of machine words
// to stay in the L1 cache. 1024 measured faster than 256 on the
// Map-Filter-Map-fold benchmark (see docs/decisions/0006-fusion.md).
const maxBatch = 1024

// batchSize is how many values a stage may produce next, given want.
func batchSize(want int) int {
	if want < 0 || want > maxBatch {
		return maxBatch
	}
	return want
}

// stop reports whether want asks for no more values.
func stop(want int) bool { return want == 0 }

// grow returns buf resliced to length n, reallocated if it is too short.
// The first batch sizes the buffer, so that a run over a few values needs
// only a few words; if a later batch is larger (see ramp), the buffer goes
// straight to full size, so a run reallocates at most twice.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		if buf == nil {
			buf = make([]T, n)
		} else {
			buf = make([]T, max(n, maxBatch))
		}
	}
	return buf[:n]
}

// mulWant returns the bound for k values per wanted value: want*k, saturated
// to unbounded.
func mulWant(want, k int) int {
	if want < 0 || (k > 0 && want > math.MaxInt/k) {
		return unbounded
	}
	return want * k
}

// addWant returns want+k (k >= 0), saturated to unbounded.
func addWant(want, k int) int {
	if want < 0 || want > math.MaxInt-k {
		return unbounded
	}
	return want + k
}

// A ramp bounds the demand of a consumer that may stop on its own, such as
// TakeWhile or a loop over All: it asks for 1 value, then 2, 4, ... up to
// maxBatch. Upstream work done past the point where the consumer stops is
// then at most about the work done before it, instead of a whole batch: a
// RepeatFunc(f).TakeWhile(p) whose p fails on the first value calls f once.
type ramp struct{ next int }

// limit returns want bounded by the ramp's next step, and advances the ramp.
func (r *ramp) limit(want int) int {
	n := max(r.next, 1)
	r.next = min(2*n, maxBatch)
	if want < 0 || want > n {
		return n
	}
	return want
}

func (s Source[T]) runner() runFunc[T] {
	if s.run == nil {
		return func(context.Context, int, sink[T]) error { return nil }
	}
	return s.run
}
