package source_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/corral-go/corral/source"
)

func TestFused(t *testing.T) {
	src := source.Of(1, 2, 3, 4, 5, 6, 7)
	isEven := func(v int) bool { return v%2 == 0 }
	tests := []struct {
		name string
		give source.Source[int]
		want []int
	}{
		{"Map", source.Map(src, func(v int) int { return v * 10 }), []int{10, 20, 30, 40, 50, 60, 70}},
		{"MapErr", source.MapErr(src, func(v int) (int, error) { return -v, nil }), []int{-1, -2, -3, -4, -5, -6, -7}},
		{"Filter", src.Filter(isEven), []int{2, 4, 6}},
		{"FilterNone", src.Filter(func(int) bool { return false }), nil},
		{"FilterMap", source.FilterMap(src, func(v int) (int, bool) { return v * v, v > 5 }), []int{36, 49}},
		{"FlatMap", source.FlatMap(source.Of(1, 2, 3), func(v int) source.Source[int] { return source.Repeat(v).Take(v) }), []int{1, 2, 2, 3, 3, 3}},
		{"FlatMapEmpty", source.FlatMap(src, func(int) source.Source[int] { return source.Empty[int]() }), nil},
		{"MapConcat", source.MapConcat(source.Of(1, 0, 2), func(v int) []int { return ints(v) }), []int{0, 0, 1}},
		{"MapConcatLong", source.MapConcat(source.Of(1500, 600), ints), append(ints(1500), ints(600)...)},
		{"Take", src.Take(3), []int{1, 2, 3}},
		{"Take0", src.Take(0), nil},
		{"TakeMore", src.Take(100), []int{1, 2, 3, 4, 5, 6, 7}},
		{"TakeTake", src.Take(5).Take(2), []int{1, 2}},
		{"TakeWhile", src.TakeWhile(func(v int) bool { return v < 4 }), []int{1, 2, 3}},
		{"TakeWhileNone", src.TakeWhile(isEven), nil},
		{"TakeWhileAll", src.TakeWhile(func(int) bool { return true }), []int{1, 2, 3, 4, 5, 6, 7}},
		{"Drop", src.Drop(5), []int{6, 7}},
		{"Drop0", src.Drop(0), []int{1, 2, 3, 4, 5, 6, 7}},
		{"DropAll", src.Drop(10), nil},
		{"DropTake", src.Drop(2).Take(2), []int{3, 4}},
		{"DropWhile", src.DropWhile(func(v int) bool { return v < 6 }), []int{6, 7}},
		{"DropWhileOnce", source.Of(1, 5, 1).DropWhile(func(v int) bool { return v < 3 }), []int{5, 1}},
		{"Scan", source.Scan(src, 0, func(a, v int) int { return a + v }), []int{1, 3, 6, 10, 15, 21, 28}},
		{"ScanEmpty", source.Scan(source.Empty[int](), 9, func(a, v int) int { return a + v }), nil},
		{"Intersperse", source.Of(1, 2, 3).Intersperse(0), []int{1, 0, 2, 0, 3}},
		{"IntersperseOne", source.Of(1).Intersperse(0), []int{1}},
		{"IntersperseTake", src.Intersperse(0).Take(4), []int{1, 0, 2, 0}},
		{"Tap", src.Tap(func(int) {}).Take(2), []int{1, 2}},
		{"DistinctAdjacent", source.DistinctAdjacent(source.Of(1, 1, 2, 2, 2, 1, 3, 3)), []int{1, 2, 1, 3}},
		{"Sample", src.Sample(2), []int{2, 4, 6}},
		{"Sample1", src.Sample(1), []int{1, 2, 3, 4, 5, 6, 7}},
		{"SampleTake", src.Sample(3).Take(1), []int{3}},
		{"OrElseEmpty", source.Empty[int]().OrElse(source.Of(9)), []int{9}},
		{"OrElseNot", source.Of(1).OrElse(source.Of(9)), []int{1}},
		{"RecoverNoError", src.Take(2).Recover(func(error) (int, bool) { return -1, true }), []int{1, 2}},
		{"Recover", failing(1, 2).Recover(func(err error) (int, bool) { return -1, errors.Is(err, errBoom) }), []int{1, 2, -1}},
		{"RecoverTake", failing(1, 2).Recover(func(error) (int, bool) { return -1, true }).Take(2), []int{1, 2}},
		{"OnDone", src.OnDone(func() {}), []int{1, 2, 3, 4, 5, 6, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			equal(t, collect(t, tt.give), tt.want)
		})
	}
}

func TestFusedTypes(t *testing.T) {
	equal(t, collect(t, source.Map(source.Of(1, 2), strconv.Itoa)), []string{"1", "2"})
	equal(t, collect(t, source.ZipWithIndex(source.Of("a", "b"))), []source.Indexed[string]{{0, "a"}, {1, "b"}})
	equal(t, collect(t, source.ZipWithIndex(source.Of("a", "b", "c")).Drop(1)), []source.Indexed[string]{{1, "b"}, {2, "c"}})
	equal(t, collect(t, source.Scan(source.Of("a", "b"), "", func(a, v string) string { return a + v })), []string{"a", "ab"})
	equal(t, collect(t, source.MapConcat(source.Of("a b", "", "c"), strings.Fields)), []string{"a", "b", "c"})
}

func TestGroupedSliding(t *testing.T) {
	tests := []struct {
		name string
		give source.Source[[]int]
		want [][]int
	}{
		{"Grouped", source.Grouped(source.Of(1, 2, 3, 4, 5), 2), [][]int{{1, 2}, {3, 4}, {5}}},
		{"GroupedExact", source.Grouped(source.Of(1, 2, 3, 4), 2), [][]int{{1, 2}, {3, 4}}},
		{"GroupedEmpty", source.Grouped(source.Empty[int](), 2), nil},
		{"GroupedBig", source.Grouped(source.Of(1, 2), 5), [][]int{{1, 2}}},
		{"GroupedTake", source.Grouped(source.Of(1, 2, 3, 4, 5), 2).Take(1), [][]int{{1, 2}}},
		{"Grouped1", source.Grouped(source.Of(1, 2), 1), [][]int{{1}, {2}}},
		{"Sliding", source.Sliding(source.Of(1, 2, 3, 4), 3, 1), [][]int{{1, 2, 3}, {2, 3, 4}}},
		{"SlidingStep", source.Sliding(source.Of(1, 2, 3, 4), 3, 2), [][]int{{1, 2, 3}, {3, 4}}},
		{"SlidingStepExact", source.Sliding(source.Of(1, 2, 3, 4, 5), 3, 2), [][]int{{1, 2, 3}, {3, 4, 5}}},
		{"SlidingStepTail", source.Sliding(source.Of(1, 2, 3, 4, 5, 6), 3, 2), [][]int{{1, 2, 3}, {3, 4, 5}, {5, 6}}},
		{"SlidingShort", source.Sliding(source.Of(1, 2), 3, 1), [][]int{{1, 2}}},
		{"SlidingNoTail", source.Sliding(source.Of(1, 2, 3, 4, 5), 3, 1), [][]int{{1, 2, 3}, {2, 3, 4}, {3, 4, 5}}},
		{"SlidingSkip", source.Sliding(source.Of(1, 2, 3, 4, 5, 6, 7), 2, 3), [][]int{{1, 2}, {4, 5}, {7}}},
		{"SlidingSkipNoTail", source.Sliding(source.Of(1, 2, 3, 4, 5, 6), 2, 3), [][]int{{1, 2}, {4, 5}}},
		{"SlidingEmpty", source.Sliding(source.Empty[int](), 2, 1), nil},
		{"SlidingTake", source.Sliding(source.Of(1, 2, 3, 4), 2, 1).Take(2), [][]int{{1, 2}, {2, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(t, tt.give)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				equal(t, got[i], tt.want[i])
			}
		})
	}
}

func TestGroupsAreFresh(t *testing.T) {
	for name, src := range map[string]source.Source[[]int]{
		"Grouped": source.Grouped(source.Range(0, 3000, 1), 3),
		"Sliding": source.Sliding(source.Range(0, 3000, 1), 3, 1),
	} {
		t.Run(name, func(t *testing.T) {
			got := collect(t, src)
			for i, g := range got {
				if g[0] != g[1]-1 || g[1] != g[2]-1 {
					t.Fatalf("group %d = %v", i, g)
				}
				g[0] = -1 // the groups are the caller's
			}
		})
	}
}

func TestStageErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		give source.Source[int]
		want []int
	}{
		{"MapErr", source.MapErr(source.Of(1, 2, 3), func(v int) (int, error) {
			if v == 3 {
				return 0, errBoom
			}
			return v, nil
		}), []int{1, 2}},
		{"MapErrFirst", source.MapErr(source.Of(1, 2), func(v int) (int, error) { return 0, errBoom }), nil},
		{"Map", source.Map(failing(1, 2), func(v int) int { return v * 2 }), []int{2, 4}},
		{"Filter", failing(1, 2).Filter(func(int) bool { return true }), []int{1, 2}},
		{"Take", failing(1, 2).Take(5), []int{1, 2}},
		{"Drop", failing(1, 2).Drop(1), []int{2}},
		{"FlatMapInner", source.FlatMap(source.Of(1, 2), func(v int) source.Source[int] { return failing(v) }), []int{1}},
		{"FlatMapOuter", source.FlatMap(failing(1), func(v int) source.Source[int] { return source.Of(v) }), []int{1}},
		{"Grouped", source.Map(source.Grouped(failing(1, 2, 3), 2), func(g []int) int { return len(g) }), []int{2}},
		{"Sliding", source.Map(source.Sliding(failing(1), 2, 1), func(g []int) int { return len(g) }), nil},
		{"OrElse", failing().OrElse(source.Of(9)), nil},
		{"RecoverDeclines", failing(1).Recover(func(error) (int, bool) { return 0, false }), []int{1}},
		{"OnDone", failing(1).OnDone(func() { panic("called") }), []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.give.RunToSlice(ctx)
			if !errors.Is(err, errBoom) {
				t.Errorf("err = %v, want %v", err, errBoom)
			}
			equal(t, got, tt.want)
		})
	}
}

func TestOnDoneOnError(t *testing.T) {
	var trail []string
	note := func(s string) func() { return func() { trail = append(trail, s) } }
	noteErr := func(err error) {
		if errors.Is(err, errBoom) {
			trail = append(trail, "error boom")
		} else {
			trail = append(trail, fmt.Sprintf("error %T", err))
		}
	}
	run := func(src source.Source[int]) {
		_ = src.RunForEach(context.Background(), func(v int) error {
			trail = append(trail, strconv.Itoa(v))
			return nil
		})
		trail = append(trail, "|")
	}
	run(source.Of(1, 2).OnDone(note("done")).OnError(noteErr))
	run(failing(1).OnDone(note("done")).OnError(noteErr))
	run(source.Of(1, 2, 3).OnDone(note("done")).Take(2))                                                 // stopped early
	run(source.Of(1, 2, 3).OnDone(note("done")).Take(4))                                                 // ran out
	run(source.MapErr(source.Of(1, 2).OnError(noteErr), func(v int) (int, error) { return v, errBoom })) // a failure further down
	want := "1 2 done | 1 error boom | 1 2 | 1 2 3 done | |"
	if got := strings.Join(trail, " "); got != want {
		t.Errorf("trail = %q, want %q", got, want)
	}
}

func TestRecoverIgnoresCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	src := source.Repeat(1).Recover(func(error) (int, bool) { called = true; return 0, true })
	if err := src.RunDrain(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if called {
		t.Error("Recover handled a cancellation")
	}
}
