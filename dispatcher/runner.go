package dispatcher

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/corral-go/corral/internal/catch"
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
// slot (WithLimit), or the oldest pending one, so goroutines and their
// grown stacks are reused; with nothing to do it waits idle, unless enough
// runners do, or ends.

// A runner is a fork of the outer scope that runs tasks: a daemon (it never
// keeps the scope open) and unsupervised (a task's failure, even a
// runtime.Goexit that takes the runner's goroutine with it, is the task's,
// and never fails the outer scope on its own). It is a [scope.Job].
type runner struct {
	c    *core
	pace bool // start as the pacer (see rate.go) rather than take a pending task

	// exited is set when a task's body called runtime.Goexit: the runner's
	// goroutine is going away with it, and that is the task's failure,
	// reported to the task, not the runner's.
	exited bool

	// ended counts the tasks this runner ended that still count in live.
	// Taking each off live at once would make the runners and the
	// submitters share one cache line per task; a runner takes its count
	// off at the latest before it may wait (idle, pacing) or ends, and at
	// once while the dispatcher is closing, so that live only overstates
	// the tasks left while a runner is busy, which keeps live above 0
	// anyway.
	ended int64
}

// taskEnded counts a task that r ended (see ended). A nil runner takes it
// off live at once.
func (r *runner) taskEnded(c *core) {
	if r == nil {
		c.leave()
		return
	}
	r.ended++
	if c.closing.Load() {
		r.flush()
	}
}

// flush takes r's ended tasks off live.
func (r *runner) flush() {
	if n := r.ended; n > 0 {
		r.ended = 0
		r.c.leaveN(n)
	}
}

// start starts t, which is in taskStarting and holds a running slot if the
// dispatcher has a limit.
func (c *core) start(t *Task) {
	select {
	case c.idle <- t:
		return
	default:
	}
	c.pmu.Lock()
	c.pushPendingLocked(t)
	spawn := !c.onWay
	c.onWay = true
	c.pmu.Unlock()
	if spawn {
		// Starting a fork in a scope that has ended panics. The outer
		// scope cannot end while live is above 0 (the dispatcher's watch
		// fork waits for that), and t may end on another runner before
		// this call returns: hold live until the runner has started.
		c.live.Add(1)
		c.spawn(&runner{c: c})
		c.leave()
	}
}

// runnerSpec is how the outer scope runs a runner.
var runnerSpec = scope.ForkSpec{Name: "dispatcher runner", Daemon: true, Unsupervised: true}

// spawn starts r as a fork of the outer scope. The caller makes sure that
// the outer scope has not ended: it holds a count in live, or is a fork of
// the outer scope itself.
func (c *core) spawn(r *runner) { c.outer.Start(runnerSpec, r) }

// Run is a runner's work: tasks, until none is left for it.
func (r *runner) Run(context.Context) error {
	c := r.c
	id := goid()
	c.inside.add(id)
	defer c.inside.remove(id)
	defer r.flush() // also when a task's Goexit or onError's panic ends the runner
	var t *Task
	if r.pace {
		c.pace(r)
	} else {
		t = c.arrive()
	}
	growStack()
	for {
		for t != nil {
			t = c.runOne(r, t)
		}
		if t = c.takePending(); t == nil {
			r.flush()
			if t = c.awaitTask(); t == nil {
				return nil
			}
		}
	}
}

// Finish receives how the runner's goroutine ended. A runtime.Goexit in a
// task's body was that task's failure, reported already. Anything else that
// ended it abnormally came from the user's onError (a panic, with its stack,
// or a Goexit), and fails the outer scope, as it would from a fork: the
// runner is unsupervised, so it reports the failure itself.
func (r *runner) Finish(outcome error) {
	if outcome == nil || r.exited && errors.Is(outcome, scope.ErrGoexit) {
		return
	}
	r.c.fail(outcome)
}

// arrive is the first step of a new runner: it takes the oldest pending
// task and, if more are pending, starts the next new runner.
func (c *core) arrive() *Task {
	c.pmu.Lock()
	c.onWay = false
	t := c.popPendingLocked()
	next := t != nil && c.pending != nil
	if next {
		c.onWay = true
	}
	c.pmu.Unlock()
	if next {
		c.spawn(&runner{c: c})
	}
	return t
}

// takePending returns the oldest pending task, or nil if there is none.
func (c *core) takePending() *Task {
	c.pmu.Lock()
	t := c.popPendingLocked()
	c.pmu.Unlock()
	return t
}

func (c *core) pushPendingLocked(t *Task) {
	if c.pendingTail != nil {
		c.pendingTail.next = t
	} else {
		c.pending = t
	}
	c.pendingTail = t
}

func (c *core) popPendingLocked() *Task {
	t := c.pending
	if t != nil {
		c.pending, t.next = t.next, nil
		if c.pending == nil {
			c.pendingTail = nil
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

// awaitTask waits as an idle runner until start hands it a task or the
// dispatcher's context ends. It returns nil at once if enough runners are
// idle already.
func (c *core) awaitTask() *Task {
	defer c.idlers.Add(-1)
	if c.idlers.Add(1) > c.maxIdle {
		return nil
	}
	select {
	case t := <-c.idle:
		return t
	case <-c.ctx.Done():
		return nil
	}
}

// runOne runs t, a task in taskStarting handed to this runner, unless Cancel
// ended it first or the dispatcher dropped it, and reports its outcome. It
// returns the task to run next, which takes over t's running slot, if any.
//
// If t's body calls runtime.Goexit, or its onError panics or calls
// runtime.Goexit, the runner's goroutine does not survive: runOne's deferred
// call then still frees the slot and hands it on, and the runner's fork
// ends (see runner.finish).
func (c *core) runOne(r *runner, t *Task) (next *Task) {
	shard := c.shards[rand.Uint32()%uint32(len(c.shards))]
	ctx := shard
	if t.done != nil { // a handle: cancellable on its own
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(shard)
		defer cancel(context.Canceled) // release the context
		t.cancel = cancel
	}
	if c.ctx.Err() != nil {
		// Closing without waiting: a task that has not started is dropped,
		// not started with a context that is already cancelled.
		if t.state.CompareAndSwap(taskStarting, taskDone) {
			c.endDropped(r, t)
		}
		return c.release(r, true)
	}
	if !t.state.CompareAndSwap(taskStarting, taskRunning) {
		return c.release(r, true) // cancelled before it started: Cancel ended it
	}
	returned := false
	defer func() {
		if !returned { // this goroutine is going away; hand the slot on
			if n := c.release(r, false); n != nil {
				c.start(n)
			}
		}
	}()
	err := c.runBody(ctx, shard, r, t)
	c.endOn(r, t, c.outcome(t, shard, err))
	returned = true
	return c.release(r, true)
}

// errGoexit is the failure of a task whose body called runtime.Goexit (as
// testing's t.FailNow does) instead of returning.
var errGoexit = fmt.Errorf("dispatcher: task: %w", scope.ErrGoexit)

// runBody runs t's body in a nested scope and returns its result, with a
// panic (which [scope.Supervised] raises again once the nested scope has
// ended) as the *scope.PanicError: this is where a task's panic stops, as
// net/http stops a handler's. A runtime.Goexit cannot be stopped: runBody
// then reports it as the task's failure and does not return.
func (c *core) runBody(ctx, shard context.Context, r *runner, t *Task) (err error) {
	p := catch.Call(func() { err = scope.Supervised(ctx, t.body) }, func() {
		r.exited = true
		c.endOn(r, t, c.outcome(t, shard, errGoexit))
	})
	if p != nil {
		pe, ok := p.Value.(*scope.PanicError)
		if !ok {
			// Supervised panics only with a *PanicError, which names the
			// task's scope; should anything else come, it is reported
			// like one, in the outer scope's name.
			pe = &scope.PanicError{Value: p.Value, Stack: p.Stack, Scope: c.outer.String()}
		}
		return pe
	}
	return err
}

// release frees the running slot of the task this runner just ran, if the
// dispatcher has a limit, and returns the task to run next: the next waiting
// task, which takes the slot over. With a rate limit the next task must wait
// for a token: the runner then becomes the pacer, if there is none, and
// paces (only if mayPace; otherwise it starts a runner to pace) before it
// looks for a task.
func (c *core) release(r *runner, mayPace bool) *Task {
	if !c.gated {
		return nil
	}
	c.mu.Lock()
	if c.cfg.rate == nil {
		t := c.nextLocked()
		if t == nil {
			c.running--
		}
		c.mu.Unlock()
		return t
	}
	if c.cfg.limit != 0 {
		c.running--
	}
	pace := c.wantPacerLocked()
	c.mu.Unlock()
	if pace {
		if mayPace {
			c.pace(r)
		} else {
			c.spawn(&runner{c: c, pace: true})
		}
	}
	return nil
}
