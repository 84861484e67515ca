// Package source is a stub of github.com/corral-go/corral/source.
package source

import (
	"context"
	"iter"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/scope"
)

type Source[T any] struct{ v T }

func Of[T any](vs ...T) Source[T]                                 { return Source[T]{} }
func FromGoChan[T any](c <-chan T) Source[T]                      { return Source[T]{} }
func FromChannel[T any](c *channel.Chan[T]) Source[T]             { return Source[T]{} }
func FromSeq[T any](seq iter.Seq[T]) Source[T]                    { return Source[T]{} }
func Map[T, U any](src Source[T], f func(T) U) Source[U]          { return Source[U]{} }
func (s Source[T]) Filter(keep func(T) bool) Source[T]            { return s }
func (s Source[T]) All(ctx context.Context) iter.Seq2[T, error]   { return nil }
func (s Source[T]) Values(ctx context.Context) iter.Seq[T]        { return nil }
func (s Source[T]) Indexed(ctx context.Context) iter.Seq2[int, T] { return nil }
func (s Source[T]) RunToSlice(ctx context.Context) ([]T, error)   { return nil, nil }
func (s Source[T]) RunToChannel(sc *scope.Scope, capacity int) *channel.Chan[T] {
	return nil
}

func FromFunc[T any](f func(ctx context.Context, emit func(T) error) error) Source[T] {
	return Source[T]{}
}

func MapPar[T, U any](src Source[T], limit int, f func(ctx context.Context, v T) (U, error)) Source[U] {
	return Source[U]{}
}

type Overflow uint8

type Emitter[T any] struct{ v T }

func (e *Emitter[T]) Emit(v T) error { return nil }

func FromCallback[T any](capacity int, overflow Overflow, register func(ctx context.Context, e *Emitter[T]) (unregister func(), err error)) Source[T] {
	return Source[T]{}
}
