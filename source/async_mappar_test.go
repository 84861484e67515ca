package source_test

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/source"
)

func TestMapParOrder(t *testing.T) {
	in := ints(10000)
	want := make([]int, len(in))
	for i, v := range in {
		want[i] = 2 * v
	}
	f := func(_ context.Context, v int) (int, error) {
		if v%7 == 0 {
			runtime.Gosched() // uneven costs, so that pieces finish out of order
		}
		return 2 * v, nil
	}
	for _, n := range []int{1, 2, 4, 16} {
		equal(t, collect(t, source.MapPar(source.FromSlice(in), n, f)), want)
		equal(t, collect(t, source.MapPar(oneByOne(in[:500]...), n, f)), want[:500])
		got := collect(t, source.MapParUnordered(source.FromSlice(in), n, f))
		slices.Sort(got)
		equal(t, got, want)
	}
	equal(t, collect(t, source.MapPar(source.Empty[int](), 3, f)), nil)
	equal(t, collect(t, source.MapParUnordered(source.Empty[int](), 3, f)), nil)
}

// TestMapParLimit checks in a synctest bubble that MapPar runs exactly n
// calls of f at once while they wait, and never more.
func TestMapParLimit(t *testing.T) {
	for _, ordered := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			const n = 3
			var running, most atomic.Int32
			release := make(chan struct{})
			f := func(_ context.Context, v int) (int, error) {
				cur := running.Add(1)
				defer running.Add(-1)
				for m := most.Load(); cur > m && !most.CompareAndSwap(m, cur); m = most.Load() {
				}
				<-release
				return v, nil
			}
			mapPar := source.MapPar[int, int]
			if !ordered {
				mapPar = source.MapParUnordered[int, int]
			}
			done := make(chan []int)
			go func() {
				got, err := run(mapPar(source.FromSlice(ints(20)), n, f))
				if err != nil {
					t.Error(err)
				}
				done <- got
			}()
			synctest.Wait()
			if got := running.Load(); got != n {
				t.Errorf("%d calls running while they wait, want %d", got, n)
			}
			close(release)
			got := <-done
			if !ordered {
				slices.Sort(got)
			}
			equal(t, got, ints(20))
			if m := most.Load(); m != n {
				t.Errorf("at most %d calls ran at once, want %d", m, n)
			}
		})
	}
}

// TestMapParFailure: the first error of f cancels the calls in progress
// and is returned.
func TestMapParFailure(t *testing.T) {
	for _, mapPar := range []func(source.Source[int], int, func(context.Context, int) (int, error)) source.Source[int]{
		source.MapPar[int, int], source.MapParUnordered[int, int],
	} {
		var cancelled atomic.Int32
		started := make(chan struct{}, 3)
		f := func(ctx context.Context, v int) (int, error) {
			if v == 3 {
				for range 3 {
					<-started // the other calls run
				}
				return 0, errBoom
			}
			started <- struct{}{}
			<-ctx.Done()
			cancelled.Add(1)
			return 0, ctx.Err()
		}
		_, err := run(mapPar(source.Of(0, 1, 2, 3, 4, 5), 4, f))
		if !errors.Is(err, errBoom) {
			t.Errorf("err = %v, want %v", err, errBoom)
		}
		if n := cancelled.Load(); n != 3 {
			t.Errorf("%d calls saw their context cancelled, want 3", n)
		}
	}
}

// TestMapParUnorderedDoesNotWait: a slow value holds back nothing but
// itself.
func TestMapParUnorderedDoesNotWait(t *testing.T) {
	release := make(chan struct{})
	f := func(_ context.Context, v int) (int, error) {
		if v == 0 {
			<-release
		}
		return v, nil
	}
	var got []int
	err := source.MapParUnordered(source.FromSlice(ints(10)), 2, f).RunForEach(context.Background(), func(v int) error {
		if got = append(got, v); len(got) == 9 {
			close(release)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, got, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 0})
}

func TestFlatMapPar(t *testing.T) {
	got := collect(t, source.FlatMapPar(source.FromSlice(ints(100)), 4, func(v int) source.Source[int] {
		return oneByOne(v*1000, v*1000+1, v*1000+2)
	}))
	if len(got) != 300 {
		t.Fatalf("got %d values, want 300", len(got))
	}
	next := map[int]int{} // each inner source keeps its order
	for _, v := range got {
		if v%1000 != next[v/1000] {
			t.Fatalf("value %d out of order in %v", v, got)
		}
		next[v/1000]++
	}
	equal(t, collect(t, source.FlatMapPar(source.Of(1, 2), 1, func(int) source.Source[int] {
		return source.Empty[int]()
	})), nil)
}

// TestFlatMapParLimit checks in a synctest bubble that no more than n
// inner sources run at once.
func TestFlatMapParLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 2
		var running atomic.Int32
		release := make(chan struct{})
		inner := func(v int) source.Source[int] {
			return source.FromFunc(func(ctx context.Context, emit func(int) error) error {
				if running.Add(1) > n {
					t.Errorf("more than %d inner sources run at once", n)
				}
				defer running.Add(-1)
				<-release
				return emit(v)
			})
		}
		done := make(chan []int)
		go func() {
			got, err := run(source.FlatMapPar(source.FromSlice(ints(7)), n, inner))
			if err != nil {
				t.Error(err)
			}
			done <- got
		}()
		synctest.Wait()
		if got := running.Load(); got != n {
			t.Errorf("%d inner sources run while they wait, want %d", got, n)
		}
		close(release)
		got := <-done
		slices.Sort(got)
		equal(t, got, ints(7))
	})
}
