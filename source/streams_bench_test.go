package source_test

import (
	"context"
	"testing"

	"github.com/corral-go/corral/source"
)

// BenchmarkStreams compares stages of issue 16 with the stage they extend,
// over 65,536 ints: MapStateful with Scan, MapTry into Successes with
// MapErr, MapParTry with MapPar, and GroupBy into 8 groups with Buffer (one
// hop between goroutines). Compare ratios within one run.
func BenchmarkStreams(b *testing.B) {
	ctx := context.Background()
	in := input[:1<<16]
	id := func(v int) (int, error) { return v, nil }
	idCtx := func(_ context.Context, v int) (int, error) { return v, nil }
	none := func(error) error { return nil }
	okOf := func(r source.Result[int]) int { return r.Value }
	benches := []struct {
		name string
		src  source.Source[int]
	}{
		{"Scan", source.Scan(source.FromSlice(in), 0, add)},
		{"MapStateful", source.MapStateful(source.FromSlice(in), func() int { return 0 },
			func(s, v int) (int, int) { return s + v, s + v }, nil)},
		{"MapErr", source.MapErr(source.FromSlice(in), id)},
		{"MapTry-Successes", source.Successes(source.MapTry(source.FromSlice(in), id), none)},
		{"MapPar", source.MapPar(source.FromSlice(in), 4, idCtx)},
		{"MapParTry", source.Map(source.MapParTry(source.FromSlice(in), 4, idCtx), okOf)},
		{"Buffer", source.FromSlice(in).Buffer(1024)},
		{"GroupBy-8", source.GroupBy(source.FromSlice(in), 8, func(v int) int { return v & 7 },
			func(_ int, g source.Source[int]) source.Source[int] { return g })},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = source.RunFold(ctx, bb.src, 0, add)
			}
		})
	}
}
