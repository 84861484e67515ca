package source_test

import (
	"context"
	"errors"
	"iter"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
)

// TestAsyncCancellation: cancelling the run's context ends every async
// stage promptly. Busy stages are cancelled from the downstream after a few
// values; quiet ones (waiting for a value or a timer) in a synctest bubble
// once every goroutine waits.
func TestAsyncCancellation(t *testing.T) {
	id := func(ctx context.Context, v int) (int, error) { return v, nil }
	forever := func() source.Source[int] { return source.Repeat(1) }
	size := func(g []int) int { return len(g) }
	one := func(int) int { return 1 }
	okOf := func(r source.Result[int]) int { return r.Value }
	busy := []struct {
		name string
		src  source.Source[int]
	}{
		{"Buffer", forever().Buffer(10)},
		{"MapPar", source.MapPar(forever(), 3, id)},
		{"MapParUnordered", source.MapParUnordered(forever(), 3, id)},
		{"FlatMapPar", source.FlatMapPar(forever(), 2, func(int) source.Source[int] { return forever() })},
		{"Merge", source.Merge(forever(), waitForever[int]())},
		{"Zip", source.ZipWith(forever(), forever(), func(a, b int) int { return a })},
		{"Interleave", source.Interleave(3, forever(), forever())},
		{"Conflate", forever().Conflate(func(a, v int) int { return a + v })},
		{"Batch", source.Map(source.Batch(forever(), 10), size)},
		{"GroupedWithin", source.Map(source.GroupedWithin(forever(), 10, time.Hour), size)},
		{"AlsoTo", forever().AlsoTo(channel.New[int](channel.Unlimited))},
		{"MapParTry", source.Map(source.MapParTry(forever(), 3, id), okOf)},
		{"MapParUnorderedTry", source.Map(source.MapParUnorderedTry(forever(), 3, id), okOf)},
		{"GroupBy", source.GroupBy(forever(), 2, func(v int) int { return v }, func(_ int, g source.Source[int]) source.Source[int] {
			return g
		})},
		{"MergeUntil", source.MergeUntil(forever(), waitForever[int](), source.RightEnds)},
		{"InterleaveShortest", source.InterleaveShortest(2, forever(), forever())},
		{"ConflateWithSeed", source.ConflateWithSeed(forever(), one, func(a, v int) int { return a + v })},
		{"ConflateErr", forever().ConflateErr(func(a, v int) (int, error) { return a + v, nil })},
		{"BatchWeighted", source.Map(source.BatchWeighted(forever(), 10, one), size)},
		{"GroupedWeightedWithin", source.Map(source.GroupedWeightedWithin(forever(), 10, time.Hour, one), size)},
		{"Expand", source.Expand(forever(), func(v int) iter.Seq[int] { return repeatSeq(v) })},
		{"Retry", forever().Retry()},
		{"Timeout", forever().Timeout(time.Hour)},
	}
	for _, tt := range busy {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			seen := 0
			err := tt.src.RunForEach(ctx, func(int) error {
				if seen++; seen == 5 {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v after %d values, want context.Canceled", err, seen)
			}
		})
	}
	quiet := []struct {
		name string
		src  func() source.Source[int]
	}{
		{"Debounce", func() source.Source[int] { return waitForever[int]().Debounce(time.Hour) }},
		{"DebounceWaiting", func() source.Source[int] {
			return source.Concat(source.Of(1), waitForever[int]()).Debounce(time.Hour)
		}},
		{"GroupedWithin", func() source.Source[int] {
			return source.Map(source.GroupedWithin(source.Concat(source.Of(1), waitForever[int]()), 9, time.Hour), size)
		}},
		{"Throttle", func() source.Source[int] { return forever().Throttle(1, time.Hour) }},
		{"Tick", func() source.Source[int] { return source.Map(source.Tick(time.Hour), func(time.Time) int { return 0 }) }},
		{"FromCallback", func() source.Source[int] {
			return source.FromCallback(4, source.OverflowBlock, func(context.Context, *source.Emitter[int]) (func(), error) {
				return nil, nil
			})
		}},
		{"MapParWaiting", func() source.Source[int] {
			return source.MapPar(source.Of(1, 2), 2, func(ctx context.Context, v int) (int, error) {
				<-ctx.Done()
				return 0, ctx.Err()
			})
		}},
		{"DebounceBy", func() source.Source[int] {
			return source.Concat(source.Of(1), waitForever[int]()).DebounceBy(func(int) time.Duration { return time.Hour })
		}},
		{"GroupedWeightedWithin", func() source.Source[int] {
			return source.Map(source.GroupedWeightedWithin(source.Concat(source.Of(1), waitForever[int]()), 9, time.Hour, one), size)
		}},
		{"Expand", func() source.Source[int] {
			return source.Expand(waitForever[int](), func(v int) iter.Seq[int] { return repeatSeq(v) })
		}},
		{"GroupByWaiting", func() source.Source[int] {
			return source.GroupBy(source.Concat(source.Of(1), waitForever[int]()), 2, func(v int) int { return v },
				func(_ int, g source.Source[int]) source.Source[int] { return g })
		}},
		{"MapParTryWaiting", func() source.Source[int] {
			return source.Map(source.MapParTry(source.Of(1, 2), 2, func(ctx context.Context, v int) (int, error) {
				<-ctx.Done()
				return 0, ctx.Err()
			}), okOf)
		}},
		{"RetryWaiting", func() source.Source[int] { return failing().Retry(retry.WithBackOff(retry.Fixed(time.Hour))) }},
		{"TimeoutWaiting", func() source.Source[int] { return waitForever[int]().Timeout(time.Hour) }},
	}
	for _, tt := range quiet {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				done := make(chan error)
				go func() { done <- tt.src().RunForEach(ctx, func(int) error { return nil }) }()
				synctest.Wait()
				cancel()
				if err := <-done; !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
			})
		})
	}
}

// TestAsyncPanics: a panic in a user function, on any goroutine of an
// async stage (or of a fused stage that runs its upstream again, later or
// in a scope of its own), reaches the terminal as a *scope.PanicError.
func TestAsyncPanics(t *testing.T) {
	boom := func(int) int { panic("boom") }
	tests := []struct {
		name string
		src  source.Source[int]
	}{
		{"MapPar", source.MapPar(source.Of(1, 2, 3), 2, func(_ context.Context, v int) (int, error) { return boom(v), nil })},
		{"MapParUnordered", source.MapParUnordered(source.Of(1), 2, func(_ context.Context, v int) (int, error) {
			return boom(v), nil
		})},
		{"BufferUpstream", source.Map(source.Of(1), boom).Buffer(2)},
		{"BufferDownstream", source.Map(source.Of(1).Buffer(2), boom)},
		{"MergeUpstream", source.Merge(source.Map(source.Of(1), boom), waitForever[int]())},
		{"FlatMapPar", source.FlatMapPar(source.Of(1), 2, func(v int) source.Source[int] { return source.Of(boom(v)) })},
		{"FlatMapParInner", source.FlatMapPar(source.Of(1), 2, func(v int) source.Source[int] {
			return source.Map(source.Of(v), boom)
		})},
		{"ZipWith", source.ZipWith(source.Of(1), source.Of(2), func(a, b int) int { return boom(a) })},
		{"Conflate", source.Of(1, 2).Conflate(func(a, v int) int { return boom(v) })},
		{"DebounceDownstream", source.Map(source.Of(1).Debounce(time.Millisecond), boom)},
		{"GroupedWithinUpstream", source.Map(source.GroupedWithin(source.Map(source.Of(1), boom), 2, time.Hour),
			func(g []int) int { return g[0] })},
		{"MapParTry", source.Map(source.MapParTry(source.Of(1, 2), 2, func(_ context.Context, v int) (int, error) {
			return boom(v), nil
		}), func(r source.Result[int]) int { return r.Value })},
		{"GroupBySub", source.GroupBy(source.Of(1, 2), 2, func(v int) int { return v }, func(_ int, g source.Source[int]) source.Source[int] {
			return source.Map(g, boom)
		})},
		{"MergeUntil", source.MergeUntil(source.Map(source.Of(1), boom), waitForever[int](), source.LeftEnds)},
		{"InterleaveShortest", source.InterleaveShortest(1, source.Map(source.Of(1), boom), source.Of(2))},
		{"ConflateWithSeed", source.ConflateWithSeed(source.Of(1), boom, func(a, v int) int { return a })},
		{"ConflateErr", source.Of(1, 2).ConflateErr(func(a, v int) (int, error) { return boom(v), nil })},
		{"DebounceBy", source.Of(1).DebounceBy(func(v int) time.Duration { return time.Duration(boom(v)) })},
		{"BatchWeighted", source.Map(source.BatchWeighted(source.Of(1), 3, boom), func(g []int) int { return 0 })},
		{"GroupedWeightedWithin", source.Map(source.GroupedWeightedWithin(source.Of(1), 3, time.Hour, boom), func(g []int) int { return 0 })},
		{"Expand", source.Expand(source.Of(1), func(v int) iter.Seq[int] { return repeatSeq(boom(v)) })},
		{"ExpandSeq", source.Expand(source.Of(1), func(v int) iter.Seq[int] {
			return func(func(int) bool) { boom(v) }
		})},
		{"Retry", source.Map(source.Of(1), boom).Retry()},
		{"RecoverWith", failing(1).RecoverWith(func(error) source.Source[int] { panic("boom") })},
		{"TakeLast", source.Map(source.Of(1), boom).TakeLast(1)},
		{"MapStateful", source.MapStateful(source.Of(1), func() int { return 0 }, func(s, v int) (int, int) { return s, boom(v) }, nil)},
		{"Timeout", source.Map(source.Of(1), boom).Timeout(time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pe := panicError(t, func() { _, _ = run(tt.src) })
			if pe.Value != "boom" {
				t.Errorf("PanicError.Value = %v, want boom", pe.Value)
			}
		})
	}
}
