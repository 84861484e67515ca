package bench

import (
	"context"
	"testing"

	"github.com/corral-go/corral/source"
)

// The pipeline of BenchmarkMapFilterMapFold: four small functions, held in
// package variables so that no variant can inline them unless it is written
// inline on purpose.
var (
	inc  = func(v int) int { return v + 1 }
	even = func(v int) bool { return v%2 == 0 }
	dbl  = func(v int) int { return v * 2 }
	add  = func(a, v int) int { return a + v }
)

// pipelineInput is 0, 1, ..., 2^20-1.
var pipelineInput = func() []int {
	s := make([]int, 1<<20)
	for i := range s {
		s[i] = i
	}
	return s
}()

// sink keeps results alive so that no loop is optimised away.
var sink int

// BenchmarkMapFilterMapFold runs map(+1) -> filter(even) -> map(*2) -> fold(+)
// over 2^20 ints, as a corral Source and as the alternatives it is measured
// against:
//
//   - corral: source.Map, Filter, Map and RunFold (fused stages).
//   - corral-all: the same stages, consumed by a range loop over All.
//   - loop-funcvalues: a hand-written loop calling the same four functions
//     through func values: the floor for any library taking user functions.
//   - loop-inlined: the loop with the functions written inline.
//   - chan-per-stage: one goroutine per stage, connected by native buffered
//     channels of capacity 1024 (the "pipelines" pattern of the Go blog).
//   - iter-seq: a chain of iter.Seq stages, each pushing one value at a time
//     through a closure (the design docs/decisions/0006-fusion.md calls
//     element push).
//   - pull: a chain of pull functions, each returning one value per call.
func BenchmarkMapFilterMapFold(b *testing.B) {
	ctx := context.Background()
	in := pipelineInput
	want := expected(in)
	check := func(b *testing.B, got int) {
		if got != want {
			b.Fatalf("result %d, want %d", got, want)
		}
	}
	b.Run("corral", func(b *testing.B) {
		b.ReportAllocs()
		src := source.Map(source.Map(source.FromSlice(in), inc).Filter(even), dbl)
		for b.Loop() {
			sink, _ = source.RunFold(ctx, src, 0, add)
		}
		check(b, sink)
	})
	b.Run("corral-all", func(b *testing.B) {
		b.ReportAllocs()
		src := source.Map(source.Map(source.FromSlice(in), inc).Filter(even), dbl)
		for b.Loop() {
			acc := 0
			for v := range src.All(ctx) {
				acc = add(acc, v)
			}
			sink = acc
		}
		check(b, sink)
	})
	b.Run("loop-funcvalues", func(b *testing.B) {
		b.ReportAllocs()
		f1, p, f2, fold := inc, even, dbl, add
		for b.Loop() {
			acc := 0
			for _, v := range in {
				v = f1(v)
				if !p(v) {
					continue
				}
				acc = fold(acc, f2(v))
			}
			sink = acc
		}
		check(b, sink)
	})
	b.Run("loop-inlined", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			acc := 0
			for _, v := range in {
				v++
				if v%2 != 0 {
					continue
				}
				acc += v * 2
			}
			sink = acc
		}
		check(b, sink)
	})
	b.Run("chan-per-stage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = chanPipeline(in, 1024)
		}
		check(b, sink)
	})
	b.Run("iter-seq", func(b *testing.B) {
		b.ReportAllocs()
		seq := seqMap(seqFilter(seqMap(seqOf(in), inc), even), dbl)
		for b.Loop() {
			acc := 0
			for v := range seq {
				acc = add(acc, v)
			}
			sink = acc
		}
		check(b, sink)
	})
	b.Run("pull", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			next := pullMap(pullFilter(pullMap(pullOf(in), inc), even), dbl)
			acc := 0
			for v, ok := next(); ok; v, ok = next() {
				acc = add(acc, v)
			}
			sink = acc
		}
		check(b, sink)
	})
}

// BenchmarkSmallPipeline measures the fixed cost of a run: the same
// pipeline over 10 values, where a hand-written loop costs next to nothing.
func BenchmarkSmallPipeline(b *testing.B) {
	ctx := context.Background()
	in := pipelineInput[:10]
	b.Run("corral", func(b *testing.B) {
		b.ReportAllocs()
		src := source.Map(source.Map(source.FromSlice(in), inc).Filter(even), dbl)
		for b.Loop() {
			sink, _ = source.RunFold(ctx, src, 0, add)
		}
	})
	b.Run("loop-funcvalues", func(b *testing.B) {
		b.ReportAllocs()
		f1, p, f2, fold := inc, even, dbl, add
		for b.Loop() {
			acc := 0
			for _, v := range in {
				if v = f1(v); p(v) {
					acc = fold(acc, f2(v))
				}
			}
			sink = acc
		}
	})
}

func expected(in []int) int {
	acc := 0
	for _, v := range in {
		if v++; v%2 == 0 {
			acc += v * 2
		}
	}
	return acc
}

// chanPipeline runs the pipeline with one goroutine per stage.
func chanPipeline(in []int, capacity int) int {
	src := make(chan int, capacity)
	go func() {
		defer close(src)
		for _, v := range in {
			src <- v
		}
	}()
	mapped := chanMap(src, inc, capacity)
	filtered := make(chan int, capacity)
	go func() {
		defer close(filtered)
		for v := range mapped {
			if even(v) {
				filtered <- v
			}
		}
	}()
	acc := 0
	for v := range chanMap(filtered, dbl, capacity) {
		acc = add(acc, v)
	}
	return acc
}

func chanMap(in <-chan int, f func(int) int, capacity int) <-chan int {
	out := make(chan int, capacity)
	go func() {
		defer close(out)
		for v := range in {
			out <- f(v)
		}
	}()
	return out
}

// Element push: each stage an iter.Seq calling the next stage per value.

func seqOf(in []int) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for _, v := range in {
			if !yield(v) {
				return
			}
		}
	}
}

func seqMap(seq func(yield func(int) bool), f func(int) int) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		seq(func(v int) bool { return yield(f(v)) })
	}
}

func seqFilter(seq func(yield func(int) bool), keep func(int) bool) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		seq(func(v int) bool { return !keep(v) || yield(v) })
	}
}

// Pull: each stage a function returning the next value.

func pullOf(in []int) func() (int, bool) {
	i := 0
	return func() (int, bool) {
		if i == len(in) {
			return 0, false
		}
		i++
		return in[i-1], true
	}
}

func pullMap(next func() (int, bool), f func(int) int) func() (int, bool) {
	return func() (int, bool) {
		v, ok := next()
		if !ok {
			return 0, false
		}
		return f(v), true
	}
}

func pullFilter(next func() (int, bool), keep func(int) bool) func() (int, bool) {
	return func() (int, bool) {
		for {
			v, ok := next()
			if !ok || keep(v) {
				return v, ok
			}
		}
	}
}
