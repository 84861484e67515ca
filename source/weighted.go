package source

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source/internal/handoff"
)

// The operators in this file group values by weight instead of by count:
// the weight of a value is what a function says it is (its size in bytes,
// the rows it holds, the cost of handling it).

var (
	batchWeightedScope         = scope.WithName("source.BatchWeighted")
	groupedWeightedWithinScope = scope.WithName("source.GroupedWeightedWithin")
)

// GroupedWeighted returns a Source of the values of src in groups whose
// weights add up to at least minWeight: values join a group, in order, until
// the sum of weight(v) over the group reaches minWeight, and the group is
// passed on. The last group may weigh less. A value that weighs minWeight
// or more on its own is a group of its own (if the group was empty). Each
// group is a new slice, so it may be kept. [Grouped] is GroupedWeighted
// with a weight of 1 for every value.
//
// Fused. Since the number of values that make a group is unknown, the stage
// asks the upstream for one value at a time while the downstream's demand
// is bounded (a Take after it), so that no value is produced in vain.
//
// GroupedWeighted panics if minWeight is not positive or weight is nil, and
// a run panics if weight returns a negative weight.
func GroupedWeighted[T any](src Source[T], minWeight int, weight func(v T) int) Source[[]T] {
	mustPositive("GroupedWeighted", "minWeight", minWeight)
	mustFunc("GroupedWeighted", "weight", weight == nil)
	return chunked(src, func() func(cur []T, v T) ([]T, bool) {
		w := 0 // the weight of cur
		return func(cur []T, v T) ([]T, bool) {
			c := weight(v)
			mustWeight("GroupedWeighted", c)
			cur = append(cur, v)
			if w = addWeight(w, c); w >= minWeight {
				w = 0
				return cur, true
			}
			return cur, false
		}
	})
}

// BatchWeighted is [Batch] by weight: while the downstream is busy, the
// values that arrive are appended to a slice, as long as the weights of its
// values add up to at most maxWeight; a value that would take it past
// maxWeight waits, with src, until the downstream has taken the slice, and
// starts the next one. A value that weighs more than maxWeight on its own
// is passed on alone: no value is dropped. Each slice is new, so it may be
// kept. A value joins the slice waiting as described for Batch.
//
// Async, as Batch: one goroutine runs src and calls weight; a slice of at
// most maxWeight waits. When src ends, the slice waiting is passed on. An
// error from src ends the run at once (the slice waiting is dropped); a
// panic in weight, or a negative weight, reaches the terminal as a
// [*scope.PanicError]. The upstream is not told how many values the
// downstream wants; it is cancelled when the downstream stops.
//
// BatchWeighted panics if maxWeight is not positive or weight is nil.
func BatchWeighted[T any](src Source[T], maxWeight int, weight func(v T) int) Source[[]T] {
	mustPositive("BatchWeighted", "maxWeight", maxWeight)
	mustFunc("BatchWeighted", "weight", weight == nil)
	return groupWeighted(src, "BatchWeighted", maxWeight, true, 0, weight, batchWeightedScope)
}

// GroupedWeightedWithin is [GroupedWithin] by weight: a group is passed on
// when the weights of its values add up to minWeight or more, or when window
// has passed since its first value arrived, whichever comes first. No empty
// group is emitted; when src ends, the last group is passed on at once.
// Each group is new, so it may be kept.
//
// Async, as GroupedWithin: one goroutine runs src, calls weight and fills
// the group; the timer runs on the goroutine of the run. While a full group
// waits for the downstream, src waits too. An error from src ends the run
// at once (the group being filled is dropped); a panic in weight, or a
// negative weight, reaches the terminal as a [*scope.PanicError]. The
// upstream is not told how many values the downstream wants; it is
// cancelled when the downstream stops.
//
// GroupedWeightedWithin panics if minWeight or window is not positive, or
// weight is nil.
func GroupedWeightedWithin[T any](src Source[T], minWeight int, window time.Duration, weight func(v T) int) Source[[]T] {
	mustPositive("GroupedWeightedWithin", "minWeight", minWeight)
	mustDuration("GroupedWeightedWithin", "window", window)
	mustFunc("GroupedWeightedWithin", "weight", weight == nil)
	return groupWeighted(src, "GroupedWeightedWithin", minWeight, false, window, weight, groupedWeightedWithinScope)
}

// groupWeighted is the run of every grouping stage that waits for its
// downstream: Batch and GroupedWithin (weight nil: every value weighs 1,
// and groups are full at limit values), BatchWeighted (upTo: groups weigh
// at most limit) and GroupedWeightedWithin (groups are full at limit or
// more). One goroutine runs src and fills the group in a slot; the
// consumer takes it when it is full or has waited window (0: whenever the
// consumer is ready).
func groupWeighted[T any](src Source[T], op string, limit int, upTo bool, window time.Duration,
	weight func(T) int, name scope.Option) Source[[]T] {
	up := src.runner()
	return Source[[]T]{run: func(ctx context.Context, want int, out sink[[]T]) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, name, func(st *stage) error {
			slot := handoff.NewSlot[[]T]()
			defer slot.Stop()
			st.goProducer(func(ctx context.Context) error {
				return fillWeighted(ctx, slot, up, op, limit, upTo, weight)
			})
			for {
				g, ok, err := slot.Next(st.consumerCtx(), window)
				if err != nil || !ok {
					return err
				}
				if stop(out.one(g)) { // one group at a time keeps to any bound
					return nil
				}
			}
		})
	}}
}

// fillWeighted runs up and appends its values to the group in slot; once
// the group is full, it waits for the consumer to take it.
func fillWeighted[T any](ctx context.Context, slot *handoff.Slot[[]T], up runFunc[T], op string,
	limit int, upTo bool, weight func(T) int) error {
	done := ctx.Done()
	w := 0 // the weight of the group in the slot, if there is one
	err := up(ctx, unbounded, pushOnly(func(batch []T) int {
		for len(batch) > 0 {
			g, has, at := slot.Claim()
			if weight == nil { // every value weighs 1: take what fits at once
				if !has {
					g, at = make([]T, 0, min(limit, maxBatch)), time.Now()
				}
				k := min(limit-len(g), len(batch))
				g = append(g, batch[:k]...)
				batch = batch[k:]
				slot.Put(g, at, len(g) == limit)
				if len(batch) > 0 && !slot.WaitTaken(done) {
					return 0
				}
				continue
			}
			if !has {
				g, at, w = nil, time.Now(), 0
			}
			full := false
			i := 0
			for ; i < len(batch) && !full; i++ {
				c := weight(batch[i])
				mustWeight(op, c)
				if upTo && len(g) > 0 && c > limit-w {
					full = true // batch[i] starts the next group
					break
				}
				g = append(g, batch[i])
				w = addWeight(w, c)
				full = w >= limit
			}
			batch = batch[i:]
			slot.Put(g, at, full)
			if full && !slot.WaitTaken(done) {
				return 0
			}
		}
		return unbounded
	}))
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	if err != nil {
		return err // fails the scope, which cancels the consumer
	}
	slot.End()
	return nil
}

// addWeight returns w+c, saturated at math.MaxInt.
func addWeight(w, c int) int {
	if c > math.MaxInt-w {
		return math.MaxInt
	}
	return w + c
}

// mustWeight panics, naming the operator, if a weight function returned a
// negative weight for a value: a programming error, which reaches the
// terminal as a *scope.PanicError.
func mustWeight(op string, w int) {
	if w < 0 {
		panic(fmt.Sprintf("source: %s's weight returned %d for a value; weights must be 0 or more", op, w))
	}
}
