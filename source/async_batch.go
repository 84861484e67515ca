package source

import (
	"time"

	"github.com/corral-go/corral/scope"
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
	return groupWeighted(src, "Batch", size, false, 0, nil, batchScope)
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
	return groupWeighted(src, "GroupedWithin", size, false, window, nil, groupedWithinScope)
}
