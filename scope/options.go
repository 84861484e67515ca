package scope

import "fmt"

// An Option configures a scope. Options are created by the With functions of
// this package; the set is sealed so that it can grow without breaking
// callers.
type Option interface {
	apply(*config)
}

type config struct {
	name  string
	limit int   // WithLimit; 0 for none
	diag  *diag // diagnostics asked for by this scope's own options
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithName names the scope. The name appears in panics (see [PanicError]),
// in the message of a fork started after the scope ended, and in diagnostics.
// Without a name, a scope is described by the name of its body function.
func WithName(name string) Option {
	return optionFunc(func(c *config) { c.name = name })
}

// WithLimit lets at most n awaited forks of the scope run at once, as
// errgroup's SetLimit and conc's WithMaxGoroutines do. [Scope.Go] (and every
// awaited fork, such as fork.New's) waits for a free slot, or gives up
// without starting the fork once the scope's context is cancelled;
// [Scope.TryGo] starts a fork only if a slot is free now.
//
// Daemon forks do not count: they are background loops that live as long as
// the scope (a heartbeat, a consumer), so counting them would let them hold
// slots until the scope's end and starve, or deadlock, the awaited work the
// limit is meant to pace. The limit is the scope's own: nested scopes do not
// inherit it.
//
// A slot is held from the moment a fork is started until its function has
// returned. Forks waiting for a slot take them in the order they asked. (The
// slots are a buffered channel rather than x/sync's semaphore, which
// measured twice as slow here: see decision record 0009.)
//
// WithLimit panics if n < 1.
func WithLimit(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("scope: WithLimit called with n = %d; the limit must be at least 1", n))
	}
	return optionFunc(func(c *config) { c.limit = n })
}
