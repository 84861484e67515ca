// Package dispatcher is a stub of github.com/corral-go/corral/dispatcher.
package dispatcher

import (
	"context"

	"github.com/corral-go/corral/scope"
)

type Option interface{ apply() }

type Dispatcher struct{ outer *scope.Scope }

func New(outer *scope.Scope, opts ...Option) *Dispatcher { return &Dispatcher{outer: outer} }

func (d *Dispatcher) RunAsync(task func(s *scope.Scope) error, onError func(err error)) error {
	return nil
}
func (d *Dispatcher) Submit(task func(s *scope.Scope) error) *Task { return nil }
func (d *Dispatcher) SubmitContext(ctx context.Context, task func(s *scope.Scope) error) *Task {
	return nil
}
func (d *Dispatcher) Shutdown(ctx context.Context) error { return nil }
func (d *Dispatcher) NewLane() *Lane                     { return nil }

type Lane struct{}

func (l *Lane) Submit(task func(s *scope.Scope) error) *Task { return nil }

type Task struct{}

func (t *Task) Cancel()                        {}
func (t *Task) Wait(ctx context.Context) error { return nil }
func (t *Task) Done() <-chan struct{}          { return nil }

func Await[T any](ctx context.Context, register func(complete func(v T, err error)) (cancel func())) (T, error) {
	var zero T
	return zero, nil
}

type Actor[T any] struct{ logic T }

func NewActor[T any](s *scope.Scope, logic T, opts ...Option) *Actor[T] { return nil }
func (a *Actor[T]) Tell(f func(logic T)) error                          { return nil }
