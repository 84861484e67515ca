package source

import (
	"context"
	"time"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source/internal/handoff"
)

var (
	batchScope         = scope.WithName("source.Batch")
	groupedWithinScope = scope.WithName("source.GroupedWithin")
)

// Batch returns a Source of the values of src gathered into slices for a
// downstream that may be slower than src: while the downstream is busy, the
// values that arrive are appended to a slice, and the downstream gets the
// slice when it is ready. A slice holds at most size values; when it is
// full, src waits. With a downstream that keeps up, each slice holds what
// src emitted at once. Each slice is new, so it may be kept.
//
// A value joins the slice waiting if it reaches the stage before the
// downstream takes that slice: when src passes it on (for [FromFunc], when
// its emit call returns). So if the downstream is busy with [1] while a
// producer emits 2 to 6, the downstream then gets [2 3 4 5 6]. As with
// [Source.Conflate], a value received from a channel counts once the
// goroutine that runs src has passed it on, not when its Send returned
// (Ox's batch counts it then): a value sent just before the downstream
// becomes ready may start the next slice.
//
// Async: one goroutine runs src; at most size values wait. When src ends,
// the values waiting are passed on. An error from src ends the run at once
// (the values waiting are dropped). The upstream is not told how many
// values the downstream wants; it is cancelled when the downstream stops.
// For groups of a set size, see Grouped; for groups closed by a timer,
// see GroupedWithin.
//
// Batch panics if size is not positive.
func Batch[T any](src Source[T], size int) Source[[]T] {
	mustPositive("Batch", "size", size)
	return groupWithin(src, size, 0, batchScope)
}

// GroupedWithin returns a Source of the values of src in groups of up to
// size values, in order: a group is passed on when it is full, or when
// window has passed since its first value arrived, whichever comes first.
// No empty group is emitted: with no values, nothing happens. When src
// ends, the last group is passed on at once. Each group is new, so it may
// be kept.
//
// Async: one goroutine runs src and fills the group; the timer runs on the
// goroutine of the run. While a full group waits for the downstream, src
// waits too. An error from src ends the run at once (the group being
// filled is dropped). The upstream is not told how many values the
// downstream wants; it is cancelled when the downstream stops.
//
// GroupedWithin panics if size or window is not positive.
func GroupedWithin[T any](src Source[T], size int, window time.Duration) Source[[]T] {
	mustPositive("GroupedWithin", "size", size)
	mustDuration("GroupedWithin", "window", window)
	return groupWithin(src, size, window, groupedWithinScope)
}

func groupWithin[T any](src Source[T], size int, window time.Duration, name scope.Option) Source[[]T] {
	up := src.runner()
	return Source[[]T]{run: func(ctx context.Context, want int, out sink[[]T]) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, name, func(st *stage) error {
			slot := handoff.NewSlot[[]T]()
			defer slot.Stop()
			st.goProducer(func(ctx context.Context) error { return fillGroups(ctx, slot, up, size) })
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

// fillGroups runs up and appends its values to the group in slot, which
// is full at size values: then it waits for the consumer to take it.
func fillGroups[T any](ctx context.Context, slot *handoff.Slot[[]T], up runFunc[T], size int) error {
	done := ctx.Done()
	err := up(ctx, unbounded, pushOnly(func(batch []T) int {
		for len(batch) > 0 {
			g, has, at := slot.Claim()
			if !has {
				g, at = make([]T, 0, min(size, maxBatch)), time.Now()
			}
			k := min(size-len(g), len(batch))
			g = append(g, batch[:k]...)
			batch = batch[k:]
			slot.Put(g, at, len(g) == size)
			if len(batch) > 0 && !slot.WaitTaken(done) {
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
