package lostresult

import (
	"context"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

func load(context.Context) (int, error) { return 1, nil }
func task(*scope.Scope) error           { return nil }

func joins(s *scope.Scope) {
	u := fork.Unsupervised(s, load)
	u.Join() // want `result of Join dropped: an unsupervised fork reports its failure only by Join`

	fork.Unsupervised(s, load).Join() // want `result of Join dropped: an unsupervised fork`

	c := fork.Cancellable(s, load)
	c.Cancel()
	c.Join()       // want `result of Join dropped: a cancellable fork`
	defer c.Join() // want `result of Join dropped: a cancellable fork`
}

func dropsForks(s *scope.Scope) {
	fork.Unsupervised(s, load) // want `fork from fork.Unsupervised dropped: it reports its failure only by Join`
	fork.Cancellable(s, load)  // want `fork from fork.Cancellable dropped: it can no longer be cancelled`
}

func tasks(ctx context.Context, d *dispatcher.Dispatcher) {
	t := d.Submit(task)
	t.Wait(ctx)                 // want `result of Task.Wait dropped: a submitted task reports its failure only by Wait`
	d.Submit(task)              // want `task handle from Dispatcher.Submit dropped`
	d.SubmitContext(ctx, task)  // want `task handle from Dispatcher.SubmitContext dropped`
	d.NewLane().Submit(task)    // want `task handle from Lane.Submit dropped`
	go d.Submit(task).Wait(ctx) // want `result of Task.Wait dropped`
}

// Negative cases.

func supervisedJoin(s *scope.Scope) {
	f := fork.New(s, load)
	f.Join() // waits: the fork's failure fails the scope anyway
	d := fork.Daemon(s, load)
	d.Join()
	fork.New(s, load) // as s.Go: the scope sees the failure
}

func checked(ctx context.Context, s *scope.Scope, d *dispatcher.Dispatcher) error {
	u := fork.Unsupervised(s, load)
	if _, err := u.Join(); err != nil {
		return err
	}
	_, _ = fork.Cancellable(s, load).Join() // dropped on purpose
	t := d.Submit(task)
	_ = d.Submit(task)
	_ = d.RunAsync(task, func(error) {})
	return t.Wait(ctx)
}

func reassigned(s *scope.Scope, supervised bool) {
	f := fork.Unsupervised(s, load)
	if supervised {
		f = fork.New(s, load)
	}
	f.Join() // not surely unsupervised
}
