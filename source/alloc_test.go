package source_test

import (
	"context"
	"testing"
	"time"

	"github.com/corral-go/corral/source"
)

// TestFusedAllocations checks that a fused pipeline allocates per run, not
// per value: the same number of allocations for 50,000 values as for
// 500,000. (Below a few thousand values, a run allocates a little less:
// its buffers have not grown to full size.)
func TestFusedAllocations(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters change allocation counts")
	}
	ctx := context.Background()
	id := func(v int) (int, error) { return v, nil }
	nothing := func(error) error { return nil }
	pipelines := map[string]func(in []int) func(){
		"MapFilterMapFold": func(in []int) func() {
			src := source.Map(source.Map(source.FromSlice(in), inc).Filter(even), dbl)
			return func() { _, _ = source.RunFold(ctx, src, 0, add) }
		},
		"TakeDropScanForEach": func(in []int) func() {
			src := source.Scan(source.FromSlice(in).Drop(10).Take(len(in)-20), 0, add)
			return func() { _ = src.RunForEach(ctx, func(int) error { return nil }) }
		},
		"RangeMapConcatDistinct": func(in []int) func() {
			pair := make([]int, 2)
			src := source.DistinctAdjacent(source.MapConcat(source.Range(0, len(in), 1), func(v int) []int {
				pair[0], pair[1] = v, v
				return pair
			}))
			return func() { _ = src.RunDrain(ctx) }
		},
		"IntersperseSampleLast": func(in []int) func() {
			src := source.FromSlice(in).Intersperse(0).Sample(3).TakeWhile(func(v int) bool { return v >= 0 })
			return func() { _, _ = src.RunLast(ctx) }
		},
		"All": func(in []int) func() {
			src := source.Map(source.FromSlice(in), inc)
			return func() {
				for range src.All(ctx) {
				}
			}
		},
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
