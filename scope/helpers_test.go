package scope_test

import (
	"testing"

	"github.com/corral-go/corral/scope"
)

// The test helpers of package scope, in one place.

// recovered calls f and returns the value it panicked with, or nil.
func recovered(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// catchPanic calls f and returns the *scope.PanicError it panicked with; it
// fails the test if f did not panic with one.
func catchPanic(t *testing.T, f func()) *scope.PanicError {
	t.Helper()
	v := recovered(f)
	pe, ok := v.(*scope.PanicError)
	if !ok {
		t.Fatalf("recovered %T %v, want *scope.PanicError", v, v)
	}
	return pe
}

// panicMessage calls f and returns what it panicked with, as text.
func panicMessage(f func()) string {
	switch v := recovered(f).(type) {
	case nil:
		return ""
	case string:
		return v
	case error:
		return v.Error()
	default:
		return "unexpected panic value"
	}
}

// panicky panics with v. Tests look for its name in PanicError.Stack.
//
//go:noinline
func panicky(v any) { panic(v) }
