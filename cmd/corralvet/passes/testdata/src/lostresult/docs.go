package lostresult

import (
	"context"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// The examples of docs/corralvet.md.

func warmCache(context.Context) (int, error) { return 0, nil }
func audit(*scope.Scope) error               { return nil }
func notify(*scope.Scope) error              { return nil }
func logFailure(error)                       {}
func logf(format string, args ...any)        {}

func docsBefore(ctx context.Context, s *scope.Scope, d *dispatcher.Dispatcher) {
	warm := fork.Unsupervised(s, warmCache)
	d.Submit(audit) // want `task handle from Dispatcher.Submit dropped`
	warm.Join()     // want `result of Join dropped: an unsupervised fork`
	task := d.Submit(notify)
	task.Wait(ctx) // want `result of Task.Wait dropped`
}

func docsAfter(ctx context.Context, s *scope.Scope, d *dispatcher.Dispatcher) error {
	warm := fork.Unsupervised(s, warmCache)
	_ = d.RunAsync(audit, logFailure)
	if _, err := warm.Join(); err != nil {
		logf("cache stays cold: %v", err)
	}
	if err := d.Submit(notify).Wait(ctx); err != nil {
		return err
	}
	return nil
}
