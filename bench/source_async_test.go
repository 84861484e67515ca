package bench

import (
	"context"
	"testing"
	"time"

	"github.com/corral-go/corral/source"
)

// asyncInput is 0, 1, ..., 65535: the input of the async stage benchmarks.
var asyncInput = func() []int {
	s := make([]int, 1<<16)
	for i := range s {
		s[i] = i
	}
	return s
}()

// asyncWork is the trivial function mapped in parallel, in a package
// variable so that no variant inlines it.
var asyncWork = func(v int) int { return 2*v + 1 }

func asyncWant(in []int) int {
	acc := 0
	for _, v := range in {
		acc += asyncWork(v)
	}
	return acc
}

// BenchmarkMapPar maps a trivial function over 65,536 ints with 4 workers
// and sums the results in input order:
//
//   - corral: source.MapPar(src, 4, f) folded by RunFold.
//   - corral-unordered: source.MapParUnordered.
//   - pool-ordered: the hand-written ordered worker pool: a feeder sends
//     (index, value) jobs on a native channel, 4 workers send (index,
//     result) on another, and the consumer puts the results back in order
//     (in a slice with a flag per index, allocated once) as it folds them.
func BenchmarkMapPar(b *testing.B) {
	ctx := context.Background()
	want := asyncWant(asyncInput)
	f := func(_ context.Context, v int) (int, error) { return asyncWork(v), nil }
	sum := func(a, v int) int { return a + v }
	check := func(b *testing.B, got int) {
		if got != want {
			b.Fatalf("sum %d, want %d", got, want)
		}
	}
	b.Run("corral", func(b *testing.B) {
		b.ReportAllocs()
		src := source.MapPar(source.FromSlice(asyncInput), 4, f)
		for b.Loop() {
			got, _ := source.RunFold(ctx, src, 0, sum)
			check(b, got)
		}
	})
	b.Run("corral-unordered", func(b *testing.B) {
		b.ReportAllocs()
		src := source.MapParUnordered(source.FromSlice(asyncInput), 4, f)
		for b.Loop() {
			got, _ := source.RunFold(ctx, src, 0, sum)
			check(b, got)
		}
	})
	b.Run("pool-ordered", func(b *testing.B) {
		b.ReportAllocs()
		out, ready := make([]int, len(asyncInput)), make([]bool, len(asyncInput))
		for b.Loop() {
			clear(ready)
			check(b, orderedPool(asyncInput, 4, asyncWork, out, ready))
		}
	})
}

// orderedPool is the hand-written ordered worker pool of BenchmarkMapPar.
// out and ready have the length of in; ready is all false.
func orderedPool(in []int, workers int, f func(int) int, out []int, ready []bool) int {
	type item struct{ i, v int }
	jobs, results := make(chan item, workers), make(chan item, workers)
	go func() {
		for i, v := range in {
			jobs <- item{i, v}
		}
		close(jobs)
	}()
	for range workers {
		go func() {
			for j := range jobs {
				results <- item{j.i, f(j.v)}
			}
		}()
	}
	acc, next := 0, 0
	for range in {
		r := <-results
		out[r.i], ready[r.i] = r.v, true
		for ; next < len(in) && ready[next]; next++ {
			acc += out[next]
		}
	}
	return acc
}

// BenchmarkBufferHop moves 65,536 ints from a producer goroutine to the
// consumer that sums them:
//
//   - corral: FromSlice(in).Buffer(1024), folded by RunFold.
//   - corral-one-by-one: the same, but the producer emits one value per call
//     (a FromSeq over the slice), as a scanner or callback would.
//   - chan: a goroutine sends each value on a native channel of capacity
//     1024, and the consumer ranges over it.
func BenchmarkBufferHop(b *testing.B) {
	ctx := context.Background()
	sum := func(a, v int) int { return a + v }
	want := 0
	for _, v := range asyncInput {
		want += v
	}
	check := func(b *testing.B, got int) {
		if got != want {
			b.Fatalf("sum %d, want %d", got, want)
		}
	}
	perValue := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(asyncInput)), "ns/value")
	}
	b.Run("corral", func(b *testing.B) {
		b.ReportAllocs()
		src := source.FromSlice(asyncInput).Buffer(1024)
		for b.Loop() {
			got, _ := source.RunFold(ctx, src, 0, sum)
			check(b, got)
		}
		perValue(b)
	})
	b.Run("corral-one-by-one", func(b *testing.B) {
		b.ReportAllocs()
		src := source.FromSeq(func(yield func(int) bool) {
			for _, v := range asyncInput {
				if !yield(v) {
					return
				}
			}
		}).Buffer(1024)
		for b.Loop() {
			got, _ := source.RunFold(ctx, src, 0, sum)
			check(b, got)
		}
		perValue(b)
	})
	b.Run("chan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := make(chan int, 1024)
			go func() {
				for _, v := range asyncInput {
					c <- v
				}
				close(c)
			}()
			acc := 0
			for v := range c {
				acc += v
			}
			check(b, acc)
		}
		perValue(b)
	})
}

// mapParN is how many values BenchmarkMapParPerValue maps: 2^15.
const mapParN = 1 << 15

// generateMapPar emits 0, 1, ..., 2^15-1 one at a time, as generate does.
var generateMapPar = func(ctx context.Context, emit func(int) error) error {
	for i := range mapParN {
		if err := emit(i); err != nil {
			return err
		}
	}
	return nil
}

// spinFor returns a function that takes about d of CPU for each value,
// calibrated once: the "f ≈ 1 µs" of BenchmarkMapParPerValue.
func spinFor(d time.Duration) func(int) int {
	spin := func(v, rounds int) int {
		for range rounds {
			v = v*1103515245 + 12345
		}
		return v
	}
	rounds := 1000
	for {
		start := time.Now()
		for i := range 100 {
			sink += spin(i, rounds)
		}
		if el := time.Since(start) / 100; el > 0 {
			rounds = max(1, int(int64(rounds)*int64(d)/int64(el)))
			break
		}
		rounds *= 2
	}
	return func(v int) int { return spin(v, rounds)&0xff + v }
}

// BenchmarkMapParPerValue maps 2^15 ints that a generator emits one at a
// time with 4 workers, in order, and sums the results (compare with
// benchstat -col /impl):
//
//   - impl=corral: source.MapPar(source.FromFunc(generate), 4, f) folded by
//     RunFold.
//   - impl=pool: the hand-written ordered pool: a goroutine runs the same
//     generator and sends (index, value) jobs on a native channel, 4
//     workers send (index, result) on another, and the consumer puts the
//     results back in order as it folds them.
//
// work=cheap maps with 2v+1; work=1us with a function that takes about a
// microsecond of CPU.
func BenchmarkMapParPerValue(b *testing.B) {
	ctx := context.Background()
	works := []struct {
		name string
		f    func(int) int
	}{
		{"cheap", asyncWork},
		{"1us", spinFor(time.Microsecond)},
	}
	for _, w := range works {
		want := 0
		for i := range mapParN {
			want += w.f(i)
		}
		check := func(b *testing.B, got int) {
			if got != want {
				b.Fatalf("sum %d, want %d", got, want)
			}
		}
		sum := func(a, v int) int { return a + v }
		b.Run("work="+w.name+"/impl=corral", func(b *testing.B) {
			b.ReportAllocs()
			f := func(_ context.Context, v int) (int, error) { return w.f(v), nil }
			src := source.MapPar(source.FromFunc(generateMapPar), 4, f)
			for b.Loop() {
				got, _ := source.RunFold(ctx, src, 0, sum)
				check(b, got)
			}
		})
		b.Run("work="+w.name+"/impl=pool", func(b *testing.B) {
			b.ReportAllocs()
			out, ready := make([]int, mapParN), make([]bool, mapParN)
			for b.Loop() {
				clear(ready)
				check(b, orderedPoolFrom(ctx, generateMapPar, mapParN, 4, w.f, out, ready))
			}
		})
	}
}

// orderedPoolFrom is orderedPool fed by a generator of n values.
func orderedPoolFrom(ctx context.Context, gen func(context.Context, func(int) error) error, n, workers int, f func(int) int, out []int, ready []bool) int {
	type item struct{ i, v int }
	jobs, results := make(chan item, workers), make(chan item, workers)
	go func() {
		i := 0
		_ = gen(ctx, func(v int) error {
			jobs <- item{i, v}
			i++
			return nil
		})
		close(jobs)
	}()
	for range workers {
		go func() {
			for j := range jobs {
				results <- item{j.i, f(j.v)}
			}
		}()
	}
	acc, next := 0, 0
	for range n {
		r := <-results
		out[r.i], ready[r.i] = r.v, true
		for ; next < n && ready[next]; next++ {
			acc += out[next]
		}
	}
	return acc
}
