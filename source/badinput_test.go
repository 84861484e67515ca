package source_test

import (
	"context"
	"testing"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

// TestBadInput checks that misuse panics at once, naming the argument.
func TestBadInput(t *testing.T) {
	src := source.Of(1)
	var nilChan *channel.Chan[int]
	tests := []struct {
		give func()
		want string
	}{
		{func() { src.Take(-1) }, "source: Take called with negative n -1"},
		{func() { src.Drop(-2) }, "source: Drop called with negative n -2"},
		{func() { source.Grouped(src, 0) }, "source: Grouped called with size 0"},
		{func() { source.Sliding(src, 0, 1) }, "source: Sliding called with size 0"},
		{func() { source.Sliding(src, 2, -1) }, "source: Sliding called with step -1"},
		{func() { src.Sample(0) }, "source: Sample called with n 0"},
		{func() { source.Range(0, 10, 0) }, "source: Range called with step 0"},
		{func() { source.Chunks(nil, 1) }, "source: Chunks called with nil r"},
		{func() { source.Chunks(emptyReader{}, 0) }, "source: Chunks called with size 0"},
		{func() { source.Lines(nil) }, "source: Lines called with nil r"},
		{func() { _ = source.RunToWriter(context.Background(), source.Of("a"), nil, "") }, "source: RunToWriter called with nil w"},
		{func() { source.Failed[int](nil) }, "source: Failed called with nil err"},
		{func() { source.FromChannel(nilChan) }, "source: FromChannel called with nil c"},
		{func() { source.FromChan[int](nil) }, "source: FromChan called with nil c"},
		{func() { source.FromSeq[int](nil) }, "source: FromSeq called with nil seq"},
		{func() { source.FromSeq2[int](nil) }, "source: FromSeq2 called with nil seq"},
		{func() { source.FromFunc[int](nil) }, "source: FromFunc called with nil f"},
		{func() { source.Iterate(0, nil) }, "source: Iterate called with nil f"},
		{func() { source.Unfold[int, int](0, nil) }, "source: Unfold called with nil f"},
		{func() { source.RepeatFunc[int](nil) }, "source: RepeatFunc called with nil f"},
		{func() { source.Map[int, int](src, nil) }, "source: Map called with nil f"},
		{func() { source.MapErr[int, int](src, nil) }, "source: MapErr called with nil f"},
		{func() { src.Filter(nil) }, "source: Filter called with nil keep"},
		{func() { source.FilterMap[int, int](src, nil) }, "source: FilterMap called with nil f"},
		{func() { source.FlatMap[int, int](src, nil) }, "source: FlatMap called with nil f"},
		{func() { source.MapConcat[int, int](src, nil) }, "source: MapConcat called with nil f"},
		{func() { src.TakeWhile(nil) }, "source: TakeWhile called with nil keep"},
		{func() { src.DropWhile(nil) }, "source: DropWhile called with nil drop"},
		{func() { source.Scan[int, int](src, 0, nil) }, "source: Scan called with nil f"},
		{func() { src.Tap(nil) }, "source: Tap called with nil f"},
		{func() { src.OnDone(nil) }, "source: OnDone called with nil f"},
		{func() { src.OnError(nil) }, "source: OnError called with nil f"},
		{func() { src.Recover(nil) }, "source: Recover called with nil f"},
		{func() { _ = src.RunForEach(context.Background(), nil) }, "source: RunForEach called with nil f"},
		{func() { _, _ = source.RunFold[int, int](context.Background(), src, 0, nil) }, "source: RunFold called with nil f"},
		{func() { _, _ = src.RunReduce(context.Background(), nil) }, "source: RunReduce called with nil f"},
		{func() {
			_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
				src.RunToChannel(s, -2)
				return nil
			})
		}, "source: RunToChannel called with capacity -2"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			v := mustPanic(t, tt.give)
			if pe, ok := v.(*scope.PanicError); ok {
				v = pe.Value
			}
			if v != tt.want {
				t.Errorf("panicked with %v", v)
			}
		})
	}
}
