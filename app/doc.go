// Package app runs a program's main function in a root scope, and turns
// the end of that scope into the process's exit code: signals, a grace
// period for the forks to stop, and one report of what went wrong.
//
//	func main() {
//		flag.Parse()
//		app.Main(func(s *scope.Scope) error {
//			return serve(s.Context(), *addr) // returns once ctx ends and the work is done
//		})
//	}
//
// It is what [signal.NotifyContext] starts and every server finishes by
// hand: the second Ctrl-C, the process that hangs on a goroutine that does
// not stop, the error printed twice or not at all, the panic's stack.
//
// # Shutdown
//
// The body runs in a root scope named after the program. The first SIGINT
// or SIGTERM (see [WithSignals]) cancels the scope's context with a
// [*SignalError] as the cause; everything started in the scope sees it and
// stops. The program then has the grace period ([WithGrace], 10 seconds by
// default) to end: every fork returns, the releases registered with
// [scope.Scope.Defer] run, and [Run] returns the exit code. While forks are
// still running, a stuck-fork report names them at a third and at two
// thirds of the grace period.
//
// A second signal, or the end of the grace period, forces the exit at once:
// Run prints the scopes and forks still running, where each was started and
// for how long it has run, and returns. [Main] then exits the process. This
// is the one place where corral abandons a scope: Go cannot stop a
// goroutine, and a program must still be able to end.
//
// The grace period also bounds a shutdown that no signal started: when the
// root scope fails (its failure cancels it) or its body and awaited forks
// are done (its normal end cancels the daemon forks), forks that do not
// stop within the grace period force the exit too.
//
// # Draining
//
// Work that must finish what it accepted (a dispatcher's tasks, an actor's
// mailbox, the messages a connection has read) must not be cancelled by the
// signal. Run it in a work scope whose context keeps the root's values but
// not its cancellation, and stop it on purpose when the root's context
// ends: stop accepting, then drain with a deadline inside the grace period.
//
//	stop := s.Context() // cancelled by the first signal
//	return scope.Supervised(context.WithoutCancel(stop), func(w *scope.Scope) error {
//		d := dispatcher.New(w)
//		w.Go(func(ctx context.Context) error {
//			<-stop.Done()
//			ctx, cancel := context.WithTimeout(ctx, 8*time.Second)
//			defer cancel()
//			return d.Shutdown(ctx) // accepted tasks run; the rest is cancelled at the deadline
//		})
//		return serve(w, d)
//	})
//
// docs/lifecycle.md draws the whole sequence: signal, stop accepting,
// drain, grace, cancel, releases, exit code.
//
// # Exit codes
//
//	code     when
//	0        the root scope ended without failure: the body and its forks
//	         returned nil, or, after a signal, only reported the
//	         cancellation (context.Canceled, the *SignalError cause)
//	1        the root scope failed with an error; also a forced exit that
//	         no signal started (a fork did not stop after a failure)
//	2        something in the root scope panicked (as Go's runtime exits
//	         on a panic); also a forced exit after a panic
//	128+n    forced exit after signal n: a second signal n, or the grace
//	         period after signal n ran out (130 for SIGINT, 143 for
//	         SIGTERM, as a shell reports a process that signal killed)
//
// A clean shutdown after SIGTERM exits 0, not 143: the program did what it
// was asked to, and process supervisors (systemd, Kubernetes, CI runners)
// take anything else for a failure. docs/decisions/0021-app-exit-codes.md
// argues each code.
//
// # Output
//
// Run prints, on standard error or to the logger of [WithLogger]: the
// signal that stops the program, stuck-fork reports, the root scope's
// failure (once, prefixed with the scope's name) or its panic (with the
// stack of the goroutine that panicked), and the report of a forced exit.
// A clean run prints nothing.
package app
