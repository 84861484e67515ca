package source_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/source"
)

func TestRunForEach(t *testing.T) {
	ctx := context.Background()
	var got []int
	err := source.Range(0, 2000, 1).RunForEach(ctx, func(v int) error {
		got = append(got, v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, got, ints(2000))

	got = nil
	var calls atomic.Int64
	err = counted(&calls).RunForEach(ctx, func(v int) error {
		if v == 2 {
			return errBoom
		}
		got = append(got, v)
		return nil
	})
	if err != errBoom {
		t.Errorf("err = %v, want %v", err, errBoom)
	}
	equal(t, got, []int{0, 1})

	if err := failing(1).RunForEach(ctx, func(int) error { return nil }); err != errBoom {
		t.Errorf("err = %v, want %v", err, errBoom)
	}
}

func TestRunToSliceFailure(t *testing.T) {
	got, err := failing(1, 2).RunToSlice(context.Background())
	if err != errBoom {
		t.Errorf("err = %v, want %v", err, errBoom)
	}
	equal(t, got, []int{1, 2})
}

func TestReductions(t *testing.T) {
	ctx := context.Background()
	add := func(a, v int) int { return a + v }

	sum, err := source.RunFold(ctx, source.Range(1, 101, 1), 0, add)
	if sum != 5050 || err != nil {
		t.Errorf("RunFold = %d, %v; want 5050, nil", sum, err)
	}
	s, err := source.RunFold(ctx, source.Of("a", "b"), ">", func(a, v string) string { return a + v })
	if s != ">ab" || err != nil {
		t.Errorf("RunFold = %q, %v; want \">ab\", nil", s, err)
	}
	sum, err = source.RunFold(ctx, failing(1, 2), 0, add)
	if sum != 3 || err != errBoom {
		t.Errorf("RunFold = %d, %v; want 3, %v", sum, err, errBoom)
	}

	tests := []struct {
		name    string
		run     func(source.Source[int]) (int, error)
		give    source.Source[int]
		want    int
		wantErr error
	}{
		{"Reduce", reduce, source.Range(1, 2001, 1), 2001000, nil},
		{"ReduceOne", reduce, source.Of(7), 7, nil},
		{"ReduceEmpty", reduce, source.Empty[int](), 0, source.ErrEmpty},
		{"ReduceFails", reduce, failing(1), 0, errBoom},
		{"Last", last, source.Range(0, 3000, 1), 2999, nil},
		{"LastEmpty", last, source.Empty[int](), 0, source.ErrEmpty},
		{"LastFails", last, failing(1), 0, errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run(tt.give)
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("got %d, %v; want %d, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func reduce(s source.Source[int]) (int, error) {
	return s.RunReduce(context.Background(), func(a, b int) int { return a + b })
}

func last(s source.Source[int]) (int, error) { return s.RunLast(context.Background()) }

func TestRunDrain(t *testing.T) {
	n := 0
	err := source.Range(0, 3000, 1).Tap(func(int) { n++ }).RunDrain(context.Background())
	if err != nil || n != 3000 {
		t.Errorf("RunDrain: %v after %d values", err, n)
	}
	if err := failing(1).RunDrain(context.Background()); err != errBoom {
		t.Errorf("err = %v, want %v", err, errBoom)
	}
}

func TestCancelledBeforeRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := source.Of(1, 2).RunToSlice(ctx)
	if !errors.Is(err, context.Canceled) || len(got) != 0 {
		t.Errorf("got %v, %v; want nothing and context.Canceled", got, err)
	}
}

// TestPanicsInStages checks that a panic in any user function comes back
// from the terminal as a *scope.PanicError with the original value.
func TestPanicsInStages(t *testing.T) {
	ctx := context.Background()
	boom := func(int) int { panic("boom") }
	tests := map[string]func(){
		"Map":        func() { _ = source.Map(source.Of(1), boom).RunDrain(ctx) },
		"Filter":     func() { _ = source.Of(1).Filter(func(int) bool { panic("boom") }).RunDrain(ctx) },
		"RunForEach": func() { _ = source.Of(1).RunForEach(ctx, func(int) error { panic("boom") }) },
		"RunFold": func() {
			_, _ = source.RunFold(ctx, source.Of(1), 0, func(int, int) int { panic("boom") })
		},
		"RepeatFunc": func() { _ = source.RepeatFunc(func() int { panic("boom") }).RunDrain(ctx) },
		"FromFunc": func() {
			_ = source.FromFunc(func(context.Context, func(int) error) error { panic("boom") }).RunDrain(ctx)
		},
		"FlatMapInner": func() {
			_ = source.FlatMap(source.Of(1), func(v int) source.Source[int] {
				return source.Map(source.Of(v), boom)
			}).RunDrain(ctx)
		},
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			pe := panicError(t, f)
			if pe.Value != "boom" || !strings.Contains(string(pe.Stack), "source_test") {
				t.Errorf("PanicError{Value: %v}, stack:\n%s", pe.Value, pe.Stack)
			}
		})
	}
}
