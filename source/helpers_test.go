package source_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

// The test helpers of the package, shared by every test file.

// errBoom is the failure that tests inject.
var errBoom = errors.New("boom")

// run runs src to a slice with a background context.
func run[T any](src source.Source[T]) ([]T, error) {
	return src.RunToSlice(context.Background())
}

// collect runs src to a slice, failing the test on error.
func collect[T any](t *testing.T, src source.Source[T]) []T {
	t.Helper()
	got, err := run(src)
	if err != nil {
		t.Fatalf("RunToSlice: unexpected error %v (values %v)", err, got)
	}
	return got
}

// ints returns 0, 1, ..., n-1.
func ints(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// counted returns the endless source 0, 1, 2, ... and counts in n the
// values it made; it may run on any goroutine.
func counted(n *atomic.Int64) source.Source[int] {
	return source.RepeatFunc(func() int { return int(n.Add(1) - 1) })
}

// countedOneByOne is counted with one value per call of emit.
func countedOneByOne(n *atomic.Int64) source.Source[int] {
	return source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		for {
			if err := emit(int(n.Add(1) - 1)); err != nil {
				return err
			}
		}
	})
}

// failing returns the values of vs, in one batch, then fails with errBoom.
func failing(vs ...int) source.Source[int] {
	return source.Concat(source.FromSlice(vs), source.Failed[int](errBoom))
}

// oneByOne returns a source of vs that emits one value per call of emit,
// as a callback or a scanner would.
func oneByOne[T any](vs ...T) source.Source[T] {
	return source.FromFunc(func(ctx context.Context, emit func(T) error) error {
		for _, v := range vs {
			if err := emit(v); err != nil {
				return err
			}
		}
		return nil
	})
}

// failingOneByOne is failing with one value per call of emit.
func failingOneByOne(vs ...int) source.Source[int] {
	return source.Concat(oneByOne(vs...), source.Failed[int](errBoom))
}

// waitForever returns a source that emits nothing and waits for its
// context to end, then reports it.
func waitForever[T any]() source.Source[T] {
	return source.FromFunc(func(ctx context.Context, emit func(T) error) error {
		<-ctx.Done()
		return ctx.Err()
	})
}

func equal[T comparable](t *testing.T, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// sum adds up vs.
func sum(vs []int) int {
	s := 0
	for _, v := range vs {
		s += v
	}
	return s
}

// mapSlice returns f of each value of vs.
func mapSlice(vs []int, f func(int) int) []int {
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = f(v)
	}
	return out
}

// flatten concatenates groups.
func flatten(groups [][]int) []int {
	var out []int
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// mustPanic runs f and returns the value it panicked with, failing the test
// if it did not panic.
func mustPanic(t *testing.T, f func()) (v any) {
	t.Helper()
	defer func() { v = recover() }()
	f()
	t.Fatal("no panic")
	return nil
}

// panicError runs f and returns the *scope.PanicError it panicked with.
func panicError(t *testing.T, f func()) *scope.PanicError {
	t.Helper()
	v := mustPanic(t, f)
	pe, ok := v.(*scope.PanicError)
	if !ok {
		t.Fatalf("panicked with %T %v, want *scope.PanicError", v, v)
	}
	return pe
}

// drainChan receives c's values until it ends, with the error wantErr (nil
// for closed).
func drainChan(t *testing.T, c *channel.Chan[int], wantErr error) []int {
	t.Helper()
	out := []int{}
	for {
		v, err := c.Receive(context.Background())
		if err != nil {
			if wantErr == nil && !errors.Is(err, channel.ErrClosed) || wantErr != nil && !errors.Is(err, wantErr) {
				t.Errorf("channel ended with %v, want %v", err, wantErr)
			}
			return out
		}
		out = append(out, v)
	}
}

// chanEnd receives what is left in c and returns how c ended: nil if it
// is still open.
func chanEnd[T any](c *channel.Chan[T]) error {
	for {
		if _, ok, err := c.TryReceive(); err != nil || !ok {
			return err
		}
	}
}
