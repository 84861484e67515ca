package app

import (
	"context"
	"errors"
	"os"
	"syscall"
)

// Exit codes returned by [Run]. A forced exit returns 128 plus the number of
// the signal, as a shell reports a process killed by that signal (130 for
// SIGINT, 143 for SIGTERM); see the package documentation for when each code
// is returned.
const (
	// ExitOK: the root scope ended without failure, whether on its own or
	// after a signal asked it to stop.
	ExitOK = 0
	// ExitFailure: the root scope failed with an error. Its error was printed.
	ExitFailure = 1
	// ExitPanic: something in the root scope panicked (Go's runtime exits
	// with 2 on an unrecovered panic too). The panic and its stack were
	// printed.
	ExitPanic = 2
)

// signalExit is the code of an exit forced after sig: 128 + its number.
func signalExit(sig os.Signal) int {
	if n, ok := sig.(syscall.Signal); ok && n > 0 {
		return 128 + int(n)
	}
	return ExitFailure // WithSignals lets no other kind of signal in
}

// A SignalError is the cancellation cause of the root scope's context when
// a signal stops the program: context.Cause(s.Context()) returns it, and
// errors.As finds it in errors that wrap the cause.
//
// It matches [context.Canceled], as [scope.ErrScopeEnded] does, so code
// that returns the cause or ctx.Err() after the signal is not taken for a
// failure: by the scope (it is an echo) and by [Run] (the exit is clean).
type SignalError struct {
	Signal os.Signal // the signal that arrived first
}

// Error names the signal.
func (e *SignalError) Error() string { return "app: received signal " + e.Signal.String() }

// Unwrap returns [context.Canceled].
func (e *SignalError) Unwrap() error { return context.Canceled }

// onlyCancellation reports whether err says nothing but that the root
// scope was cancelled: every error in its tree ends in context.Canceled
// (SignalError and scope.ErrScopeEnded included). errors.Is alone is not
// enough, since it finds context.Canceled in a join that also holds a real
// failure.
func onlyCancellation(err error) bool {
	for err != nil {
		if err == context.Canceled {
			return true
		}
		if is, ok := err.(interface{ Is(error) bool }); ok && is.Is(context.Canceled) {
			return true
		}
		switch e := err.(type) {
		case interface{ Unwrap() []error }:
			errs := e.Unwrap()
			for _, e := range errs {
				if !onlyCancellation(e) {
					return false
				}
			}
			return len(errs) > 0
		default:
			err = errors.Unwrap(err)
		}
	}
	return false
}
