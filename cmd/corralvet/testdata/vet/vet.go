// Package vet has one mistake for each of corralvet's analyzers, for the
// test of the corralvet command.
package vet

import (
	"context"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

func work()                                       {}
func load(context.Context) (int, error)           { return 0, nil }
func request(cb func(int, error)) (cancel func()) { return func() {} }

func sum(ctx context.Context, c *channel.Chan[int]) (int, error) {
	n := 0
	for v := range c.All(ctx) {
		n += v
	}
	return n, nil
}

func escapes(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		go work()
		return nil
	})
}

func sleeps(s *scope.Scope) {
	s.Go(func(context.Context) error {
		time.Sleep(time.Second)
		return nil
	})
}

var root *scope.Scope

func lost(s *scope.Scope) {
	fork.Unsupervised(s, load)
}

func register(ctx context.Context) (int, error) {
	return dispatcher.Await(ctx, func(complete func(int, error)) func() {
		request(complete)
		return nil
	})
}
