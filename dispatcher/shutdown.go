package dispatcher

import (
	"context"
)

// The lifecycle. A dispatcher is open until it starts closing, which makes
// every later submission return ErrClosed: at the first Shutdown call, or
// when the outer scope's context is cancelled. While closing, the accepted
// tasks (counted in live, with the submitters still in progress) run to
// their end, unless the dispatcher is forced: then the waiting tasks are
// dropped (reported ErrClosed), none starts any more, and the running ones
// see their contexts cancelled. The outer scope's end forces at once; a
// Shutdown forces when its context ends first. Once closing and live is 0,
// drained is closed and the dispatcher's context is cancelled, which ends
// its idle runners and its watch fork.
//
//	open ──Shutdown──▶ closing (draining) ──live == 0──▶ drained
//	  │                       │ Shutdown's ctx ends          ▲
//	  │ outer ends            ▼                              │
//	  └───────────────▶ closing, forced ───live == 0─────────┘

// leave takes one count off live: a task has ended, or a submission that
// was not accepted has returned.
func (c *core) leave() { c.leaveN(1) }

// leaveN takes n counts off live.
func (c *core) leaveN(n int64) {
	if c.live.Add(-n) == 0 && c.closing.Load() {
		c.drain()
	}
}

// drain marks the dispatcher drained: closing, and no task left.
func (c *core) drain() {
	c.drainOnce.Do(func() {
		close(c.drained)
		c.cancel(ErrShutdown) // no effect if the outer scope's end cancelled it
	})
}

// beginClose makes the dispatcher refuse new submissions and turns blocked
// submitters away. Waiting tasks stay: they still run.
func (c *core) beginClose() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.closing.Store(true)
	for d := c.ring; d != nil; d = d.ringNext {
		d.turnAwayLocked()
	}
	c.mu.Unlock()
	// A submitter adds to live before it checks closing, and beginClose
	// sets closing before it reads live: if live reads 0 here, every later
	// submitter sees closing.
	if c.live.Load() == 0 {
		c.drain()
	}
}

// force drops the waiting tasks and cancels the running ones' contexts with
// cause. The dispatcher must be closing already.
func (c *core) force(cause error) {
	c.mu.Lock()
	if c.forced {
		c.mu.Unlock()
		return
	}
	c.forced = true
	var dropped []*Task
	for d := c.ringPopLocked(); d != nil; d = c.ringPopLocked() {
		dropped = d.dropLocked(dropped)
	}
	c.mu.Unlock()
	c.cancel(cause) // no effect if the outer scope's end cancelled it
	c.reportDropped(dropped)
}

// reportDropped ends the tasks dropped from the lanes: the handles complete
// with ErrClosed at once, and the onError functions of RunAsync tasks are
// called by a reporter, a fork of the outer scope, as a runner would call
// them: a panic there fails the outer scope, which reports it with its
// stack.
//
// Starting the fork is safe from any goroutine: the tasks still count in
// live, so the outer scope cannot have ended.
func (c *core) reportDropped(dropped []*Task) {
	var calls []*Task
	for _, t := range dropped {
		switch {
		case t.done != nil:
			c.end(t, ErrClosed)
		case t.onError == nil:
			c.leave()
		default:
			calls = append(calls, t)
		}
	}
	if len(calls) > 0 {
		c.outer.GoDaemonNamed("dispatcher onError", (&reporter{c, calls}).run)
	}
}

// A reporter calls the onError functions of dropped tasks, in order.
type reporter struct {
	c     *core
	tasks []*Task
}

func (r *reporter) run(context.Context) error {
	id := goid()
	r.c.inside.add(id)
	defer r.c.inside.remove(id)
	defer func() {
		// An onError panicked or called runtime.Goexit, which fails the
		// outer scope: the other tasks are still reported, by a new fork
		// (the tasks keep the scope open).
		if len(r.tasks) > 0 {
			r.c.outer.GoDaemonNamed("dispatcher onError", (&reporter{r.c, r.tasks}).run)
		}
	}()
	for len(r.tasks) > 0 {
		t := r.tasks[0]
		r.tasks = r.tasks[1:]
		r.c.endOn(nil, t, ErrClosed)
	}
	return nil
}

// watch is the dispatcher's daemon fork in the outer scope. When the
// dispatcher's context ends (the outer scope is ending, a Shutdown forced,
// or the dispatcher drained), it closes and forces the dispatcher, then
// waits until every accepted task has ended. So the outer scope, which
// waits for its forks, cannot end while a submitter may still start a
// runner, nor before every accepted task has been run or reported.
func (c *core) watch(context.Context) error {
	<-c.ctx.Done()
	c.beginClose()
	c.force(context.Cause(c.ctx))
	<-c.drained
	for _, cancel := range c.cancelShards {
		cancel(ErrShutdown) // cancelled already, with ctx: this releases them
	}
	return nil
}

// calledFromInside reports whether a call with ctx comes from the
// dispatcher's own work: a runner's goroutine (a task's body or onError),
// a fork that reports a dropped task, or a goroutine that holds the context
// of one of its tasks (a fork of a task's scope, or a task of a dispatcher
// created in one of its tasks).
func (c *core) calledFromInside(ctx context.Context) bool {
	mark, _ := ctx.Value(taskKey{}).(*taskMark)
	for ; mark != nil; mark = mark.outer {
		if mark.c == c {
			return true
		}
	}
	return c.inside.has(goid())
}

// Shutdown shuts d down gracefully, like [net/http.Server.Shutdown]: from the
// call on, submissions (on every lane of d) return [ErrClosed], and blocked
// submitters are turned away with ErrClosed; every task that was accepted
// before, waiting or running, runs to its end, and Shutdown returns nil once
// all have ended (their onError calls and handles included) and the
// dispatcher's goroutines are on their way out.
//
// If ctx ends first, Shutdown stops waiting: the tasks still waiting are
// dropped and reported [ErrClosed] (to onError, or by their handles), the
// running tasks' contexts are cancelled with cause [ErrShutdown], and
// Shutdown waits for those to return, then returns ctx.Err(). Tasks that
// ignore their context keep Shutdown waiting, as they would keep the outer
// scope waiting.
//
// Shutdown may be called any number of times, from any goroutine; each call
// waits as described, and one whose ctx ends first forces the shutdown for
// all. After the outer scope's end has closed d, Shutdown returns nil once
// the tasks it cancelled have returned.
//
// A task cannot wait for itself. Called from one of d's own tasks (its body,
// its onError, or a fork of its scope that passes its context), Shutdown
// starts the shutdown and returns nil at once, without waiting and without
// watching ctx: the calling task is one of those that run to their end. If
// ctx has already ended, it forces the shutdown as above and returns
// ctx.Err(), still without waiting.
//
// Shutdown panics if ctx is nil.
func (d *Dispatcher) Shutdown(ctx context.Context) error {
	if d == nil {
		panic("dispatcher: Shutdown called on a nil *Dispatcher; create one with New")
	}
	if ctx == nil {
		panic("dispatcher: Shutdown called with nil ctx; pass context.Background() or the caller's context")
	}
	c := d.c
	c.beginClose()
	if c.calledFromInside(ctx) {
		if err := ctx.Err(); err != nil {
			c.force(ErrShutdown)
			return err
		}
		return nil
	}
	select {
	case <-c.drained:
		return nil
	default:
	}
	select {
	case <-c.drained:
		return nil
	case <-ctx.Done():
	}
	c.force(ErrShutdown)
	<-c.drained
	return ctx.Err()
}
