package bench

import (
	"context"
	"iter"
	"testing"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/source"
)

// oneByOneN is how many values the one-at-a-time benchmarks move: 2^18.
const oneByOneN = 1 << 18

// generate is the producer of BenchmarkPerValue: the function FromFunc
// calls, emitting 0, 1, ..., 2^18-1 one at a time, as a scanner or a
// paginated client would. It is a package variable, as sequence is, so
// that no variant inlines it, and with it the emit function it calls: both
// sides call it as FromFunc does, through func values.
var generate = func(ctx context.Context, emit func(int) error) error {
	for i := range oneByOneN {
		if err := emit(i); err != nil {
			return err
		}
	}
	return nil
}

// sequence is generate as an iter.Seq, for FromSeq.
var sequence iter.Seq[int] = func(yield func(int) bool) {
	for i := range oneByOneN {
		if !yield(i) {
			return
		}
	}
}

// BenchmarkPerValue runs map(+1) -> filter(even) -> map(*2) -> fold(+) over
// 2^18 ints that arrive one at a time, each source beside the loop it is
// measured against (compare them with benchstat -col /impl):
//
//   - src=FromFunc: source.FromFunc(generate) through the fused stages,
//     against impl=loop, the same generator called with an emit function
//     that calls the four func values.
//   - src=FromSeq: source.FromSeq over an iter.Seq, against a range loop
//     over the same iter.Seq calling the four func values.
//   - src=Chan: a goroutine sends the ints on a channel.Chan of capacity 64
//     and source.FromChannel drains it through the stages, against a native
//     channel of capacity 64 drained by a range loop calling the four func
//     values.
func BenchmarkPerValue(b *testing.B) {
	ctx := context.Background()
	want := expected(pipelineInput[:oneByOneN])
	check := func(b *testing.B, got int) {
		if got != want {
			b.Fatalf("result %d, want %d", got, want)
		}
	}
	pipeline := func(src source.Source[int]) source.Source[int] {
		return source.Map(source.Map(src, inc).Filter(even), dbl)
	}
	loopEmit := func(acc *int) func(int) error {
		f1, p, f2, fold := inc, even, dbl, add
		return func(v int) error {
			if v = f1(v); p(v) {
				*acc = fold(*acc, f2(v))
			}
			return nil
		}
	}
	b.Run("src=FromFunc/impl=corral", func(b *testing.B) {
		b.ReportAllocs()
		src := pipeline(source.FromFunc(generate))
		for b.Loop() {
			sink, _ = source.RunFold(ctx, src, 0, add)
		}
		check(b, sink)
	})
	b.Run("src=FromFunc/impl=loop", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			acc := 0
			_ = generate(ctx, loopEmit(&acc))
			sink = acc
		}
		check(b, sink)
	})
	b.Run("src=FromSeq/impl=corral", func(b *testing.B) {
		b.ReportAllocs()
		src := pipeline(source.FromSeq(sequence))
		for b.Loop() {
			sink, _ = source.RunFold(ctx, src, 0, add)
		}
		check(b, sink)
	})
	b.Run("src=FromSeq/impl=loop", func(b *testing.B) {
		b.ReportAllocs()
		f1, p, f2, fold := inc, even, dbl, add
		for b.Loop() {
			acc := 0
			for v := range sequence {
				if v = f1(v); p(v) {
					acc = fold(acc, f2(v))
				}
			}
			sink = acc
		}
		check(b, sink)
	})
	b.Run("src=Chan/impl=corral", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := channel.New[int](64)
			go func() {
				for i := range oneByOneN {
					_ = c.Send(ctx, i)
				}
				_ = c.Close()
			}()
			sink, _ = source.RunFold(ctx, pipeline(source.FromChannel(c)), 0, add)
		}
		check(b, sink)
	})
	b.Run("src=Chan/impl=loop", func(b *testing.B) {
		b.ReportAllocs()
		f1, p, f2, fold := inc, even, dbl, add
		for b.Loop() {
			c := make(chan int, 64)
			go func() {
				for i := range oneByOneN {
					c <- i
				}
				close(c)
			}()
			acc := 0
			for v := range c {
				if v = f1(v); p(v) {
					acc = fold(acc, f2(v))
				}
			}
			sink = acc
		}
		check(b, sink)
	})
}
