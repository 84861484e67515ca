package source_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

// TestBadInput checks that misuse panics at once, naming the function and
// the argument and saying what to do instead.
func TestBadInput(t *testing.T) {
	src := source.Of(1)
	var nilChan *channel.Chan[int]
	var nilCtx context.Context // a nil context, which is not allowed
	id := func(_ context.Context, v int) (int, error) { return v, nil }
	reg := func(context.Context, *source.Emitter[int]) (func(), error) { return nil, nil }
	const nilCtxWant = " called with nil ctx; pass context.Background() or the caller's context"
	tests := []struct {
		give func()
		want string
	}{
		{func() { src.Take(-1) }, "source: Take called with negative n -1; n must be 0 or more"},
		{func() { src.Drop(-2) }, "source: Drop called with negative n -2; n must be 0 or more"},
		{func() { source.Grouped(src, 0) }, "source: Grouped called with size 0; size must be at least 1"},
		{func() { source.Sliding(src, 0, 1) }, "source: Sliding called with size 0; size must be at least 1"},
		{func() { source.Sliding(src, 2, -1) }, "source: Sliding called with step -1; step must be at least 1"},
		{func() { src.Sample(0) }, "source: Sample called with n 0; n must be at least 1"},
		{func() { source.Range(0, 10, 0) }, "source: Range called with step 0; pass a positive step to count up or a negative one to count down"},
		{func() { source.Chunks(nil, 1) }, "source: Chunks called with nil r; pass the reader to read from"},
		{func() { source.Chunks(emptyReader{}, 0) }, "source: Chunks called with size 0; size must be at least 1"},
		{func() { source.Lines(nil) }, "source: Lines called with nil r; pass the reader to read lines from"},
		{func() { _ = source.RunToWriter(context.Background(), source.Of("a"), nil, "") }, "source: RunToWriter called with nil w; pass the writer to write to"},
		{func() { source.Failed[int](nil) }, "source: Failed called with nil err; pass the error the run should fail with, or use Empty"},
		{func() { source.FromChannel(nilChan) }, "source: FromChannel called with nil c; pass a channel made by channel.New"},
		{func() { source.FromGoChan[int](nil) }, "source: FromGoChan called with nil c; a receive from a nil channel waits forever: pass a channel made by make"},
		{func() { source.FromSeq[int](nil) }, "source: FromSeq called with nil seq; pass a function"},
		{func() { source.FromSeq2[int](nil) }, "source: FromSeq2 called with nil seq; pass a function"},
		{func() { source.FromFunc[int](nil) }, "source: FromFunc called with nil f; pass a function"},
		{func() { source.Iterate(0, nil) }, "source: Iterate called with nil f; pass a function"},
		{func() { source.Unfold[int, int](0, nil) }, "source: Unfold called with nil f; pass a function"},
		{func() { source.RepeatFunc[int](nil) }, "source: RepeatFunc called with nil f; pass a function"},
		{func() { source.Map[int, int](src, nil) }, "source: Map called with nil f; pass a function"},
		{func() { source.MapErr[int, int](src, nil) }, "source: MapErr called with nil f; pass a function"},
		{func() { src.Filter(nil) }, "source: Filter called with nil keep; pass a function"},
		{func() { source.FilterMap[int, int](src, nil) }, "source: FilterMap called with nil f; pass a function"},
		{func() { source.FlatMap[int, int](src, nil) }, "source: FlatMap called with nil f; pass a function"},
		{func() { source.MapConcat[int, int](src, nil) }, "source: MapConcat called with nil f; pass a function"},
		{func() { src.TakeWhile(nil) }, "source: TakeWhile called with nil keep; pass a function"},
		{func() { src.DropWhile(nil) }, "source: DropWhile called with nil drop; pass a function"},
		{func() { source.Scan[int, int](src, 0, nil) }, "source: Scan called with nil f; pass a function"},
		{func() { src.Tap(nil) }, "source: Tap called with nil f; pass a function"},
		{func() { src.OnDone(nil) }, "source: OnDone called with nil f; pass a function"},
		{func() { src.OnError(nil) }, "source: OnError called with nil f; pass a function"},
		{func() { src.Recover(nil) }, "source: Recover called with nil f; pass a function"},
		{func() { _ = src.RunForEach(context.Background(), nil) }, "source: RunForEach called with nil f; pass a function"},
		{func() { _, _ = source.RunFold[int, int](context.Background(), src, 0, nil) }, "source: RunFold called with nil f; pass a function"},
		{func() { _, _ = src.RunReduce(context.Background(), nil) }, "source: RunReduce called with nil f; pass a function"},
		{func() {
			_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
				src.RunToChannel(s, -2)
				return nil
			})
		}, "source: RunToChannel called with capacity -2; pass 0, a positive capacity or channel.Unlimited"},
		{func() { src.RunToChannel(nil, 0) }, "source: RunToChannel called with nil sc; pass the scope to run the pipeline in, such as the s of scope.Supervised"},
		{func() { _ = src.RunForEach(nilCtx, func(int) error { return nil }) }, "source: RunForEach" + nilCtxWant},
		{func() { _, _ = src.RunToSlice(nilCtx) }, "source: RunToSlice" + nilCtxWant},
		{func() { _ = src.RunDrain(nilCtx) }, "source: RunDrain" + nilCtxWant},
		{func() { _, _ = source.RunFold(nilCtx, src, 0, func(a, v int) int { return a }) }, "source: RunFold" + nilCtxWant},
		{func() { _, _ = src.RunReduce(nilCtx, func(a, v int) int { return a }) }, "source: RunReduce" + nilCtxWant},
		{func() { _, _ = src.RunLast(nilCtx) }, "source: RunLast" + nilCtxWant},
		{func() { _ = source.RunToWriter(nilCtx, source.Of("a"), &strings.Builder{}, "") }, "source: RunToWriter" + nilCtxWant},
		{func() { src.All(nilCtx) }, "source: All" + nilCtxWant},
		{func() { source.MapPar(src, 0, id) }, "source: MapPar called with limit 0; limit must be at least 1"},
		{func() { source.MapParUnordered(src, -1, id) }, "source: MapParUnordered called with limit -1; limit must be at least 1"},
		{func() { source.MapPar[int, int](src, 1, nil) }, "source: MapPar called with nil f; pass a function"},
		{func() { source.FlatMapPar(src, 0, func(int) source.Source[int] { return src }) }, "source: FlatMapPar called with limit 0; limit must be at least 1"},
		{func() { source.FlatMapPar[int, int](src, 1, nil) }, "source: FlatMapPar called with nil f; pass a function"},
		{func() { src.Buffer(0) }, "source: Buffer called with n 0; n must be at least 1"},
		{func() { source.ZipWith[int, int, int](src, src, nil) }, "source: ZipWith called with nil f; pass a function"},
		{func() { source.Interleave(0, src) }, "source: Interleave called with segment 0; segment must be at least 1"},
		{func() { src.Throttle(0, time.Second) }, "source: Throttle called with n 0; n must be at least 1"},
		{func() { src.Throttle(1, 0) }, "source: Throttle called with per 0s; per must be positive"},
		{func() { src.Debounce(-time.Second) }, "source: Debounce called with d -1s; d must be positive"},
		{func() { source.Tick(0) }, "source: Tick called with d 0s; d must be positive"},
		{func() { source.GroupedWithin(src, 0, time.Second) }, "source: GroupedWithin called with size 0; size must be at least 1"},
		{func() { source.GroupedWithin(src, 1, 0) }, "source: GroupedWithin called with window 0s; window must be positive"},
		{func() { source.Batch(src, 0) }, "source: Batch called with size 0; size must be at least 1"},
		{func() { src.Conflate(nil) }, "source: Conflate called with nil combine; pass a function"},
		{func() { src.AlsoTo(nil) }, "source: AlsoTo called with nil c; pass the channel to copy the values to"},
		{func() { src.RateLimit(nil) }, "source: RateLimit called with nil lim; pass a limiter made by rate.NewLimiter"},
		{func() { source.FromCallback(0, source.OverflowBlock, reg) }, "source: FromCallback called with capacity 0; pass a positive capacity or channel.Unlimited"},
		{func() { source.FromCallback(1, 9, reg) }, "source: FromCallback called with overflow Overflow(9); pass one of the Overflow constants"},
		{func() { source.FromCallback[int](1, source.OverflowBlock, nil) }, "source: FromCallback called with nil register; pass a function"},
		{func() { new(source.Emitter[int]).Fail(nil) }, "source: Emitter.Fail called with nil err; call Close to end the stream without an error"},
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
