package source

import (
	"context"
	"fmt"

	"github.com/corral-go/corral/scope"
)

var mergeUntilScope = scope.WithName("source.MergeUntil")

// A MergeEnd says which of the two sources of [MergeUntil] ends the merged
// stream when it ends.
type MergeEnd uint8

const (
	// BothEnd ends the merged stream once both sources have ended, as
	// [Merge] does. The zero MergeEnd.
	BothEnd MergeEnd = iota
	// LeftEnds ends the merged stream when the left source ends: the right
	// one is cancelled, and its values not yet passed on are dropped. For a
	// stream of data merged with a side stream that has no end of its own
	// (ticks, heartbeats, control messages). Ox's propagateDoneLeft.
	LeftEnds
	// RightEnds ends the merged stream when the right source ends: the
	// left one is cancelled. Ox's propagateDoneRight.
	RightEnds
	// EitherEnds ends the merged stream when either source ends: the other
	// is cancelled. Ox's merge with both propagateDone flags.
	EitherEnds
)

// String returns the name of the constant e, such as "LeftEnds".
func (e MergeEnd) String() string {
	switch e {
	case BothEnd:
		return "BothEnd"
	case LeftEnds:
		return "LeftEnds"
	case RightEnds:
		return "RightEnds"
	case EitherEnds:
		return "EitherEnds"
	}
	return fmt.Sprintf("MergeEnd(%d)", uint8(e))
}

// MergeUntil returns a Source of the values of left and right, which run
// concurrently, as [Merge] does, that ends when the source named by end
// ends: MergeUntil(data, heartbeats, LeftEnds) ends with data, however long
// heartbeats would go on. A source ends once every value it emitted has
// been passed on; the other is then cancelled and its values still waiting
// are dropped. Values are passed on as they come: the values of each source
// keep their order, the two interleave in no set way, and neither starves
// the other.
//
// Async: one goroutine per source, each running ahead by up to 2048 values,
// which cross to the downstream in batches. The first error of either
// source ends the run at once, and the other is cancelled; the run's error
// starts with that first failure, and failures of the other goroutine
// before it stopped, other than reports of the cancellation, are attached
// to it (the rule of [scope.Supervised]). An error of a source that has
// already ended the stream is not seen. When the downstream stops, both
// sources are cancelled.
//
// MergeUntil panics if end is not one of the MergeEnd constants.
func MergeUntil[T any](left, right Source[T], end MergeEnd) Source[T] {
	if end > EitherEnds {
		panic(fmt.Sprintf("source: MergeUntil called with end %v; pass BothEnd, LeftEnds, RightEnds or EitherEnds", end))
	}
	upL, upR := left.runner(), right.runner()
	endsWith := [2]bool{end == LeftEnds || end == EitherEnds, end == RightEnds || end == EitherEnds}
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, mergeUntilScope, func(st *stage) error {
			lanes := [2]*lane[T]{startLane(st, upL, want), startLane(st, upR, want)}
			ctx := st.consumerCtx()
			for first := 0; ; first ^= 1 { // take turns going first, so that neither starves
				for _, l := range lanes {
					if err := l.poll(); err != nil {
						return err
					}
				}
				passed := false
				for j := range 2 {
					i := first ^ j
					l, other := lanes[i], lanes[i^1]
					if l.ended {
						if endsWith[i] || other.ended {
							return nil
						}
						continue
					}
					vs := l.values()
					if len(vs) == 0 {
						continue
					}
					k := min(len(vs), batchSize(want))
					want = out.push(vs[:k:k])
					l.consumed(k, want)
					other.consumed(0, want) // its producer keeps to the new bound too
					if stop(want) {
						return nil
					}
					passed = true
				}
				if passed {
					continue
				}
				select {
				case <-lanes[0].q.Ready():
				case <-lanes[1].q.Ready():
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		})
	}}
}

// InterleaveShortest is [Interleave] that ends as soon as a source it
// turns to has ended: segment values of each source in turn, until the
// turn of one that has no more, where the stream ends and the other sources
// are cancelled. So with sources of different lengths it ends with the
// shortest, as [Zip] does, where Interleave goes on with the others, as
// [ZipAll] does. Ox's interleave with eagerComplete.
//
// A source whose turn has not come is not watched: if it ends while
// another source has its turn, the stream ends at its turn, after the
// values it emitted before it ended.
//
// Async, as Interleave: each source runs in a goroutine of its own and runs
// ahead by up to 2048 values. The first error of any source ends the run at
// once and cancels the others, with the error rule of Interleave.
// InterleaveShortest of no source is empty.
//
// InterleaveShortest panics if segment is not positive.
func InterleaveShortest[T any](segment int, sources ...Source[T]) Source[T] {
	mustPositive("InterleaveShortest", "segment", segment)
	return interleave(segment, sources, true)
}
