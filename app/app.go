package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/scope"
)

// Main runs body as [Run] does and exits the process with the code Run
// returns. Call it last in main: deferred calls of main do not run, as
// with any [os.Exit], so register cleanup in the body with
// [scope.Scope.Defer] instead.
//
// Main panics if body is nil, or on a bad option (see the With functions).
func Main(body func(s *scope.Scope) error, opts ...Option) {
	if body == nil {
		panic("app: Main called with nil body; pass the function that runs the program")
	}
	os.Exit(Run(body, opts...))
}

// Run runs body in a root scope, named after the program (see [WithName]),
// and returns the exit code for the process; see the package documentation
// for the codes.
//
// The first of the stopping signals (SIGINT and SIGTERM, or those of
// [WithSignals]) cancels the root scope's context with a [*SignalError] as
// the cause. Run then waits up to the grace period ([WithGrace], 10 seconds
// by default) for the scope to end, printing a stuck-fork report (see
// [scope.WithStuckReport]) at a third and at two thirds of the period if
// forks are still running. A second signal, or the end of the grace period,
// forces the exit at once: Run prints which scopes and forks are still
// running and returns 128 plus the signal's number. The same grace period
// applies when the root scope is cancelled without a signal, by a failure
// or by its normal end stopping daemon forks; a forced exit then returns
// [ExitFailure], or [ExitPanic] if the failure was a panic.
//
// A forced exit is the one place where corral abandons a scope: Run returns
// while forks are still running, and leaves them running. [Main] exits the
// process at once, which ends them; a caller of Run that goes on must live
// with them (a test can release them itself). Everywhere else Run returns
// only once the root scope has ended.
//
// Run prints the scope's failure (or its panic, with the stack) once, on
// standard error or to the logger of [WithLogger]. Errors that only report
// the cancellation after a signal ([context.Canceled], the [*SignalError]
// cause, and errors wrapping them) are not failures: the exit is clean.
//
// body runs on a goroutine of its own, not on the caller's, so that Run can
// return from a forced exit. Signal handling starts before body runs and
// stops when Run returns. Run is meant to be called once, from main; it
// panics if body is nil, or on a bad option.
func Run(body func(s *scope.Scope) error, opts ...Option) int {
	if body == nil {
		panic("app: Run called with nil body; pass the function that runs the program")
	}
	return newRun(newConfig(opts)).run(body)
}

// A run is one call of Run.
type run struct {
	c   *config
	out *output
	m   *scope.Monitor

	root  chan context.Context // the root scope's context, once body starts
	ended chan outcome         // the root scope's outcome; buffered, for a scope abandoned by a forced exit
}

type outcome struct {
	err   error
	panic *scope.PanicError
}

func newRun(c *config) *run {
	r := &run{c: c, out: &output{c: c}, m: c.monitor,
		root: make(chan context.Context, 1), ended: make(chan outcome, 1)}
	if r.m == nil {
		r.m = scope.NewMonitor()
	}
	return r
}

func (r *run) run(body func(s *scope.Scope) error) int {
	defer r.out.close()
	sigs := make(chan os.Signal, 2) // the first and the second; later ones do not matter
	signal.Notify(sigs, r.c.signals...)
	defer signal.Stop(sigs)

	parent, stop := context.WithCancelCause(context.Background())
	defer stop(nil)
	go r.runScope(parent, body)

	var (
		first     os.Signal
		root      context.Context // the root scope's context, once body has started
		cancelled <-chan struct{} // root.Done(), until it is closed
		grace     *time.Timer     // started when the root scope is cancelled
		graceEnd  <-chan time.Time
	)
	startGrace := func() {
		if grace == nil {
			grace = time.NewTimer(r.c.grace)
			graceEnd = grace.C
		}
	}
	defer func() {
		if grace != nil {
			grace.Stop()
		}
	}()
	for {
		select {
		case o := <-r.ended:
			return r.finish(o, first)
		case root = <-r.root:
			cancelled = root.Done()
		case <-cancelled:
			cancelled = nil
			startGrace()
		case sig := <-sigs:
			if first == nil {
				first = sig
				r.out.signalled(sig)
				stop(&SignalError{Signal: sig})
				startGrace()
				continue
			}
			return r.force(first, signalExit(sig), fmt.Sprintf("second signal (%v) while stopping", sig))
		case <-graceEnd:
			if first != nil {
				return r.force(first, signalExit(first),
					fmt.Sprintf("grace period of %v after %v ran out", r.c.grace, first))
			}
			// Only a cancelled root scope starts the clock without a signal.
			cause := context.Cause(root)
			code := ExitFailure
			if pe := (*scope.PanicError)(nil); errors.As(cause, &pe) {
				code = ExitPanic
			}
			return r.force(first, code, fmt.Sprintf(
				"grace period of %v after the root scope was cancelled (cause: %v) ran out", r.c.grace, cause))
		}
	}
}

// runScope runs the root scope and sends its outcome on r.ended.
func (r *run) runScope(parent context.Context, body func(s *scope.Scope) error) {
	var o outcome
	opts := []scope.Option{scope.WithName(r.c.name), scope.WithMonitor(r.m)}
	if every := r.c.grace / 3; every > 0 {
		opts = append(opts, scope.WithStuckReport(every, r.out.stuck))
	}
	p := catch.Call(func() {
		o.err = scope.Supervised(parent, func(s *scope.Scope) error {
			r.root <- s.Context()
			return body(s)
		}, opts...)
	}, func() {
		// body called runtime.Goexit, and the scope has ended; the
		// goroutine goes on exiting.
		r.ended <- outcome{err: fmt.Errorf("body of scope %q: %w", r.c.name, scope.ErrGoexit)}
	})
	if p != nil {
		pe, ok := p.Value.(*scope.PanicError)
		if !ok { // Supervised re-panics only with a *PanicError; keep anything else too
			pe = &scope.PanicError{Value: p.Value, Stack: p.Stack, Scope: fmt.Sprintf("scope %q", r.c.name)}
		}
		o = outcome{panic: pe}
	}
	r.ended <- o
}

// finish returns the exit code for the root scope's outcome, and prints
// the failure if there is one.
func (r *run) finish(o outcome, sig os.Signal) int {
	switch {
	case o.panic != nil:
		r.out.panicked(o.panic)
		return ExitPanic
	case o.err == nil, sig != nil && onlyCancellation(o.err):
		return ExitOK
	}
	r.out.failed(o.err)
	return ExitFailure
}

// force reports a forced exit and returns its code, unless the root scope
// has ended meanwhile.
func (r *run) force(first os.Signal, code int, reason string) int {
	select {
	case o := <-r.ended:
		return r.finish(o, first)
	default:
	}
	r.out.forced(code, reason, running(r.m))
	return code
}
