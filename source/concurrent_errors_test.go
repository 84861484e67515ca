package source_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/corral-go/corral/source"
)

// TestConcurrentFailures: when two goroutines of an async stage fail, the
// run's error starts with the first failure, and the second, which is not
// a report of the cancellation, is attached: errors.Is finds both. The
// second goroutine fails only once the first failure has cancelled it.
func TestConcurrentFailures(t *testing.T) {
	boom1, boom2 := errors.New("boom1"), errors.New("boom2")
	// first fails once second has started; second fails when cancelled.
	pair := func() (first, second func(ctx context.Context) error) {
		started := make(chan struct{})
		first = func(ctx context.Context) error {
			<-started
			return boom1
		}
		second = func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			return boom2
		}
		return first, second
	}
	failing := func(f func(ctx context.Context) error) source.Source[int] {
		return source.FromFunc(func(ctx context.Context, emit func(int) error) error { return f(ctx) })
	}
	// byValue fails with first for the value 1 and with second for others.
	byValue := func(first, second func(ctx context.Context) error) func(context.Context, int) (int, error) {
		return func(ctx context.Context, v int) (int, error) {
			if v == 1 {
				return 0, first(ctx)
			}
			return 0, second(ctx)
		}
	}
	tests := []struct {
		name string
		src  func() source.Source[int]
	}{
		{"MapPar", func() source.Source[int] { return source.MapPar(source.Of(1, 2), 2, byValue(pair())) }},
		{"MapParUnordered", func() source.Source[int] { return source.MapParUnordered(source.Of(1, 2), 2, byValue(pair())) }},
		{"Merge", func() source.Source[int] {
			first, second := pair()
			return source.Merge(failing(first), failing(second))
		}},
		{"ZipWith", func() source.Source[int] {
			first, second := pair()
			return source.ZipWith(failing(first), failing(second), func(a, b int) int { return a + b })
		}},
		{"Interleave", func() source.Source[int] {
			first, second := pair()
			return source.Interleave(1, failing(first), failing(second))
		}},
		{"FlatMapPar", func() source.Source[int] {
			first, second := pair()
			return source.FlatMapPar(source.Of(1, 2), 2, func(v int) source.Source[int] {
				if v == 1 {
					return failing(first)
				}
				return failing(second)
			})
		}},
		{"MergeUntil", func() source.Source[int] {
			first, second := pair()
			return source.MergeUntil(failing(first), failing(second), source.LeftEnds)
		}},
		{"InterleaveShortest", func() source.Source[int] {
			first, second := pair()
			return source.InterleaveShortest(1, failing(second), failing(first))
		}},
		{"GroupBy", func() source.Source[int] {
			first, second := pair()
			return source.GroupBy(source.Of(1, 2), 2, func(v int) int { return v }, func(k int, _ source.Source[int]) source.Source[int] {
				if k == 1 {
					return failing(first)
				}
				return failing(second)
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 {
				_, err := tt.src().RunToSlice(context.Background())
				if !errors.Is(err, boom1) || !errors.Is(err, boom2) {
					t.Fatalf("err = %v, want both boom1 and boom2", err)
				}
				if !strings.HasPrefix(err.Error(), boom1.Error()) {
					t.Fatalf("err = %q, want it to start with the first failure, %q", err, boom1)
				}
			}
		})
	}
}

// TestSingleFailure: with one failure and nothing else, the run returns
// that error as it is.
func TestSingleFailure(t *testing.T) {
	tests := []struct {
		name string
		src  source.Source[int]
	}{
		{"MapPar", source.MapPar(source.Of(1, 2), 2, func(ctx context.Context, v int) (int, error) {
			if v == 2 {
				return 0, errBoom
			}
			return v, nil
		})},
		{"Merge", source.Merge(failing(1), source.Of(2))},
		// The right side outlasts the left: Zip ends when either side
		// ends, so with Of(2) alone the right's end could win the race
		// against the left's failure, and the run end without it.
		{"ZipWith", source.ZipWith(failing(1), source.Of(2, 3), func(a, b int) int { return a + b })},
		{"Buffer", failing(1).Buffer(2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.src.RunToSlice(context.Background()); err != errBoom {
				t.Errorf("err = %v, want errBoom itself", err)
			}
		})
	}
}
