package app_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/corral-go/corral/app"
	"github.com/corral-go/corral/scope"
)

// The programs that subprocess tests run: the test binary runs itself with
// programEnv set to a program's name, and TestMain calls runProgram instead
// of the tests. Each program prints "ready" on standard output once its
// body runs, so that signal handling is on before the test sends a signal.
var programs = map[string]func(){
	// A fork that stops when the signal comes, and a release.
	"clean": func() {
		app.Main(func(s *scope.Scope) error {
			s.Defer(func() { fmt.Println("released") })
			s.Go(func(ctx context.Context) error {
				<-ctx.Done()
				var sig *app.SignalError
				if errors.As(context.Cause(ctx), &sig) {
					fmt.Println("cancelled by", sig.Signal)
				}
				return context.Cause(ctx) // an echo of the cancellation: still a clean exit
			})
			ready()
			return nil
		}, app.WithName("clean"))
	},

	// A fork that ignores its context, past the grace period.
	"stuck": func() {
		app.Main(func(s *scope.Scope) error {
			s.Go(stuckFork)
			s.Go(cancelled)
			ready()
			return nil
		}, app.WithName("stuck"), app.WithGrace(900*time.Millisecond))
	},

	// The same, with a long grace period: only a second signal ends it.
	"second": func() {
		app.Main(func(s *scope.Scope) error {
			s.Go(stuckFork)
			s.Go(cancelled)
			ready()
			return nil
		}, app.WithName("second"), app.WithGrace(time.Hour))
	},

	// No grace at all: the first signal forces the exit.
	"nograce": func() {
		app.Main(func(s *scope.Scope) error {
			s.Go(stuckFork)
			ready()
			return nil
		}, app.WithName("nograce"), app.WithGrace(0))
	},

	"panic": func() {
		app.Main(func(s *scope.Scope) error {
			ready()
			panicInBody()
			return nil
		}, app.WithName("panic"))
	},

	"error": func() {
		app.Main(func(s *scope.Scope) error {
			ready()
			return errors.New("config file missing")
		}, app.WithName("error"))
	},

	// A fork that fails on its way out, after the signal.
	"failstopping": func() {
		app.Main(func(s *scope.Scope) error {
			s.Go(func(ctx context.Context) error {
				<-ctx.Done()
				return errors.New("flush failed")
			})
			ready()
			return nil
		}, app.WithName("failstopping"))
	},

	// A failure, and a fork that does not stop: no signal, yet the grace
	// period bounds the wait.
	"failstuck": func() {
		app.Main(func(s *scope.Scope) error {
			s.Go(stuckFork)
			ready()
			return errors.New("lost the database")
		}, app.WithName("failstuck"), app.WithGrace(300*time.Millisecond))
	},
}

func runProgram(name string) {
	p, ok := programs[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "no program %q\n", name)
		os.Exit(100)
	}
	p()
	fmt.Fprintln(os.Stderr, "app.Main returned")
	os.Exit(101)
}

func ready() { fmt.Println("ready") }

// stuckFork ignores its context.
func stuckFork(context.Context) error {
	select {}
}

// cancelled prints "cancelled" when the signal reaches the scope.
func cancelled(ctx context.Context) error {
	<-ctx.Done()
	fmt.Println("cancelled")
	return nil
}

func panicInBody() { panic("boom") }
