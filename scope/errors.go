package scope

import (
	"context"
	"errors"
	"fmt"
)

// ErrScopeEnded is the cancellation cause of a scope's context when the scope
// ends normally: its body returned nil and every awaited fork finished, so the
// leftover daemon forks are told to stop. It matches [context.Canceled], so
// errors.Is(err, context.Canceled) holds for it as well.
//
// A scope that fails is cancelled with its first failure as the cause
// instead; see [context.Cause].
var ErrScopeEnded error = endedError{}

type endedError struct{}

func (endedError) Error() string { return "scope: ended" }
func (endedError) Unwrap() error { return context.Canceled }

// PanicError reports a panic recovered in a scope's body, in a fork or in a
// release registered with [Scope.Defer]. A panic never crashes the process
// from a fork's goroutine: it fails the scope, and once every fork has ended
// and the releases have run, [Supervised] panics again on the caller's
// goroutine with the *PanicError as the panic value.
//
// Value is the value passed to panic; Stack is the stack of the goroutine that
// panicked, as [runtime/debug.Stack] formats it, taken when the panic was
// recovered, so it still shows the panicking frames.
type PanicError struct {
	Value any
	Stack []byte

	// Scope describes the scope where the panic was recovered, as
	// [Scope.String] does; it is empty when the panic was caught outside
	// any scope.
	Scope string
}

// Error describes the panic, including the original stack, so that a
// re-panic that reaches the top of a goroutine prints where the panic really
// happened and not only where it was re-raised.
func (p *PanicError) Error() string {
	where := ""
	if p.Scope != "" {
		where = " in " + p.Scope
	}
	return fmt.Sprintf("panic%s: %v\n\n%s", where, p.Value, p.Stack)
}

// Unwrap returns Value if it is an error, and nil otherwise, so errors.Is and
// errors.As see through a panic(err).
func (p *PanicError) Unwrap() error {
	if err, ok := p.Value.(error); ok {
		return err
	}
	return nil
}

// ErrGoexit is the failure of a fork, a scope's body, a release or a task
// whose goroutine called [runtime.Goexit] instead of returning, as
// testing's t.FailNow does. Go cannot stop a Goexit, but corral does not
// let it pass for a success: the failure is reported like an error, and
// errors.Is(err, ErrGoexit) recognises it wherever it is reported.
var ErrGoexit = errors.New("scope: runtime.Goexit called instead of returning")

// isEcho reports whether err only reports a cancellation that an earlier
// failure (first) caused, and so adds nothing to it.
func isEcho(err, first error) bool {
	return errors.Is(err, context.Canceled) || // includes ErrScopeEnded
		(first != nil && errors.Is(err, first))
}
