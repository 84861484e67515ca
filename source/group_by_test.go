package source_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/source"
)

// keyed is a value of a group of GroupBy's tests.
type keyed struct {
	Key   string
	Value int
}

func TestGroupBy(t *testing.T) {
	// Sums per key, with room for every group.
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	mod := func(v int) int { return v % 7 }
	sums := source.GroupBy(source.FromSlice(in), 10, mod, func(k int, g source.Source[int]) source.Source[keyed] {
		total := source.Scan(g, 0, func(a, v int) int { return a + v }).TakeLast(1)
		return source.Map(total, func(s int) keyed { return keyed{fmt.Sprint(k), s} })
	})
	got := map[string]int{}
	for _, kv := range collect(t, sums) {
		if _, dup := got[kv.Key]; dup {
			t.Errorf("two results for key %s", kv.Key)
		}
		got[kv.Key] = kv.Value
	}
	want := map[string]int{}
	for _, v := range in {
		want[fmt.Sprint(mod(v))] += v
	}
	if !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}

	// The values of each group keep their order.
	all := collect(t, source.GroupBy(source.FromSlice(in), 3, mod, func(k int, g source.Source[int]) source.Source[int] { return g }))
	if len(all) != len(in) {
		t.Fatalf("got %d values, want %d", len(all), len(in))
	}
	for k := range 7 {
		var seq []int
		for _, v := range all {
			if mod(v) == k {
				seq = append(seq, v)
			}
		}
		if !slices.IsSorted(seq) {
			t.Errorf("group %d out of order: %v", k, seq)
		}
	}
}

// TestGroupByLimit: past the limit, the group that received a value least
// recently ends, and finishes before the new one starts; a later value of
// its key starts a new group.
func TestGroupByLimit(t *testing.T) {
	letters := source.Of("a1", "a2", "b1", "a3", "c1", "b2", "b3")
	key := func(s string) byte { return s[0] }
	var live, most atomic.Int32
	count := func(k byte, g source.Source[string]) source.Source[string] {
		if n := live.Add(1); n > most.Load() {
			most.Store(n)
		}
		n := source.Scan(g, 0, func(n int, _ string) int { return n + 1 }).TakeLast(1)
		return source.Map(n, func(n int) string { return fmt.Sprintf("%c:%d", k, n) }).OnComplete(func(error) { live.Add(-1) })
	}
	// Limit 2: c evicts b (a's last value came after b's), then b evicts a.
	got := collect(t, source.GroupBy(letters, 2, key, count))
	slices.Sort(got)
	equal(t, got, []string{"a:3", "b:1", "b:2", "c:1"})
	if most.Load() > 2 {
		t.Errorf("%d groups ran at once, limit 2", most.Load())
	}

	// Limit 1: each group finishes before the next starts, so the order
	// is set.
	most.Store(0)
	equal(t, collect(t, source.GroupBy(letters, 1, key, count)), []string{"a:2", "b:1", "a:1", "c:1", "b:2"})
	if most.Load() != 1 {
		t.Errorf("%d groups ran at once, limit 1", most.Load())
	}
}

// TestGroupByEarlyStop: a sub-pipeline that stops taking values has its
// group's later values dropped; one that ignores its group too.
func TestGroupByEarlyStop(t *testing.T) {
	mod := func(v int) int { return v % 3 }
	first := collect(t, source.GroupBy(source.FromSlice(ints(3000)), 3, mod, func(_ int, g source.Source[int]) source.Source[int] {
		return g.Take(1)
	}))
	slices.Sort(first)
	equal(t, first, []int{0, 1, 2})

	ignored := collect(t, source.GroupBy(source.FromSlice(ints(3000)), 3, mod, func(k int, _ source.Source[int]) source.Source[int] {
		return source.Of(k)
	}))
	slices.Sort(ignored)
	equal(t, ignored, []int{0, 1, 2})

	// A Take after GroupBy stops everything.
	var calls atomic.Int64
	got := collect(t, source.GroupBy(counted(&calls), 2, mod, func(_ int, g source.Source[int]) source.Source[int] { return g }).Take(5))
	if len(got) != 5 {
		t.Errorf("got %v, want 5 values", got)
	}
}

func TestGroupByErrors(t *testing.T) {
	mod := func(v int) int { return v % 3 }
	id := func(_ int, g source.Source[int]) source.Source[int] { return g }
	if _, err := run(source.GroupBy(failing(1, 2, 3), 2, mod, id)); err != errBoom {
		t.Errorf("upstream failure: err = %v, want errBoom", err)
	}
	_, err := run(source.GroupBy(source.FromSlice(ints(100)), 2, mod, func(k int, g source.Source[int]) source.Source[int] {
		return source.MapErr(g, func(v int) (int, error) {
			if v == 50 {
				return 0, errBoom
			}
			return v, nil
		})
	}))
	if !errors.Is(err, errBoom) {
		t.Errorf("sub-pipeline failure: err = %v, want errBoom", err)
	}
	pe := panicError(t, func() {
		_, _ = run(source.GroupBy(source.Of(1, 2), 2, func(int) int { panic("boom") }, id))
	})
	if pe.Value != "boom" {
		t.Errorf("panic %v, want boom", pe.Value)
	}
	pe = panicError(t, func() {
		_, _ = run(source.GroupBy(source.Of(1, 2), 2, mod, func(int, source.Source[int]) source.Source[int] { panic("boom") }))
	})
	if pe.Value != "boom" {
		t.Errorf("panic %v, want boom", pe.Value)
	}
}
