package goescape

import (
	"context"

	"github.com/corral-go/corral/scope"
)

// The examples of docs/corralvet.md.

type cacheT struct{}

func refreshCache(*cacheT)       {}
func serveIt(*scope.Scope) error { return nil }

func docsBefore(ctx context.Context, cache *cacheT) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		go func() { // want `go statement in a scope body passed to scope.Supervised`
			refreshCache(cache)
		}()
		return serveIt(s)
	})
}
