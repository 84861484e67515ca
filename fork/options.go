package fork

// An Option configures a fork. The set is sealed so that it can grow without
// breaking callers.
type Option interface {
	apply(*options)
}

type options struct {
	name string
}

type nameOption string

func (n nameOption) apply(o *options) { o.name = string(n) }

// WithName names a fork. The name appears in the scope's diagnostics: the
// report of forks that do not stop (see [scope.WithStuckReport]), scope
// snapshots, profiler labels and execution traces. Unnamed forks are
// described by their function's name.
func WithName(name string) Option { return nameOption(name) }

func forkName(opts []Option) string {
	if len(opts) == 0 {
		return ""
	}
	var o options
	for _, opt := range opts {
		opt.apply(&o)
	}
	return o.name
}
