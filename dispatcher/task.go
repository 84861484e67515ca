package dispatcher

import (
	"context"
	"sync/atomic"

	"github.com/corral-go/corral/scope"
)

// A Task is the handle of a task submitted with [Dispatcher.Submit] (or
// [Lane.Submit]). It reports the task's result and can cancel the task alone,
// without touching the dispatcher, its scope or other tasks.
//
// A Task is safe for concurrent use.
type Task struct {
	body    func(s *scope.Scope) error
	onError func(err error) // RunAsync: where failures go (nil: fail the outer scope)
	lane    *Lane

	// Guarded by the dispatcher's mutex.
	next, prev *Task
	inQueue    bool
	admitted   bool          // in the mailbox, not a blocked submitter's
	ready      chan struct{} // a blocked submitter waits for it: admitted or rejected
	rejected   error         // why a blocked submission was turned away

	state  atomic.Uint32
	cancel context.CancelCauseFunc // set before state leaves taskQueued
	done   chan struct{}           // nil for a RunAsync task, which has no handle
	err    error                   // written before done is closed
}

// Task states. A task leaves taskQueued exactly once; whoever moves it out
// decides who completes it (see Cancel and Dispatcher.runOne).
const (
	taskQueued    uint32 = iota // accepted, not started
	taskRunning                 // body running
	taskCancelled               // Cancel won: the task reports context.Canceled
	taskDone                    // completed, or dropped at close
)

func newHandle(body func(s *scope.Scope) error) *Task {
	return &Task{body: body, done: make(chan struct{})}
}

// Cancel cancels the task. A task that has not started yet never starts; a
// running task's context is cancelled (the task must honour it to stop
// soon). Either way [Task.Wait] then reports [context.Canceled], whatever the
// body returns. Cancelling a task that has completed, or cancelling twice,
// has no effect. Cancel does not wait for a running task to return; use
// [Task.Wait] or [Task.Done] for that. It is safe from any goroutine.
func (t *Task) Cancel() {
	for {
		switch t.state.Load() {
		case taskQueued:
			if t.state.CompareAndSwap(taskQueued, taskCancelled) {
				t.lane.d.unqueue(t)
				t.complete(context.Canceled)
				return
			}
		case taskRunning:
			if t.state.CompareAndSwap(taskRunning, taskCancelled) {
				t.cancel(context.Canceled)
				return
			}
		default:
			return
		}
	}
}

// Wait waits for the task to complete and returns its result: nil or the
// error its body returned; a [*scope.PanicError] if it panicked;
// [context.Canceled] if it was cancelled with [Task.Cancel]; [ErrClosed] if
// the dispatcher closed before the task started; [ErrFull] if a bounded
// mailbox with the [Reject] policy turned it away.
//
// If ctx ends first, Wait returns ctx.Err(): ending ctx ends only the
// waiting, not the task. Wait may be called any number of times, from any
// goroutine.
func (t *Task) Wait(ctx context.Context) error {
	select {
	case <-t.done:
		return t.err
	default:
	}
	select {
	case <-t.done:
		return t.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done returns a channel that is closed when the task has completed, so that
// a task can be awaited in a select. After Done is closed, [Task.Wait]
// returns at once.
func (t *Task) Done() <-chan struct{} { return t.done }

// complete records err as the result of a handle and releases its waiters.
// It is called exactly once per handle, by whoever moved the task out of
// taskQueued or, for a running task, by its runner.
func (t *Task) complete(err error) {
	if t.done == nil {
		return
	}
	t.err = err
	close(t.done)
}

// finish completes a task whose body has run: with its result, or with
// context.Canceled if Cancel won the race against the end of the body.
func (t *Task) finish(err error) {
	if !t.state.CompareAndSwap(taskRunning, taskDone) {
		err = context.Canceled
	}
	t.complete(err)
}
