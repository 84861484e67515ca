package dispatcher

import (
	"context"
	"errors"

	"github.com/corral-go/corral/scope"
)

// How a task ends: what it reports, to whom, and when it stops counting in
// live. Every accepted task ends exactly once, through core.end (Cancel, a
// drop on a goroutine outside the outer scope) or core.endOn (a runner, or a
// fork that reports dropped tasks).

// outcome returns what to report for a task whose body returned err, with
// its context derived from shard: for a handle, its result; for a RunAsync
// task, its failure, or nil for none. Errors that only echo the dispatcher's
// cancellation of its tasks are no failure of a RunAsync task.
func (c *core) outcome(t *Task, shard context.Context, err error) error {
	if t.done != nil {
		if !t.state.CompareAndSwap(taskRunning, taskDone) {
			t.state.Store(taskDone)
			return context.Canceled // Cancel won the race against the body's end
		}
		return err
	}
	// A RunAsync task has no handle, so nothing reads its state any more:
	// it stays taskRunning, and saves a store per task.
	if err == nil || shard.Err() == nil {
		return err
	}
	if _, ok := err.(*scope.PanicError); ok {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.Cause(shard)) {
		return nil
	}
	return err
}

// endOn ends t with result err, on a goroutine of the outer scope (runner r,
// or, with r nil, a fork that reports dropped tasks): a handle completes; a
// RunAsync task's failure goes to its onError, or, if it has none, fails the
// outer scope. Then t no longer counts in live, even if onError panics.
func (c *core) endOn(r *runner, t *Task, err error) {
	defer r.taskEnded(c)
	switch {
	case t.done != nil:
		t.complete(err)
	case err == nil:
	case t.onError != nil:
		t.onError(err)
	default:
		c.fail(err)
	}
}

// endDropped ends t, which was accepted but dropped before it started, on a
// goroutine of the outer scope: it reports ErrClosed to the handle or the
// onError, if any. A RunAsync task without onError has no one to tell, and
// its drop is no failure of the outer scope.
func (c *core) endDropped(r *runner, t *Task) {
	if t.done == nil && t.onError == nil {
		r.taskEnded(c)
		return
	}
	c.endOn(r, t, ErrClosed)
}

// end ends a handle that is not running (Cancel, a drop): it completes with
// err and no longer counts in live.
func (c *core) end(t *Task, err error) {
	t.complete(err)
	c.leave()
}

// fail fails the outer scope with err, as a fork of it would: the runners
// are forks whose failures do not reach the scope on their own. It starts a
// daemon fork that returns (or panics with) err, called from a fork of the
// outer scope: a daemon, like the runners, so that it neither waits for a
// slot of a limited scope nor fails a scope that is ending normally with a
// mere error (as the runner itself would not).
func (c *core) fail(err error) {
	c.outer.GoDaemonNamed("dispatcher task failure", func(context.Context) error {
		if pe, ok := err.(*scope.PanicError); ok {
			panic(pe) // the scope keeps the original value and stack
		}
		return err
	})
}
