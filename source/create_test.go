package source_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/corral-go/corral/source"
)

func TestCreate(t *testing.T) {
	seq := slices.Values([]int{4, 5, 6})
	tests := []struct {
		name string
		give source.Source[int]
		want []int
	}{
		{"Of", source.Of(1, 2, 3), []int{1, 2, 3}},
		{"OfNone", source.Of[int](), nil},
		{"FromSlice", source.FromSlice([]int{1, 2}), []int{1, 2}},
		{"FromSliceLong", source.FromSlice(ints(3000)), ints(3000)},
		{"Zero", source.Source[int]{}, nil},
		{"Empty", source.Empty[int](), nil},
		{"FromSeq", source.FromSeq(seq), []int{4, 5, 6}},
		{"FromSeqTwice", source.Concat(source.FromSeq(seq), source.FromSeq(seq)), []int{4, 5, 6, 4, 5, 6}},
		{"FromSeq2", source.FromSeq2(maps.All(map[int]error{7: nil})), []int{7}},
		{"Concat", source.Concat(source.Of(1), source.Empty[int](), source.Of(2, 3)), []int{1, 2, 3}},
		{"ConcatNone", source.Concat[int](), nil},
		{"RangeUp", source.Range(0, 5, 1), []int{0, 1, 2, 3, 4}},
		{"RangeStep", source.Range(1, 10, 3), []int{1, 4, 7}},
		{"RangeDown", source.Range(5, 0, -2), []int{5, 3, 1}},
		{"RangeEmpty", source.Range(5, 5, 1), nil},
		{"RangeWrongWay", source.Range(5, 10, -1), nil},
		{"RangeLong", source.Range(0, 3000, 1), ints(3000)},
		{"RangeMax", source.Range(math.MaxInt-2, math.MaxInt, 5), []int{math.MaxInt - 2}},
		{"RangeMin", source.Range(math.MinInt+1, math.MinInt, -7), []int{math.MinInt + 1}},
		{"Iterate", source.Iterate(1, func(v int) int { return v * 2 }).Take(5), []int{1, 2, 4, 8, 16}},
		{"Unfold", source.Unfold(3, func(s int) (int, int, bool) { return s * 10, s - 1, s > 0 }), []int{30, 20, 10}},
		{"UnfoldNone", source.Unfold(0, func(s int) (int, int, bool) { return 0, 0, false }), nil},
		{"Repeat", source.Repeat(7).Take(3), []int{7, 7, 7}},
		{"RepeatLong", source.Map(source.Repeat(1).Take(2500), func(v int) int { return v }), slices.Repeat([]int{1}, 2500)},
		{"FromFunc", source.FromFunc(func(ctx context.Context, emit func(int) error) error {
			for i := range 3 {
				if err := emit(i); err != nil {
					return err
				}
			}
			return nil
		}), []int{0, 1, 2}},
		{"FromFuncErrStop", source.FromFunc(func(ctx context.Context, emit func(int) error) error {
			_ = emit(1)
			return fmt.Errorf("enough: %w", source.ErrStop)
		}), []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			equal(t, collect(t, tt.give), tt.want)
			equal(t, collect(t, tt.give), tt.want) // a Source can run again
		})
	}
}

func TestRangeTypes(t *testing.T) {
	equal(t, collect(t, source.Range[uint8](250, 255, 2)), []uint8{250, 252, 254})
	equal(t, collect(t, source.Range[uint8](0, 255, 100)), []uint8{0, 100, 200})
	equal(t, collect(t, source.Range[int8](-128, 127, 127)), []int8{-128, -1, 126})
	equal(t, collect(t, source.Range[int8](127, -128, -100)), []int8{127, 27, -73})
	type id int32
	equal(t, collect(t, source.Range[id](1, 3, 1)), []id{1, 2})
}

func TestFailures(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		give source.Source[int]
		want []int
	}{
		{"Failed", source.Failed[int](errBoom), nil},
		{"ConcatStops", source.Concat(source.Of(1), source.Failed[int](errBoom), source.Of(2)), []int{1}},
		{"FromSeq2", source.FromSeq2(func(yield func(int, error) bool) {
			_ = yield(1, nil) && yield(2, errBoom) && yield(3, nil)
		}), []int{1}},
		{"FromFunc", source.FromFunc(func(ctx context.Context, emit func(int) error) error {
			_ = emit(1)
			return errBoom
		}), []int{1}},
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

func TestFromFuncStop(t *testing.T) {
	var errs []error
	src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		for i := 0; ; i++ {
			err := emit(i)
			errs = append(errs, err)
			if err != nil {
				// Ignore it once: emit keeps saying stop.
				errs = append(errs, emit(i))
				return err
			}
		}
	})
	equal(t, collect(t, src.Take(2)), []int{0, 1})
	equal(t, errs, []error{nil, source.ErrStop, source.ErrStop})
}

func TestFromFuncEmitAfterReturn(t *testing.T) {
	var saved func(int) error
	src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		saved = emit
		return nil
	})
	equal(t, collect(t, src), nil)
	v := mustPanic(t, func() { _ = saved(1) })
	if v != "source: FromFunc's emit called after f returned; call emit only from f, before it returns" {
		t.Errorf("panic %v", v)
	}
}

// TestFromFuncCancel: once the run is cancelled, emit returns the
// context's error within 64 calls.
func TestFromFuncCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		for i := 0; ; i++ {
			if i == 5 {
				cancel()
			}
			if err := emit(i); err != nil {
				return err
			}
		}
	})
	got, err := src.RunToSlice(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// emit checks ctx every 64 calls: it returns ctx.Err() within 64 calls
	// of the cancellation.
	equal(t, got, ints(len(got)))
	if len(got) < 5 || len(got) > 5+64 {
		t.Errorf("%d values went through, want 5 to 69", len(got))
	}
}

func TestSourcesNoticeCancellation(t *testing.T) {
	infinite := map[string]source.Source[int]{
		"Repeat":     source.Repeat(1),
		"RepeatFunc": source.RepeatFunc(func() int { return 1 }),
		"Iterate":    source.Iterate(0, func(v int) int { return v + 1 }),
		"Unfold":     source.Unfold(0, func(s int) (int, int, bool) { return s, s + 1, true }),
		"Range":      source.Range(0, math.MaxInt, 1),
		"FromSeq": source.FromSeq(func(yield func(int) bool) {
			for yield(1) {
			}
		}),
		"FromSeq2": source.FromSeq2(func(yield func(int, error) bool) {
			for yield(1, nil) {
			}
		}),
	}
	for name, src := range infinite {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			n := 0
			err := src.RunForEach(ctx, func(int) error {
				if n++; n == 3000 {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		})
	}
}
