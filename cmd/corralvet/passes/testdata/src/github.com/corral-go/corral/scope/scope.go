// Package scope is a stub of github.com/corral-go/corral/scope.
package scope

import "context"

type Scope struct{ ctx context.Context }

type Option interface{ apply() }

func WithName(name string) Option { return nil }

func Supervised(ctx context.Context, body func(s *Scope) error, opts ...Option) error {
	return body(&Scope{ctx: ctx})
}

func Run[T any](ctx context.Context, body func(s *Scope) (T, error), opts ...Option) (T, error) {
	return body(&Scope{ctx: ctx})
}

func (s *Scope) Context() context.Context                                     { return s.ctx }
func (s *Scope) Go(f func(ctx context.Context) error)                         {}
func (s *Scope) GoDaemon(f func(ctx context.Context) error)                   {}
func (s *Scope) GoNamed(name string, f func(ctx context.Context) error)       {}
func (s *Scope) GoDaemonNamed(name string, f func(ctx context.Context) error) {}
func (s *Scope) TryGo(f func(ctx context.Context) error) bool                 { return true }
func (s *Scope) Defer(release func())                                         {}
func (s *Scope) String() string                                               { return "" }

type Job interface {
	Run(ctx context.Context) error
	Finish(outcome error)
}

type ForkSpec struct {
	Name         string
	Func         any
	Daemon       bool
	Unsupervised bool
}

func (s *Scope) Start(spec ForkSpec, job Job) {}
