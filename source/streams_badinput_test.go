package source_test

import (
	"context"
	"testing"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/source"
)

// TestStreamsBadInput checks that misuse of the operators of issue 16
// panics at once, naming the function and the argument and saying what to
// do instead, as TestBadInput does for the others.
func TestStreamsBadInput(t *testing.T) {
	src := source.Of(1)
	var nilCtx context.Context // a nil context, which is not allowed
	var nilChan *channel.Chan[int]
	one := func(int) int { return 1 }
	const nilCtxWant = " called with nil ctx; pass context.Background() or the caller's context"
	tests := []struct {
		give func()
		want string
	}{
		{func() { src.RecoverWith(nil) }, "source: RecoverWith called with nil f; pass a function"},
		{func() { src.RecoverErr(nil) }, "source: RecoverErr called with nil f; pass a function"},
		{func() { src.EndOnError(nil) }, "source: EndOnError called with nil match; pass a function"},
		{func() { src.OnComplete(nil) }, "source: OnComplete called with nil f; pass a function"},
		{func() { source.MapConcatErr[int, int](src, nil) }, "source: MapConcatErr called with nil f; pass a function"},
		{func() { src.ConflateErr(nil) }, "source: ConflateErr called with nil combine; pass a function"},
		{func() { source.ConflateWithSeed[int, int](src, nil, nil) }, "source: ConflateWithSeed called with nil seed; pass a function"},
		{func() { src.DebounceBy(nil) }, "source: DebounceBy called with nil quiet; pass a function"},
		{func() { source.MapTry[int, int](src, nil) }, "source: MapTry called with nil f; pass a function"},
		{func() { source.MapParTry[int, int](src, 2, nil) }, "source: MapParTry called with nil f; pass a function"},
		{func() {
			source.MapParTry(src, 0, func(context.Context, int) (int, error) { return 0, nil })
		}, "source: MapParTry called with limit 0; limit must be at least 1"},
		{func() { source.MapParUnorderedTry[int, int](src, 2, nil) }, "source: MapParUnorderedTry called with nil f; pass a function"},
		{func() { source.Successes[int](source.Of(source.Result[int]{}), nil) }, "source: Successes called with nil onErr; pass a function"},
		{func() { source.GroupBy[int, int, int](src, 0, nil, nil) }, "source: GroupBy called with limit 0; limit must be at least 1"},
		{func() { source.GroupBy[int, int, int](src, 1, nil, nil) }, "source: GroupBy called with nil key; pass a function"},
		{func() { src.TakeLast(-1) }, "source: TakeLast called with negative n -1; n must be 0 or more"},
		{func() { source.MapStateful[int, int, int](src, nil, nil, nil) }, "source: MapStateful called with nil init; pass a function"},
		{func() { src.TakeWhileInclusive(nil) }, "source: TakeWhileInclusive called with nil keep; pass a function"},
		{func() { source.DistinctAdjacentBy[int, int](src, nil) }, "source: DistinctAdjacentBy called with nil key; pass a function"},
		{func() { source.GroupedWeighted(src, 0, one) }, "source: GroupedWeighted called with minWeight 0; minWeight must be at least 1"},
		{func() { source.BatchWeighted(src, 0, one) }, "source: BatchWeighted called with maxWeight 0; maxWeight must be at least 1"},
		{func() { source.GroupedWeightedWithin(src, 1, 0, one) }, "source: GroupedWeightedWithin called with window 0s; window must be positive"},
		{func() { source.Split[int](src, nil) }, "source: Split called with nil delim; pass a function"},
		{func() { source.MergeUntil(src, src, source.MergeEnd(7)) }, "source: MergeUntil called with end MergeEnd(7); pass BothEnd, LeftEnds, RightEnds or EitherEnds"},
		{func() { source.InterleaveShortest(0, src) }, "source: InterleaveShortest called with segment 0; segment must be at least 1"},
		{func() { source.Expand[int, int](src, nil) }, "source: Expand called with nil f; pass a function"},
		{func() { source.Extrapolate[int](src, nil) }, "source: Extrapolate called with nil f; pass a function"},
		{func() { src.Timeout(-time.Second) }, "source: Timeout called with d -1s; d must be positive"},
		{func() { _, _ = source.RunFoldErr(nilCtx, src, 0, nil) }, "source: RunFoldErr" + nilCtxWant},
		{func() { _, _ = source.RunFoldErr[int, int](context.Background(), src, 0, nil) }, "source: RunFoldErr called with nil f; pass a function"},
		{func() { _, _ = src.RunReduceErr(nilCtx, nil) }, "source: RunReduceErr" + nilCtxWant},
		{func() { _ = src.RunSendTo(nilCtx, nilChan) }, "source: RunSendTo" + nilCtxWant},
		{func() { _ = src.RunSendTo(context.Background(), nilChan) }, "source: RunSendTo called with nil c; pass the channel to send the values to"},
		{func() { _ = src.RunSendToGoChan(context.Background(), nil) }, "source: RunSendToGoChan called with nil c; a send on a nil channel waits forever: pass a channel made by make"},
	}
	for _, tt := range tests {
		v := mustPanic(t, tt.give)
		if v != tt.want {
			t.Errorf("panic %q, want %q", v, tt.want)
		}
	}
}
