package dispatcher

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime/debug"

	"github.com/corral-go/corral/scope"
)

// How runners work. A task starts at once: start hands it to an idle
// runner if one waits, and otherwise queues it in pending, and starts a new
// runner unless one is on its way already. A new runner that arrives takes
// the oldest pending task and, if more are pending, starts the next new
// runner before it enters the task's body, which may block for long. So
// while tasks are pending, a runner that is not stuck in a body is always
// on its way, and no task waits for another task's body to end; yet under
// load the pool grows one runner at a time rather than one goroutine per
// task. A runner that finishes its task takes the next one waiting for a
// slot (WithMaxRunning), or the oldest pending one, so goroutines and their
// grown stacks are reused; with nothing to do it waits idle, unless enough
// runners do, or ends.

// start starts t (which holds a running slot, with WithMaxRunning). It is
// called without d.mu held, by a submitter counted in d.submitting.
func (d *Dispatcher) start(t *Task) {
	select {
	case d.idle <- t:
		return
	default:
	}
	d.pmu.Lock()
	d.pushPendingLocked(t)
	spawn := !d.onWay
	d.onWay = true
	d.pmu.Unlock()
	if spawn {
		d.spawn(d.newRun)
	}
}

// spawn starts a runner as a daemon fork of the outer scope.
//
// Starting a fork in a scope that has ended panics. The outer scope cannot
// have ended here: spawn is called by a submitter, and closeAtEnd, itself a
// fork of the outer scope, waits until every submitter has left; or by a
// runner, another fork of it.
func (d *Dispatcher) spawn(run func(ctx context.Context) error) { d.outer.GoDaemon(run) }

// runPending is a new runner's fork function.
func (d *Dispatcher) runPending(ctx context.Context) error {
	d.pmu.Lock()
	d.onWay = false
	t := d.popPendingLocked()
	next := t != nil && d.pending != nil
	if next {
		d.onWay = true
	}
	d.pmu.Unlock()
	if next {
		d.spawn(d.newRun)
	}
	if t == nil {
		return nil // runners that finished their tasks took them all
	}
	growStack()
	return d.runner(ctx, t)
}

// takePending returns the oldest pending task, or nil if there is none.
func (d *Dispatcher) takePending() *Task {
	d.pmu.Lock()
	t := d.popPendingLocked()
	d.pmu.Unlock()
	return t
}

func (d *Dispatcher) pushPendingLocked(t *Task) {
	if d.pendingTail != nil {
		d.pendingTail.next = t
	} else {
		d.pending = t
	}
	d.pendingTail = t
}

func (d *Dispatcher) popPendingLocked() *Task {
	t := d.pending
	if t != nil {
		d.pending, t.next = t.next, nil
		if d.pending == nil {
			d.pendingTail = nil
		}
	}
	return t
}

// growStack makes a new runner's goroutine grow its stack now, while the
// stack is shallow and cheap to copy, rather than deep inside the task's
// scope.Supervised, which needs more than a new goroutine's 2 KiB: the
// runtime copies and adjusts every frame on the stack when it grows it.
//
//go:noinline
func growStack() {
	var frame [2048]byte
	keep(frame[:])
}

//go:noinline
func keep(b []byte) { b[0] = 1 }

// runner runs t, then the tasks that wait for a slot or a runner, for as
// long as there are any. Then it waits a while as an idle runner for a task
// handed over by start, unless enough runners are idle already.
func (d *Dispatcher) runner(ctx context.Context, t *Task) error {
	limited := d.cfg.maxRunning != 0 // then every task here holds a slot
	inTask := false
	defer func() {
		if inTask && limited { // runOne panicked or called runtime.Goexit
			d.mu.Lock()
			d.running--
			d.mu.Unlock()
		}
	}()
	for t != nil {
		inTask = true
		err := d.runOne(ctx, t)
		inTask = false
		t = nil
		if limited {
			d.mu.Lock()
			if err == nil {
				t = d.nextLocked() // takes over the slot
			}
			if t == nil {
				d.running--
			}
			d.mu.Unlock()
		}
		if err != nil {
			return err // a failure with a nil onError fails the outer scope
		}
		if t == nil {
			t = d.takePending()
		}
		if t == nil {
			t = d.awaitTask(ctx)
		}
	}
	return nil
}

// awaitTask waits as an idle runner until start hands it a task or the
// outer scope ends. It returns nil at once if enough runners are idle
// already.
func (d *Dispatcher) awaitTask(ctx context.Context) *Task {
	defer d.idlers.Add(-1)
	if d.idlers.Add(1) > d.maxIdle {
		return nil
	}
	select {
	case t := <-d.idle:
		return t
	case <-ctx.Done():
		return nil
	}
}

// runOne runs a task that was accepted, unless it was cancelled or the
// Dispatcher closed first. It returns an error only for a RunAsync task that
// failed with a nil onError: the runner returns it to fail the outer scope.
func (d *Dispatcher) runOne(outer context.Context, t *Task) error {
	ctx := d.shards[rand.Uint32()%uint32(len(d.shards))]
	if t.done != nil { // a handle: cancellable on its own
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		defer cancel(context.Canceled) // release the context
		t.cancel = cancel
	}
	if !t.state.CompareAndSwap(taskQueued, taskRunning) {
		return nil // cancelled while waiting: Cancel completes it
	}
	if outer.Err() != nil {
		// Closing: a task that has not started is dropped, not started
		// with a context that is already cancelled.
		t.finish(ErrClosed)
		d.report(t, ErrClosed)
		return nil
	}
	if t.done != nil {
		returned := false
		defer func() {
			if !returned {
				t.finish(errGoexit)
			}
		}()
		err := runBody(ctx, t.body)
		returned = true
		t.finish(err)
		return nil
	}
	err := runBody(ctx, t.body)
	if err == nil || isEcho(outer, err) {
		return nil
	}
	if t.onError == nil {
		if pe, ok := err.(*scope.PanicError); ok {
			panic(pe) // the outer scope fails with the original panic and stack
		}
		return err
	}
	t.onError(err)
	return nil
}

// runBody runs body in a nested scope and returns its result, with a panic
// (which [scope.Supervised] raises again once the nested scope has ended) as
// a *scope.PanicError error: this is where a task's panic stops, as net/http
// stops a handler's.
func runBody(ctx context.Context, body func(s *scope.Scope) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			pe, ok := v.(*scope.PanicError)
			if !ok { // not from Supervised, which always panics with one
				pe = &scope.PanicError{Value: v, Stack: debug.Stack()}
			}
			err = pe
		}
	}()
	return scope.Supervised(ctx, body)
}

// isEcho reports whether err only reports the end of the outer scope, whose
// context is outer: that is no failure of the task.
func isEcho(outer context.Context, err error) bool {
	if outer.Err() == nil {
		return false
	}
	if _, ok := err.(*scope.PanicError); ok {
		return false
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.Cause(outer))
}

// report passes err to a RunAsync task's onError, if it has one.
func (d *Dispatcher) report(t *Task, err error) {
	if t.done == nil && t.onError != nil {
		t.onError(err)
	}
}
