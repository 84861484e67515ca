package source_test

import (
	"context"
	"errors"
	"iter"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
)

// TestStreamsAsyncCancellation: cancelling the run's context ends every
// async stage of issue 16 promptly, as TestAsyncCancellation checks for
// the others.
func TestStreamsAsyncCancellation(t *testing.T) {
	id := func(ctx context.Context, v int) (int, error) { return v, nil }
	forever := func() source.Source[int] { return source.Repeat(1) }
	size := func(g []int) int { return len(g) }
	one := func(int) int { return 1 }
	okOf := func(r source.Result[int]) int { return r.Value }
	busy := []struct {
		name string
		src  source.Source[int]
	}{
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

// TestStreamsPanics: a panic in a function passed to a stage of issue 16
// reaches the terminal as a *scope.PanicError, whichever goroutine it ran
// on.
func TestStreamsPanics(t *testing.T) {
	boom := func(int) int { panic("boom") }
	tests := []struct {
		name string
		src  source.Source[int]
	}{
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

// TestStreamsTakeStopsUpstream: a Take after a stage of issue 16 makes the
// upstream produce only the values needed, as TestTakeStopsUpstream checks
// for the others.
func TestStreamsTakeStopsUpstream(t *testing.T) {
	id := func(v int) (int, error) { return v, nil }
	weight1 := func(int) int { return 1 }
	firstOf := func(g []int) int { return g[0] }
	tests := []struct {
		name  string
		build func(src source.Source[int]) source.Source[int]
		want  []int
		calls int // values the upstream must produce
	}{
		{"MapConcatErr", func(s source.Source[int]) source.Source[int] {
			return source.MapConcatErr(s, func(v int) ([]int, error) { return []int{v, v}, nil }).Take(3)
		}, []int{0, 0, 1}, 2},
		{"MapTry", func(s source.Source[int]) source.Source[int] {
			return source.Successes(source.MapTry(s, id), func(error) error { return nil }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"MapStateful", func(s source.Source[int]) source.Source[int] {
			return source.MapStateful(s, func() int { return 0 }, func(st, v int) (int, int) { return st + v, st + v }, nil).Take(3)
		}, []int{0, 1, 3}, 3},
		{"GroupedWeighted", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.GroupedWeighted(s, 3, weight1), firstOf).Take(2)
		}, []int{0, 3}, 6},
		{"Split", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.Split(s, func(v int) bool { return v%3 == 2 }), firstOf).Take(2)
		}, []int{0, 3}, 6},
		{"SplitOn", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.SplitOn(source.Map(s, func(v int) int { return v % 3 }), []int{2}), firstOf).Take(2)
		}, []int{0, 0}, 6},
		{"DistinctAdjacentBy", func(s source.Source[int]) source.Source[int] {
			return source.DistinctAdjacentBy(s, func(v int) int { return v / 2 }).Take(3)
		}, []int{0, 2, 4}, 5},
		{"Retry", func(s source.Source[int]) source.Source[int] { return s.Retry().Take(3) }, []int{0, 1, 2}, 3},
		{"RecoverWith", func(s source.Source[int]) source.Source[int] {
			return s.RecoverWith(func(error) source.Source[int] { return source.Of(9) }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"RecoverErr", func(s source.Source[int]) source.Source[int] {
			return s.RecoverErr(func(error) (int, error) { return 9, nil }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"EndOnError", func(s source.Source[int]) source.Source[int] {
			return s.EndOnError(func(error) bool { return true }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"OnComplete", func(s source.Source[int]) source.Source[int] { return s.OnComplete(func(error) {}).Take(3) }, []int{0, 1, 2}, 3},
		{"Timeout", func(s source.Source[int]) source.Source[int] { return s.Timeout(time.Hour).Take(3) }, []int{0, 1, 2}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int64
			equal(t, collect(t, tt.build(counted(&calls))), tt.want)
			if calls.Load() != int64(tt.calls) {
				t.Errorf("upstream produced %d values, want %d", calls.Load(), tt.calls)
			}
		})
	}

	// Async stages that keep to the demand: at most the downstream's bound
	// per upstream.
	async := []struct {
		name  string
		build func(src source.Source[int]) source.Source[int]
		most  int64
	}{
		{"MapParTry", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.MapParTry(s, 4, func(_ context.Context, v int) (int, error) { return v, nil }),
				func(r source.Result[int]) int { return r.Value }).Take(3)
		}, 3},
		{"MergeUntil", func(s source.Source[int]) source.Source[int] {
			return source.MergeUntil(s, waitForever[int](), source.LeftEnds).Take(3)
		}, 3},
		{"InterleaveShortest", func(s source.Source[int]) source.Source[int] {
			return source.InterleaveShortest(1, s, source.Repeat(-1)).Take(5)
		}, 5},
		{"Expand", func(s source.Source[int]) source.Source[int] {
			return source.Expand(s, func(v int) iter.Seq[int] { return repeatSeq(v) }).Take(3)
		}, 5}, // one may wait in the stage, one in the upstream's emit
	}
	for _, tt := range async {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int64
			if got := collect(t, tt.build(counted(&calls))); len(got) == 0 {
				t.Fatal("no values")
			}
			if calls.Load() > tt.most {
				t.Errorf("upstream produced %d values, at most %d wanted", calls.Load(), tt.most)
			}
		})
	}
}

// TestStreamsFusedAllocations checks that the fused stages of issue 16
// allocate per run, not per value, as TestFusedAllocations does for the
// others.
func TestStreamsFusedAllocations(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters change allocation counts")
	}
	ctx := context.Background()
	id := func(v int) (int, error) { return v, nil }
	nothing := func(error) error { return nil }
	pipelines := map[string]func(in []int) func(){
		"MapStatefulDistinctByTakeWhileInclusive": func(in []int) func() {
			src := source.MapStateful(source.FromSlice(in), func() int { return 0 }, func(s, v int) (int, int) { return s + 1, v + s }, nil)
			src = source.DistinctAdjacentBy(src, func(v int) int { return v / 3 }).TakeWhileInclusive(func(v int) bool { return v >= 0 })
			return func() { _ = src.RunDrain(ctx) }
		},
		"MapTrySuccessesRunFoldErr": func(in []int) func() {
			src := source.Successes(source.MapTry(source.FromSlice(in), id), nothing)
			return func() { _, _ = source.RunFoldErr(ctx, src, 0, func(a, v int) (int, error) { return a + v, nil }) }
		},
		"MapConcatErrRunReduceErr": func(in []int) func() {
			pair := make([]int, 2)
			src := source.MapConcatErr(source.FromSlice(in), func(v int) ([]int, error) {
				pair[0], pair[1] = v, v
				return pair, nil
			})
			return func() { _, _ = src.RunReduceErr(ctx, func(a, v int) (int, error) { return a + v, nil }) }
		},
		"RecoveryPassThrough": func(in []int) func() {
			src := source.FromSlice(in).Retry().RecoverWith(func(error) source.Source[int] { return source.Empty[int]() }).
				RecoverErr(func(err error) (int, error) { return 0, err }).EndOnError(func(error) bool { return false }).
				OnComplete(func(error) {}).Timeout(time.Hour)
			return func() { _ = src.RunDrain(ctx) }
		},
		"TakeLast": func(in []int) func() {
			src := source.FromSlice(in).TakeLast(100)
			return func() { _ = src.RunDrain(ctx) }
		},
	}
	for name, build := range pipelines {
		t.Run(name, func(t *testing.T) {
			small := testing.AllocsPerRun(20, build(input[:50_000]))
			large := testing.AllocsPerRun(20, build(input[:500_000]))
			if large > small {
				t.Errorf("%.0f allocations for 50,000 values, %.0f for 500,000", small, large)
			}
			t.Logf("%.0f allocations per run", large)
		})
	}
}
