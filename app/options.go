package app

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/corral-go/corral/scope"
)

// DefaultGrace is how long [Run] waits, after the first signal, for the root
// scope to end, unless [WithGrace] says otherwise.
const DefaultGrace = 10 * time.Second

// An Option configures [Run] and [Main]. Options are created by the With
// functions of this package; the set is sealed so that it can grow without
// breaking callers.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	name    string
	grace   time.Duration
	signals []os.Signal
	logger  *slog.Logger   // nil: plain text to w
	w       io.Writer      // where plain text goes; os.Stderr by default
	monitor *scope.Monitor // nil: Run makes its own
}

func newConfig(opts []Option) *config {
	c := &config{
		name:    filepath.Base(os.Args[0]),
		grace:   DefaultGrace,
		signals: []os.Signal{os.Interrupt, syscall.SIGTERM},
		w:       os.Stderr,
	}
	for _, o := range opts {
		o.apply(c)
	}
	return c
}

// WithGrace sets how long [Run] waits, after the first signal, for the root
// scope to end (its forks to return and its releases to run) before it gives
// up and returns a forced exit code. The default is [DefaultGrace], 10
// seconds. The same period bounds the wait after the root scope was
// cancelled for another reason: a failure, or its normal end telling daemon
// forks to stop.
//
// A zero grace gives the forks no time: the first signal forces the exit at
// once, after the stuck-fork report. WithGrace panics if d is negative.
func WithGrace(d time.Duration) Option {
	if d < 0 {
		panic(fmt.Sprintf("app: WithGrace called with negative grace %v; "+
			"pass the time forks may take to stop, or 0 to exit at the first signal", d))
	}
	return optionFunc(func(c *config) { c.grace = d })
}

// WithSignals sets the signals that stop the program, in place of the
// default [os.Interrupt] (SIGINT) and [syscall.SIGTERM]. The first of them to
// arrive cancels the root scope; the second forces the exit.
//
// WithSignals panics if sigs is empty, or if one of them is not a
// [syscall.Signal] that a program can catch ([os.Kill], SIGKILL and SIGSTOP
// cannot be caught): a signal that never arrives would leave the program
// without a way to stop.
func WithSignals(sigs ...os.Signal) Option {
	if len(sigs) == 0 {
		panic("app: WithSignals called with no signals; " +
			"leave the option out to stop on SIGINT and SIGTERM")
	}
	for _, sig := range sigs {
		n, ok := sig.(syscall.Signal)
		if !ok {
			panic(fmt.Sprintf("app: WithSignals called with %v of type %T, which is not a syscall.Signal; "+
				"pass os.Interrupt or a syscall.SIG... value", sig, sig))
		}
		if uncatchable(n) {
			panic(fmt.Sprintf("app: WithSignals called with %v, which a program cannot catch; "+
				"pass signals such as os.Interrupt or syscall.SIGTERM", sig))
		}
	}
	sigs = append([]os.Signal(nil), sigs...) // the caller may reuse its slice
	return optionFunc(func(c *config) { c.signals = sigs })
}

// WithLogger sends what [Run] reports (the signal that stops the program,
// stuck-fork reports, the scope's failure or panic, a forced exit) to logger,
// as structured records, instead of printing it as plain text on standard
// error. WithLogger panics if logger is nil.
func WithLogger(logger *slog.Logger) Option {
	if logger == nil {
		panic("app: WithLogger called with nil logger; leave the option out to print on standard error")
	}
	return optionFunc(func(c *config) { c.logger = logger })
}

// WithName names the root scope (see [scope.WithName]); the name prefixes
// every line [Run] prints. The default is the program's name, the base name
// of os.Args[0]. WithName panics if name is empty.
func WithName(name string) Option {
	if name == "" {
		panic("app: WithName called with an empty name; leave the option out to use the program's name")
	}
	return optionFunc(func(c *config) { c.name = name })
}

// WithMonitor registers the root scope, and so every scope nested in it,
// with m (see [scope.WithMonitor]), so that a debug endpoint such as
// [github.com/corral-go/corral/scope/scopehttp] shows the whole program. The
// report printed at a forced exit is then a snapshot of m. Without this
// option Run uses a monitor of its own. WithMonitor panics if m is nil.
func WithMonitor(m *scope.Monitor) Option {
	if m == nil {
		panic("app: WithMonitor called with nil monitor; leave the option out if you need none")
	}
	return optionFunc(func(c *config) { c.monitor = m })
}
