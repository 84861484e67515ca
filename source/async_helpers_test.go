package source_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

// Helpers of the async tests. Their names start with "async" so as not to
// clash with the helpers of the other test files of the package.

var errAsync = errors.New("async boom")

// asyncRun runs src to a slice with a background context.
func asyncRun[T any](src source.Source[T]) ([]T, error) {
	return src.RunToSlice(context.Background())
}

// asyncMust runs src to a slice, failing the test on error.
func asyncMust[T any](t *testing.T, src source.Source[T]) []T {
	t.Helper()
	got, err := asyncRun(src)
	if err != nil {
		t.Fatalf("RunToSlice: %v (values %v)", err, got)
	}
	return got
}

// asyncInts returns 0, 1, ..., n-1.
func asyncInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// asyncCounted returns an endless source 0, 1, 2, ... that counts the
// values it made in n; it may run on any goroutine.
func asyncCounted(n *atomic.Int64) source.Source[int] {
	return source.RepeatFunc(func() int { return int(n.Add(1) - 1) })
}

// asyncOneByOne returns a source of vs that emits one value per call of
// emit, as a callback or a scanner would.
func asyncOneByOne[T any](vs ...T) source.Source[T] {
	return source.FromFunc(func(ctx context.Context, emit func(T) error) error {
		for _, v := range vs {
			if err := emit(v); err != nil {
				return err
			}
		}
		return nil
	})
}

// asyncFailing returns a source of vs that then fails with errAsync.
func asyncFailing(vs ...int) source.Source[int] {
	return source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		for _, v := range vs {
			if err := emit(v); err != nil {
				return err
			}
		}
		return errAsync
	})
}

// asyncForever returns a source that emits nothing and waits for its
// context to end, then reports it.
func asyncForever[T any]() source.Source[T] {
	return source.FromFunc(func(ctx context.Context, emit func(T) error) error {
		<-ctx.Done()
		return ctx.Err()
	})
}

func asyncEqual[T comparable](t *testing.T, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// asyncPanic runs f and returns the *scope.PanicError it panicked with.
func asyncPanic(t *testing.T, f func()) (pe *scope.PanicError) {
	t.Helper()
	defer func() {
		v := recover()
		var ok bool
		if pe, ok = v.(*scope.PanicError); !ok {
			t.Fatalf("panicked with %T %v, want *scope.PanicError", v, v)
		}
	}()
	f()
	return nil
}
