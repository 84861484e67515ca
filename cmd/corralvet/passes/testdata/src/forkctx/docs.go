package forkctx

import (
	"context"
	"time"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/timeout"
)

// The examples of docs/corralvet.md.

func docsBefore(s *scope.Scope) {
	s.GoDaemon(func(context.Context) error {
		for {
			time.Sleep(time.Minute) // want `fork function passed to Scope.GoDaemon never reads its ctx but blocks in time.Sleep`
			refresh()
		}
	})
}

func docsAfter(s *scope.Scope) {
	s.GoDaemon(func(ctx context.Context) error {
		for {
			if err := timeout.Sleep(ctx, time.Minute); err != nil {
				return err
			}
			refresh()
		}
	})
}
