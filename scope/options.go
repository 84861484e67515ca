package scope

// An Option configures a scope. Options are created by the With functions of
// this package; the set is sealed so that it can grow without breaking
// callers.
type Option interface {
	apply(*config)
}

type config struct {
	name string
	diag *diag // diagnostics asked for by this scope's own options
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithName names the scope. The name appears in panics (see [PanicError]),
// in the message of a fork started after the scope ended, and in diagnostics.
// Without a name, a scope is described by the name of its body function.
func WithName(name string) Option {
	return optionFunc(func(c *config) { c.name = name })
}
