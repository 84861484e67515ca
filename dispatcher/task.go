package dispatcher

import (
	"context"
	"sync/atomic"

	"github.com/corral-go/corral/scope"
)

// A Task is the handle of a task submitted with [Dispatcher.Submit]. It
// reports the task's result and can cancel the task alone, without touching
// the dispatcher, its scope or other tasks.
//
// A Task is safe for concurrent use.
type Task struct {
	body    func(s *scope.Scope) error
	onError func(err error) // RunAsync: where failures go (nil: fail the outer scope)
	lane    *Dispatcher     // the lane it was submitted on
	state   atomic.Uint32   // see the diagram below

	// In a lane's list (taskBlocked, taskWaiting; guarded by the core's
	// mutex) or in the list of tasks waiting for a runner (taskStarting;
	// guarded by its own mutex).
	next, prev *Task
	ready      chan error // a blocked submitter waits for its admission (nil) or ErrClosed

	cancel context.CancelCauseFunc // handles only: set by the runner before taskRunning
	done   chan struct{}           // handles only; nil for a RunAsync task
	err    error                   // written before done is closed
}

// A task's states. A task has one state machine: every change of state is a
// transition in the table below, made by compare-and-swap (CAS) or, for the
// transitions into and out of a lane's list, under the core's mutex (mu),
// which Cancel takes too; so whoever makes a transition owns what follows.
// Whoever moves an accepted task to taskDone reports its result and ends it
// (see core.end and core.endOn), exactly once.
//
//	from           to             by
//	(submitted)    taskStarting   submit: it can start at once (the zero state: no store)
//	(submitted)    taskWaiting    submit: room in the lane's mailbox           mu
//	(submitted)    taskBlocked    submit: mailbox full, policy Block           mu
//	taskBlocked    taskWaiting    room freed: its submitter is released        mu
//	taskBlocked    taskStarting   popped from a mailbox of 0                   mu
//	taskBlocked    taskDone       the dispatcher closes: it was never accepted mu
//	taskWaiting    taskStarting   popped for a free slot or a token            mu
//	taskWaiting    taskDone       Cancel, or dropped (forced shutdown)         mu
//	taskStarting   taskRunning    its runner starts the body                   CAS
//	taskStarting   taskDone       Cancel, or its runner drops it               CAS
//	taskRunning    taskCancelled  Cancel: the task's context is cancelled      CAS
//	taskRunning    taskDone       the body returned                            CAS
//	taskCancelled  taskDone       the body returned (result: context.Canceled) store
//
// A RunAsync task has no handle, so no one can cancel it or read its state
// once it runs: it ends in taskRunning, which saves a store per task.
const (
	taskStarting  uint32 = iota // accepted; holds a running slot if limited; on its way to a runner
	taskBlocked                 // in a lane's list; its submitter waits for room (not accepted yet)
	taskWaiting                 // accepted; in a lane's mailbox, waiting for a slot or a token
	taskRunning                 // body running
	taskCancelled               // body running; Cancel won: the result is context.Canceled
	taskDone                    // ended (or, from taskBlocked, turned away)
)

// Cancel cancels the task. A task that has not started yet never starts; a
// running task's context is cancelled (the task must honour it to stop
// soon). Either way [Task.Wait] then reports [context.Canceled], whatever the
// body returns. Cancelling a task that has completed, or cancelling twice,
// has no effect. Cancel does not wait for a running task to return; use
// [Task.Wait] or [Task.Done] for that. It is safe from any goroutine.
func (t *Task) Cancel() {
	if t == nil {
		panic("dispatcher: Cancel called on a nil *Task; use the handle Submit returns")
	}
	for {
		switch t.state.Load() {
		case taskWaiting:
			c := t.lane.c
			c.mu.Lock()
			if t.state.Load() != taskWaiting {
				c.mu.Unlock()
				continue // a runner popped it meanwhile
			}
			t.state.Store(taskDone)
			t.lane.unlinkLocked(t)
			c.mu.Unlock()
			c.end(t, context.Canceled)
			return
		case taskStarting:
			if t.state.CompareAndSwap(taskStarting, taskDone) {
				// Its runner finds it done and only frees its slot.
				t.lane.c.end(t, context.Canceled)
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
// error its body returned; a [*scope.PanicError] if it panicked; an error
// matching [scope.ErrGoexit] if it called [runtime.Goexit];
// [context.Canceled] if it was cancelled with [Task.Cancel]; [ErrClosed] if
// the dispatcher closed (or was shut down) before the task started; [ErrFull]
// if a bounded mailbox with the [Reject] policy turned it away.
//
// If ctx ends first, Wait returns ctx.Err(): ending ctx ends only the
// waiting, not the task. Wait may be called any number of times, from any
// goroutine. It panics if ctx is nil.
func (t *Task) Wait(ctx context.Context) error {
	if t == nil {
		panic("dispatcher: Wait called on a nil *Task; use the handle Submit returns")
	}
	if ctx == nil {
		panic("dispatcher: Wait called with nil ctx; pass context.Background() or the caller's context")
	}
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
func (t *Task) Done() <-chan struct{} {
	if t == nil {
		panic("dispatcher: Done called on a nil *Task; use the handle Submit returns")
	}
	return t.done
}

// complete records err as the result of a handle and releases its waiters.
func (t *Task) complete(err error) {
	t.err = err
	close(t.done)
}
