package source_test

import (
	"context"
	"testing"

	"github.com/corral-go/corral/source"
)

var (
	inc   = func(v int) int { return v + 1 }
	even  = func(v int) bool { return v%2 == 0 }
	dbl   = func(v int) int { return v * 2 }
	add   = func(a, v int) int { return a + v }
	input = func() []int {
		s := make([]int, 1<<20)
		for i := range s {
			s[i] = i
		}
		return s
	}()
)

func BenchmarkPipeline(b *testing.B) {
	ctx := context.Background()
	b.Run("source", func(b *testing.B) {
		b.ReportAllocs()
		src := source.Map(source.Map(source.FromSlice(input), inc).Filter(even), dbl)
		for b.Loop() {
			_, _ = source.RunFold(ctx, src, 0, add)
		}
	})
	b.Run("loop-funcvalues", func(b *testing.B) {
		b.ReportAllocs()
		f1, p, f2, fold := inc, even, dbl, add
		for b.Loop() {
			acc := 0
			for _, v := range input {
				v = f1(v)
				if !p(v) {
					continue
				}
				acc = fold(acc, f2(v))
			}
			_ = acc
		}
	})
}

// BenchmarkStages measures single stages over 2^20 ints, drained, to show
// the cost per value of each kind of fused stage.
func BenchmarkStages(b *testing.B) {
	ctx := context.Background()
	src := source.FromSlice(input)
	stages := []struct {
		name string
		src  source.Source[int]
	}{
		{"FromSlice", src},
		{"Map", source.Map(src, inc)},
		{"Filter", src.Filter(even)},
		{"Scan", source.Scan(src, 0, add)},
		{"Take", src.Take(len(input) - 1)},
		{"Drop", src.Drop(1)},
		{"TakeWhile", src.TakeWhile(func(v int) bool { return v >= 0 })},
		{"MapConcat", source.MapConcat(src, func(v int) []int { return input[v%2 : v%2+1] })},
		{"FlatMap", source.FlatMap(src.Take(1<<12), func(v int) source.Source[int] { return src.Take(256) })},
		{"Grouped", source.Map(source.Grouped(src, 16), func(g []int) int { return len(g) })},
		{"Range", source.Range(0, len(input), 1)},
		{"FromSeq", source.FromSeq(func(yield func(int) bool) {
			for _, v := range input {
				if !yield(v) {
					return
				}
			}
		})},
	}
	for _, st := range stages {
		b.Run(st.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = st.src.RunDrain(ctx)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(input)), "ns/value")
		})
	}
}
