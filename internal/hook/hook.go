// Package hook connects package fork to the internals of package scope
// without widening scope's public API. Package scope installs the functions
// in its init; package fork (which imports scope, so scope's init has run)
// calls them. The scope arguments are always a *scope.Scope.
package hook

import "context"

// Kind says how a scope treats a fork's outcome.
type Kind uint8

const (
	// User forks are awaited; their failure fails the scope.
	User Kind = iota
	// Daemon forks are not awaited: the scope's end cancels them.
	Daemon
	// Unsupervised forks are awaited, but their failure (and panic) is
	// reported only to whoever joins them.
	Unsupervised
)

// Start starts f as a fork of kind k in scope s, named name ("" for none).
// fn is the user's function that f wraps, used to describe the fork in
// diagnostics.
var Start func(s any, k Kind, name string, fn any, f func(ctx context.Context) error)

// AtEnd registers check to run once every fork of s has ended and before its
// releases run; a non-nil result fails the scope. A *scope.PanicError result
// makes the scope re-panic.
var AtEnd func(s any, check func() error)

// NewPanic returns a *scope.PanicError for the recovered value v, carrying
// the current goroutine's stack: call it in the deferred function that
// recovered v.
var NewPanic func(s any, v any) error
