package source_test

import (
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/corral-go/corral/source"
)

// TestStreamsAsyncStress runs the async stages of issue 16 with random
// inputs, Takes, failures and cancellations, and checks what can be
// checked of their results: no value invented, the failure reported, the
// cancellation reported, every goroutine ended (goleak). Run it with -race.
func TestStreamsAsyncStress(t *testing.T) {
	iterations := 100
	if testing.Short() {
		iterations = 40
	}
	weight := func(v int) int { return v % 4 }
	flat := func(s source.Source[[]int]) source.Source[int] {
		return source.MapConcat(s, func(g []int) []int { return g })
	}
	stages := []struct {
		name  string
		apply func(source.Source[int]) source.Source[int]
	}{
		{"GroupBy", func(s source.Source[int]) source.Source[int] {
			return source.GroupBy(s, 3, func(v int) int { return v % 5 }, func(_ int, g source.Source[int]) source.Source[int] {
				return g.Buffer(4)
			})
		}},
		{"MergeUntil", func(s source.Source[int]) source.Source[int] {
			return source.MergeUntil(s, source.Repeat(-1).Take(50), source.LeftEnds).Filter(func(v int) bool { return v >= 0 })
		}},
		{"InterleaveShortest", func(s source.Source[int]) source.Source[int] {
			return source.InterleaveShortest(3, s, source.Repeat(-1)).Filter(func(v int) bool { return v >= 0 })
		}},
		{"BatchWeighted", func(s source.Source[int]) source.Source[int] { return flat(source.BatchWeighted(s, 7, weight)) }},
		{"GroupedWeightedWithin", func(s source.Source[int]) source.Source[int] {
			return flat(source.GroupedWeightedWithin(s, 7, time.Millisecond, weight))
		}},
		{"ConflateWithSeed", func(s source.Source[int]) source.Source[int] {
			return flat(source.ConflateWithSeed(s, func(v int) []int { return []int{v} }, func(a []int, v int) []int { return append(a, v) }))
		}},
		{"Expand", func(s source.Source[int]) source.Source[int] {
			return source.Expand(s, func(v int) iter.Seq[int] { return slices.Values([]int{v, v}) })
		}},
		{"MapParTry", func(s source.Source[int]) source.Source[int] {
			return source.Successes(source.MapParTry(s, 3, func(_ context.Context, v int) (int, error) { return v, nil }),
				func(error) error { return nil })
		}},
	}
	for i := range iterations {
		r := rand.New(rand.NewPCG(uint64(i), 26))
		st := stages[r.IntN(len(stages))]
		n := r.IntN(3000)
		vs := ints(n)
		src := source.FromSlice(vs)
		if r.IntN(2) == 0 {
			src = oneByOne(vs...)
		}
		fail := r.IntN(4) == 0
		if fail {
			src = source.Concat(src, source.Failed[int](errBoom))
		}
		take := -1
		if r.IntN(3) == 0 {
			take = r.IntN(n + 1)
		}
		pipeline := st.apply(src)
		if take >= 0 {
			pipeline = pipeline.Take(take)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancelAt := -1
		if r.IntN(5) == 0 {
			cancelAt = r.IntN(n + 1)
		}
		seen := 0
		err := pipeline.RunForEach(ctx, func(v int) error {
			if v < 0 || v >= max(n, 1) {
				t.Fatalf("#%d %s: value %d not in the input", i, st.name, v)
			}
			if seen++; seen == cancelAt {
				cancel()
			}
			return nil
		})
		cancel()
		switch {
		case cancelAt > 0 && seen >= cancelAt && err != nil:
			if !errors.Is(err, context.Canceled) && !errors.Is(err, errBoom) {
				t.Fatalf("#%d %s: cancelled run failed with %v", i, st.name, err)
			}
		case err != nil && !(fail && errors.Is(err, errBoom)):
			t.Fatalf("#%d %s (take %d, fail %v): err = %v", i, st.name, take, fail, err)
		case err == nil && fail && take < 0 && cancelAt < 0 && st.name != "MergeUntil" && st.name != "InterleaveShortest":
			t.Fatalf("#%d %s: the failure was lost", i, st.name)
		}
		if take >= 0 && seen > take {
			t.Fatalf("#%d %s: %d values after Take(%d)", i, st.name, seen, take)
		}
	}
}
