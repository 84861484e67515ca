package source_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/source"
)

func TestAsyncBufferKeepsValues(t *testing.T) {
	in := ints(5000)
	for _, n := range []int{1, 3, 1000, 4096, 10000} {
		equal(t, collect(t, source.FromSlice(in).Buffer(n)), in)
		equal(t, collect(t, oneByOne(in[:300]...).Buffer(n)), in[:300])
	}
	equal(t, collect(t, source.Empty[int]().Buffer(4)), nil)
}

// TestAsyncBufferErrorInOrder: Buffer does not change what a run produces,
// errors included.
func TestAsyncBufferErrorInOrder(t *testing.T) {
	got, err := run(failingOneByOne(1, 2, 3).Buffer(2))
	if !errors.Is(err, errBoom) {
		t.Fatalf("err = %v, want %v", err, errBoom)
	}
	equal(t, got, []int{1, 2, 3})
}

// TestAsyncBufferRunsAhead checks, in a synctest bubble, that the upstream
// of Buffer(n) gets exactly n values ahead of a blocked downstream: one
// value taken, n buffered, one more waiting to be put.
func TestAsyncBufferRunsAhead(t *testing.T) {
	for _, n := range []int{1, 3, 10} {
		synctest.Test(t, func(t *testing.T) {
			var made atomic.Int64
			release := make(chan struct{})
			src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
				for i := 0; ; i++ {
					made.Add(1)
					if err := emit(i); err != nil {
						return err
					}
				}
			})
			done := make(chan error)
			go func() {
				done <- src.Buffer(n).Take(n+5).RunForEach(t.Context(), func(v int) error {
					if v == 0 {
						<-release
					}
					return nil
				})
			}()
			synctest.Wait()
			// The downstream took a batch of 1 to n values and waits on the
			// first, n more wait in the buffer, and one waits to be put.
			if got := made.Load(); got < int64(n+2) || got > int64(2*n+1) {
				t.Errorf("Buffer(%d): upstream made %d values ahead of a blocked downstream, want %d to %d",
					n, got, n+2, 2*n+1)
			}
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestAsyncDemand checks that a Take after an async stage makes the
// upstream produce no more than the values needed (exactly, where the
// stage has one upstream and keeps order).
func TestAsyncDemand(t *testing.T) {
	id := func(_ context.Context, v int) (int, error) { return v, nil }
	tests := []struct {
		name  string
		build func(src source.Source[int]) source.Source[int]
		want  []int // nil: any values, in any number
		most  int64 // values the upstream may produce
	}{
		{"Buffer", func(s source.Source[int]) source.Source[int] { return s.Buffer(100).Take(3) }, []int{0, 1, 2}, 3},
		{"BufferFilter", func(s source.Source[int]) source.Source[int] {
			return s.Buffer(100).Filter(func(v int) bool { return v%2 == 0 }).Take(3)
		}, []int{0, 2, 4}, 6},
		{"MapPar", func(s source.Source[int]) source.Source[int] { return source.MapPar(s, 4, id).Take(3) }, []int{0, 1, 2}, 3},
		{"MapParUnordered", func(s source.Source[int]) source.Source[int] {
			return source.MapParUnordered(s, 4, id).Take(3)
		}, []int{0, 1, 2}, 3},
		{"Zip", func(s source.Source[int]) source.Source[int] {
			return source.ZipWith(s, source.Repeat(1), func(a, b int) int { return a * b }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"Interleave", func(s source.Source[int]) source.Source[int] {
			return source.Interleave(2, s, source.Repeat(-1)).Take(5)
		}, []int{0, 1, -1, -1, 2}, 5},
		{"MapParTry", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.MapParTry(s, 4, id), func(r source.Result[int]) int { return r.Value }).Take(3)
		}, []int{0, 1, 2}, 3},
		{"MergeUntil", func(s source.Source[int]) source.Source[int] {
			return source.MergeUntil(s, waitForever[int](), source.LeftEnds).Take(3)
		}, []int{0, 1, 2}, 3},
		{"InterleaveShortest", func(s source.Source[int]) source.Source[int] {
			return source.InterleaveShortest(1, s, source.Repeat(-1)).Take(5)
		}, []int{0, -1, 1, -1, 2}, 5},
		{"Expand", func(s source.Source[int]) source.Source[int] {
			return source.Expand(s, func(v int) iter.Seq[int] { return repeatSeq(v) }).Take(3)
		}, nil, 5}, // one may wait in the stage, one in the upstream's emit
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var made atomic.Int64
			got := collect(t, tt.build(counted(&made)))
			if tt.name == "MapParUnordered" {
				slices.Sort(got)
			}
			if tt.want != nil {
				equal(t, got, tt.want)
			} else if len(got) == 0 {
				t.Error("no values")
			}
			if n := made.Load(); n > tt.most {
				t.Errorf("upstream made %d values, want at most %d", n, tt.most)
			}
		})
	}
}

// TestAsyncTakeBoundsWork: with several upstreams, a Take stops them all
// after a bounded amount of work.
func TestAsyncTakeBoundsWork(t *testing.T) {
	var a, b atomic.Int64
	got := collect(t, source.Merge(counted(&a), counted(&b)).Take(3))
	if len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	if n := a.Load() + b.Load(); n > 6 {
		t.Errorf("Merge.Take(3): sources made %d values, want at most 6", n)
	}
	var c atomic.Int64
	got = collect(t, source.FlatMapPar(counted(&c), 2, func(v int) source.Source[int] {
		return source.Of(v, v)
	}).Take(3))
	if len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	if n := c.Load(); n > 4 {
		t.Errorf("FlatMapPar(2).Take(3): outer source made %d values, want at most 4", n)
	}
}

func TestAsyncMerge(t *testing.T) {
	a, b, c := ints(3000), []int{-1, -2, -3}, []int(nil)
	got := collect(t, source.Merge(source.FromSlice(a), oneByOne(b...), source.FromSlice(c)))
	var fromA, fromB []int
	for _, v := range got {
		if v < 0 {
			fromB = append(fromB, v)
		} else {
			fromA = append(fromA, v)
		}
	}
	equal(t, fromA, a) // each source keeps its order
	equal(t, fromB, b)
	equal(t, collect(t, source.Merge[int]()), nil)
	equal(t, collect(t, source.Merge(source.Of(1, 2))), []int{1, 2})
}

// TestAsyncFailureCancelsSiblings: the first error of a concurrent stage
// ends the run at once, with sources that wait for their context.
func TestAsyncFailureCancelsSiblings(t *testing.T) {
	tests := []struct {
		name string
		src  source.Source[int]
	}{
		{"Merge", source.Merge(waitForever[int](), failingOneByOne(1), waitForever[int]())},
		{"ZipLeft", source.ZipWith(failingOneByOne(), waitForever[int](), func(a, b int) int { return a })},
		{"ZipRight", source.ZipWith(waitForever[int](), failingOneByOne(), func(a, b int) int { return a })},
		{"ZipAll", source.Map(source.ZipAll(waitForever[int](), failingOneByOne(1), 0, 0),
			func(p source.Pair[int, int]) int { return p.First })},
		{"Interleave", source.Interleave(1, waitForever[int](), failingOneByOne(1))},
		{"FlatMapPar", source.FlatMapPar(source.Of(0, 1, 2), 3, func(v int) source.Source[int] {
			if v == 1 {
				return failingOneByOne(v)
			}
			return waitForever[int]()
		})},
		{"FlatMapParOuter", source.FlatMapPar(failingOneByOne(0), 3, func(v int) source.Source[int] {
			return waitForever[int]()
		})},
		{"Conflate", failingOneByOne(1).Conflate(func(a, v int) int { return v })},
		{"Batch", source.Map(source.Batch(failingOneByOne(1), 5), func(g []int) int { return g[0] })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := run(tt.src); !errors.Is(err, errBoom) {
				t.Errorf("err = %v, want %v", err, errBoom)
			}
		})
	}
}
