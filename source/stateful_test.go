package source_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/source"
)

func TestTakeLast(t *testing.T) {
	equal(t, collect(t, source.FromSlice(ints(5000)).TakeLast(3)), []int{4997, 4998, 4999})
	equal(t, collect(t, source.Of(1, 2).TakeLast(5)), []int{1, 2})
	equal(t, collect(t, source.Of(1, 2).TakeLast(0)), nil)
	equal(t, collect(t, oneByOne(1, 2, 3, 4, 5).TakeLast(2)), []int{4, 5})
	equal(t, collect(t, source.FromSlice(ints(3000)).TakeLast(2500).Take(2)), []int{500, 501})
	got, err := run(failing(1, 2, 3).TakeLast(2))
	if err != errBoom || len(got) != 0 {
		t.Errorf("got %v, %v; want nothing and errBoom", got, err)
	}
}

func TestMapStateful(t *testing.T) {
	count := func(n, v int) (int, int) { return n + 1, v * 10 }
	final := func(n int) (int, bool) { return n, true }
	src := source.MapStateful(source.Of(1, 2, 3), func() int { return 0 }, count, final)
	equal(t, collect(t, src), []int{10, 20, 30, 3})
	equal(t, collect(t, src), []int{10, 20, 30, 3}) // a fresh state per run

	// final is not called when the downstream stopped early, nor on failure.
	called := false
	once := func(n int) (int, bool) { called = true; return n, true }
	equal(t, collect(t, source.MapStateful(source.Of(1, 2, 3), func() int { return 0 }, count, once).Take(2)), []int{10, 20})
	got, err := run(source.MapStateful(failing(1), func() int { return 0 }, count, once))
	if called || err != errBoom {
		t.Errorf("final called: %v; got %v, %v", called, got, err)
	}
	// No final.
	equal(t, collect(t, source.MapStateful(source.Of(1, 2), func() int { return 0 }, count, nil)), []int{10, 20})

	// A parser that keeps a partial record: the last one comes from final.
	lines := source.Of("a", "b", "", "c", "d")
	records := source.FilterMap(source.MapStateful(lines, func() []string { return nil },
		func(rec []string, line string) ([]string, string) {
			if line == "" {
				return nil, strings.Join(rec, "+")
			}
			return append(rec, line), ""
		},
		func(rec []string) (string, bool) { return strings.Join(rec, "+"), len(rec) > 0 },
	), func(s string) (string, bool) { return s, s != "" })
	equal(t, collect(t, records), []string{"a+b", "c+d"})
}

func TestTakeWhileInclusive(t *testing.T) {
	small := func(v int) bool { return v < 3 }
	equal(t, collect(t, source.FromSlice(ints(10)).TakeWhileInclusive(small)), []int{0, 1, 2, 3})
	equal(t, collect(t, source.Of(1, 2).TakeWhileInclusive(small)), []int{1, 2})
	equal(t, collect(t, source.Of(5, 1).TakeWhileInclusive(small)), []int{5})

	var calls atomic.Int64
	equal(t, collect(t, counted(&calls).TakeWhileInclusive(small)), []int{0, 1, 2, 3})
	if calls.Load() > 2*4+1 {
		t.Errorf("upstream produced %d values for 4", calls.Load())
	}
}

func TestDistinctAdjacentBy(t *testing.T) {
	got := collect(t, source.DistinctAdjacentBy(source.Of("a", "A", "b", "B", "a"), strings.ToLower))
	equal(t, got, []string{"a", "b", "a"})
}

func TestSplit(t *testing.T) {
	third := func(v int) bool { return v%3 == 0 }
	groups := collect(t, source.Split(source.FromSlice(ints(8)), third))
	if !slices.EqualFunc(groups, [][]int{{}, {1, 2}, {4, 5}, {7}}, slices.Equal) || groups[0] == nil {
		t.Errorf("Split = %v, want [[] [1 2] [4 5] [7]]", groups)
	}
	groups = collect(t, source.Split(source.Of(1, 3), third))
	if !slices.EqualFunc(groups, [][]int{{1}}, slices.Equal) {
		t.Errorf("Split = %v, want [[1]]", groups)
	}

	groups = collect(t, source.SplitOn(source.Of(1, 2, 0, 0, 3, 4, 0, 0, 5), []int{0, 0}))
	if !slices.EqualFunc(groups, [][]int{{1, 2}, {3, 4}, {5}}, slices.Equal) {
		t.Errorf("SplitOn = %v, want [[1 2] [3 4] [5]]", groups)
	}
	groups = collect(t, source.SplitOn(source.Of(0, 0, 0, 1), []int{0, 0}))
	if !slices.EqualFunc(groups, [][]int{{}, {0, 1}}, slices.Equal) {
		t.Errorf("SplitOn = %v, want [[] [0 1]]", groups)
	}
	groups = collect(t, source.SplitOn(source.Of(1, 2), nil))
	if !slices.EqualFunc(groups, [][]int{{1, 2}}, slices.Equal) {
		t.Errorf("SplitOn with no delimiter = %v, want [[1 2]]", groups)
	}
	if _, err := run(source.Split(failing(1, 0, 2), third)); err != errBoom {
		t.Errorf("err = %v, want errBoom", err)
	}
}

func TestMergeUntil(t *testing.T) {
	sorted := func(vs []int) []int { slices.Sort(vs); return vs }
	forever := source.Repeat(-1)
	// LeftEnds: every value of left, then the end, whatever right does.
	got := collect(t, source.MergeUntil(source.FromSlice(ints(3000)), forever, source.LeftEnds).Filter(func(v int) bool { return v >= 0 }))
	equal(t, got, ints(3000))
	got = collect(t, source.MergeUntil(forever, oneByOne(1, 2, 3), source.RightEnds).Filter(func(v int) bool { return v >= 0 }))
	equal(t, got, []int{1, 2, 3})
	got = collect(t, source.MergeUntil(source.Of(1, 2), waitForever[int](), source.EitherEnds))
	equal(t, got, []int{1, 2})
	got = collect(t, source.MergeUntil(source.Of(1, 2), source.Of(3), source.BothEnd))
	equal(t, sorted(got), []int{1, 2, 3})

	// Neither side starves the other.
	n := 0
	for v, err := range source.MergeUntil(forever, source.Repeat(1), source.BothEnd).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if v == 1 {
			break
		}
		if n++; n > 100_000 {
			t.Fatal("the right source starves")
		}
	}

	_, err := run(source.MergeUntil(forever, failing(1), source.LeftEnds))
	if err != errBoom {
		t.Errorf("err = %v, want errBoom", err)
	}
	if s := source.MergeEnd(9).String(); s != "MergeEnd(9)" || source.LeftEnds.String() != "LeftEnds" {
		t.Errorf("String: %q, %q", s, source.LeftEnds.String())
	}
}

func TestInterleaveShortest(t *testing.T) {
	got := collect(t, source.InterleaveShortest(2, source.Of(1, 2, 3, 4, 5), source.Of(10, 20, 30, 40)))
	equal(t, got, []int{1, 2, 10, 20, 3, 4, 30, 40, 5})
	got = collect(t, source.InterleaveShortest(1, source.Of(1, 2, 3), source.Of(10)))
	equal(t, got, []int{1, 10, 2})
	equal(t, collect(t, source.InterleaveShortest[int](3)), nil)
	// The long one never ends; the short one ends the stream.
	got = collect(t, source.InterleaveShortest(2, source.Repeat(0), source.Of(1, 2, 3)))
	equal(t, got, []int{0, 0, 1, 2, 0, 0, 3})
}

// repeatSeq is a sequence that repeats v forever.
func repeatSeq(v int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for yield(v) {
		}
	}
}

func TestExpand(t *testing.T) {
	// A producer that waits: the downstream gets the latest value as often
	// as it asks.
	next := make(chan int)
	slow := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		for v := range next {
			if err := emit(v); err != nil {
				return err
			}
		}
		return nil
	})
	go func() {
		next <- 1
		next <- 2 // once the downstream has started on 1
		close(next)
	}()
	seen2 := 0
	got := collect(t, source.Expand(slow, repeatSeq).TakeWhile(func(v int) bool {
		if v == 2 {
			seen2++
		}
		return seen2 < 5
	}))
	if len(got) < 5 || got[0] != 1 || got[len(got)-1] != 2 || !slices.IsSorted(got) {
		t.Errorf("got %v: want 1s, then 2s", got)
	}

	// Each value's sequence starts with it; the last one plays to its end.
	pair := func(v int) iter.Seq[int] { return slices.Values([]int{v + 1, -v - 1}) }
	for range 20 {
		got = collect(t, source.Expand(source.FromSlice(ints(100)), pair))
		var firsts []int
		for _, v := range got {
			if v > 0 {
				firsts = append(firsts, v-1)
			}
		}
		if !slices.Equal(firsts, ints(100)) {
			t.Fatalf("the first values of the sequences are %v", firsts)
		}
		if got[len(got)-1] != -100 {
			t.Fatalf("the last sequence was not played to its end: %v", got[len(got)-3:])
		}
	}

	// Extrapolate: every value, then its extrapolation.
	got = collect(t, source.Extrapolate(source.Of(7), func(v int) iter.Seq[int] { return repeatSeq(v + 1) }).Take(4))
	equal(t, got, []int{7, 8, 8, 8})
	got = collect(t, source.Concat(source.Of(0), source.Extrapolate(source.Of(7), func(v int) iter.Seq[int] {
		return slices.Values([]int{})
	})))
	equal(t, got, []int{0, 7})

	if _, err := run(source.Expand(failing(1), pair)); err != errBoom {
		t.Errorf("err = %v, want errBoom", err)
	}

	// A Take after Expand: the upstream is asked for one value at a time;
	// besides those taken, one may wait in the stage and one in the
	// upstream's emit.
	var calls atomic.Int64
	got = collect(t, source.Expand(counted(&calls), repeatSeq).Take(3))
	if len(got) != 3 || !slices.IsSorted(got) || calls.Load() > 5 {
		t.Errorf("got %v, upstream produced %d values for Take(3)", got, calls.Load())
	}
}

func TestRunSendTo(t *testing.T) {
	ctx := context.Background()
	c := channel.New[int](channel.Unlimited)
	if err := source.Of(1, 2).RunSendTo(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := source.Of(3).RunSendTo(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := failing(4).RunSendTo(ctx, c); err != errBoom {
		t.Errorf("err = %v, want errBoom", err)
	}
	if c.Err() != nil {
		t.Fatalf("RunSendTo ended the channel: %v", c.Err())
	}
	_ = c.Close()
	equal(t, drainChan(t, c, nil), []int{1, 2, 3, 4})

	// A channel closed by another goroutine fails the run.
	err := source.Of(1).RunSendTo(ctx, c)
	if !errors.Is(err, channel.ErrClosed) {
		t.Errorf("err = %v, want channel.ErrClosed", err)
	}

	// A send that waits ends with the run's context; the channel stays open.
	synctest.Test(t, func(t *testing.T) {
		full := channel.New[int](1)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- source.Repeat(1).RunSendTo(ctx, full) }()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) || full.Err() != nil {
			t.Errorf("err = %v, channel %v; want context.Canceled, open", err, full.Err())
		}
	})

	gc := make(chan int, 3)
	if err := source.Of(1, 2, 3).RunSendToGoChan(ctx, gc); err != nil {
		t.Fatal(err)
	}
	close(gc)
	var got []int
	for v := range gc {
		got = append(got, v)
	}
	equal(t, got, []int{1, 2, 3})
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := source.Repeat(1).RunSendToGoChan(cctx, make(chan int)); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
