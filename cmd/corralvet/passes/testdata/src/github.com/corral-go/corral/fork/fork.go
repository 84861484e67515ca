// Package fork is a stub of github.com/corral-go/corral/fork.
package fork

import (
	"context"

	"github.com/corral-go/corral/scope"
)

type Option interface{ apply() }

type Fork[T any] struct{ v T }

func New[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	return nil
}
func Daemon[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	return nil
}
func Unsupervised[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	return nil
}
func (fk *Fork[T]) Join() (T, error)      { return fk.v, nil }
func (fk *Fork[T]) Done() <-chan struct{} { return nil }

type CancellableFork[T any] struct{ v T }

func Cancellable[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *CancellableFork[T] {
	return nil
}
func (cf *CancellableFork[T]) Join() (T, error)      { return cf.v, nil }
func (cf *CancellableFork[T]) Cancel()               {}
func (cf *CancellableFork[T]) Done() <-chan struct{} { return nil }

func Par[T any](ctx context.Context, tasks ...func(ctx context.Context) (T, error)) ([]T, error) {
	return nil, nil
}
func ParLimit[T any](ctx context.Context, limit int, tasks ...func(ctx context.Context) (T, error)) ([]T, error) {
	return nil, nil
}
func Map[In, Out any](ctx context.Context, limit int, in []In, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	return nil, nil
}
func Race[T any](ctx context.Context, tasks ...func(ctx context.Context) (T, error)) (T, error) {
	var zero T
	return zero, nil
}
