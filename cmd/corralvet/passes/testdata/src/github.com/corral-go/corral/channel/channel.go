// Package channel is a stub of github.com/corral-go/corral/channel.
package channel

import (
	"context"
	"iter"
)

const Unlimited = -1

type Chan[T any] struct{ v T }

func New[T any](capacity int) *Chan[T]                         { return nil }
func (c *Chan[T]) Send(ctx context.Context, v T) error         { return nil }
func (c *Chan[T]) Receive(ctx context.Context) (T, error)      { return c.v, nil }
func (c *Chan[T]) TrySend(v T) (bool, error)                   { return false, nil }
func (c *Chan[T]) Close() error                                { return nil }
func (c *Chan[T]) Fail(cause error) error                      { return nil }
func (c *Chan[T]) All(ctx context.Context) iter.Seq2[T, error] { return nil }

type Clause interface{ clause() }

func Select(ctx context.Context, clauses ...Clause) (int, error) { return 0, nil }
func OnReceive[T any](c *Chan[T], f func(v T)) Clause            { return nil }
