package source_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

var errBoom = errors.New("boom")

// collect runs src to a slice, failing the test on error.
func collect[T any](t *testing.T, src source.Source[T]) []T {
	t.Helper()
	got, err := src.RunToSlice(context.Background())
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

// counted returns 0, 1, 2, ... and counts how many values it produced.
func counted(n *int) source.Source[int] {
	return source.RepeatFunc(func() int {
		*n++
		return *n - 1
	})
}

// failing returns the values of vs, then fails with errBoom.
func failing(vs ...int) source.Source[int] {
	return source.Concat(source.FromSlice(vs), source.Failed[int](errBoom))
}

func equal[T comparable](t *testing.T, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
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
