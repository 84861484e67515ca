package source_test

import (
	"context"
	"testing"

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
