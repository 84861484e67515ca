package source_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corral-go/corral/source"
)

// TestTakeStopsUpstream checks that a Take makes the upstream produce only
// the values that are needed to make the ones it takes.
func TestTakeStopsUpstream(t *testing.T) {
	pair := func(v int) []int { return []int{v, v} }
	id := func(v int) (int, error) { return v, nil }
	weight1 := func(int) int { return 1 }
	firstOf := func(g []int) int { return g[0] }
	tests := []struct {
		name  string
		build func(src source.Source[int]) source.Source[int]
		want  []int
		calls int // values the upstream must produce
	}{
		{"Take", func(s source.Source[int]) source.Source[int] { return s.Take(3) }, []int{0, 1, 2}, 3},
		{"Map", func(s source.Source[int]) source.Source[int] {
			return source.Map(s, func(v int) int { return v }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"MapErr", func(s source.Source[int]) source.Source[int] {
			return source.MapErr(s, func(v int) (int, error) { return v, nil }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"Filter", func(s source.Source[int]) source.Source[int] {
			return s.Filter(func(v int) bool { return v%2 == 0 }).Take(3)
		}, []int{0, 2, 4}, 5},
		{"FilterMap", func(s source.Source[int]) source.Source[int] {
			return source.FilterMap(s, func(v int) (int, bool) { return v, v%3 == 0 }).Take(2)
		}, []int{0, 3}, 4},
		{"Drop", func(s source.Source[int]) source.Source[int] { return s.Drop(2).Take(3) }, []int{2, 3, 4}, 5},
		{"DropWhile", func(s source.Source[int]) source.Source[int] {
			return s.DropWhile(func(v int) bool { return v < 2 }).Take(3)
		}, []int{2, 3, 4}, 5},
		{"Scan", func(s source.Source[int]) source.Source[int] {
			return source.Scan(s, 0, func(a, v int) int { return a + v }).Take(3)
		}, []int{0, 1, 3}, 3},
		{"Intersperse", func(s source.Source[int]) source.Source[int] { return s.Intersperse(-1).Take(4) }, []int{0, -1, 1, -1}, 3},
		{"IntersperseOdd", func(s source.Source[int]) source.Source[int] { return s.Intersperse(-1).Take(3) }, []int{0, -1, 1}, 2},
		{"FlatMap", func(s source.Source[int]) source.Source[int] {
			return source.FlatMap(s, func(v int) source.Source[int] { return source.Of(pair(v)...) }).Take(3)
		}, []int{0, 0, 1}, 2},
		{"MapConcat", func(s source.Source[int]) source.Source[int] { return source.MapConcat(s, pair).Take(3) }, []int{0, 0, 1}, 2},
		{"Grouped", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.Grouped(s, 2), func(g []int) int { return g[1] }).Take(2)
		}, []int{1, 3}, 4},
		{"Sliding", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.Sliding(s, 3, 1), func(g []int) int { return g[2] }).Take(2)
		}, []int{2, 3}, 4},
		{"SlidingSkip", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.Sliding(s, 2, 3), func(g []int) int { return g[1] }).Take(2)
		}, []int{1, 4}, 5},
		{"Sample", func(s source.Source[int]) source.Source[int] { return s.Sample(3).Take(2) }, []int{2, 5}, 6},
		{"ZipWithIndex", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.ZipWithIndex(s), func(iv source.Indexed[int]) int { return iv.Index }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"DistinctAdjacent", func(s source.Source[int]) source.Source[int] { return source.DistinctAdjacent(s).Take(3) }, []int{0, 1, 2}, 3},
		{"Tap", func(s source.Source[int]) source.Source[int] { return s.Tap(func(int) {}).Take(3) }, []int{0, 1, 2}, 3},
		{"OnDone", func(s source.Source[int]) source.Source[int] { return s.OnDone(func() {}).Take(3) }, []int{0, 1, 2}, 3},
		{"OnError", func(s source.Source[int]) source.Source[int] { return s.OnError(func(error) {}).Take(3) }, []int{0, 1, 2}, 3},
		{"Recover", func(s source.Source[int]) source.Source[int] {
			return s.Recover(func(error) (int, bool) { return 0, true }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"OrElse", func(s source.Source[int]) source.Source[int] { return s.OrElse(source.Of(9)).Take(3) }, []int{0, 1, 2}, 3},
		{"Concat", func(s source.Source[int]) source.Source[int] { return source.Concat(source.Of(-1), s).Take(3) }, []int{-1, 0, 1}, 2},
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
	// Each case runs twice: over a generator, which pushes batches, and
	// over a producer that emits one value at a time.
	upstreams := []struct {
		name string
		src  func(*atomic.Int64) source.Source[int]
	}{
		{"batches", counted},
		{"oneByOne", countedOneByOne},
	}
	for _, tt := range tests {
		for _, up := range upstreams {
			t.Run(tt.name+"/"+up.name, func(t *testing.T) {
				var calls atomic.Int64
				equal(t, collect(t, tt.build(up.src(&calls))), tt.want)
				if calls.Load() != int64(tt.calls) {
					t.Errorf("upstream produced %d values, want %d", calls.Load(), tt.calls)
				}
			})
		}
	}
}

func TestGeneratorsCallOnlyWhatIsNeeded(t *testing.T) {
	calls := 0
	src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		for i := 0; ; i++ {
			calls++
			if err := emit(i); err != nil {
				return err
			}
		}
	})
	equal(t, collect(t, source.Map(src, func(v int) int { return v }).Take(3)), []int{0, 1, 2})
	if calls != 3 {
		t.Errorf("FromFunc emitted %d values, want 3", calls)
	}
	calls = 0
	double := func(v int) int { calls++; return v * 2 }
	equal(t, collect(t, source.Iterate(1, double).Take(3)), []int{1, 2, 4})
	if calls != 2 {
		t.Errorf("Iterate called f %d times, want 2", calls)
	}
	calls = 0
	next := func(s int) (int, int, bool) { calls++; return s, s + 1, true }
	equal(t, collect(t, source.Unfold(0, next).Take(3)), []int{0, 1, 2})
	if calls != 3 {
		t.Errorf("Unfold called f %d times, want 3", calls)
	}
}

// TestRampBoundsWaste checks that consumers that stop on their own do not
// make the upstream compute a full batch.
func TestRampBoundsWaste(t *testing.T) {
	for _, taken := range []int{0, 1, 2, 5, 100, 5000} {
		var calls atomic.Int64
		got := collect(t, counted(&calls).TakeWhile(func(v int) bool { return v < taken }))
		equal(t, got, ints(taken))
		if calls.Load() > int64(2*taken+1) {
			t.Errorf("TakeWhile took %d, upstream produced %d", taken, calls.Load())
		}

		calls.Store(0)
		n := 0
		for v, err := range counted(&calls).All(context.Background()) {
			if err != nil || v >= taken {
				break
			}
			n++
		}
		if n != taken || calls.Load() > int64(2*taken+1) {
			t.Errorf("All: loop saw %d of %d, upstream produced %d", n, taken, calls.Load())
		}
	}
}
