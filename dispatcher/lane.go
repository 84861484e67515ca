package dispatcher

import (
	"context"

	"github.com/corral-go/corral/scope"
)

// A Lane is one caller's queue into a [Dispatcher]: give each independent
// source of work (a connection, a tenant, a subscription) its own lane, and a
// source that floods the dispatcher delays only its own tasks. Create one
// with [Dispatcher.NewLane]; the Dispatcher's own methods use its default
// lane.
//
// Lanes matter only when tasks wait, that is with [WithMaxRunning]. Waiting
// tasks then start lane by lane in turn (round-robin), first-in first-out
// within a lane; a bounded mailbox ([WithMailbox]) bounds each lane
// separately. A Lane holds nothing while it has no waiting task, so there is
// nothing to close: drop it when its caller goes away.
//
// A Lane is safe for concurrent use.
type Lane struct {
	d *Dispatcher

	// Guarded by d.mu. The list holds the lane's waiting tasks, oldest
	// first: first the admitted ones (the mailbox), then those of blocked
	// submitters, from blocked on.
	head, tail *Task
	waiting    int   // admitted tasks in the list
	blocked    *Task // the first task of a blocked submitter, or nil
	inRing     bool  // in d's ring of lanes that may have waiting tasks
	ringNext   *Lane
}

// RunAsync is [Dispatcher.RunAsync] in this lane.
func (l *Lane) RunAsync(task func(s *scope.Scope) error, onError func(err error)) error {
	mustTask("RunAsync", task)
	return l.submit(context.Background(), &Task{body: task, onError: onError})
}

// RunAsyncContext is [Dispatcher.RunAsyncContext] in this lane.
func (l *Lane) RunAsyncContext(ctx context.Context, task func(s *scope.Scope) error, onError func(err error)) error {
	mustTask("RunAsyncContext", task)
	mustCtx("RunAsyncContext", ctx)
	return l.submit(ctx, &Task{body: task, onError: onError})
}

// Submit is [Dispatcher.Submit] in this lane.
func (l *Lane) Submit(task func(s *scope.Scope) error) *Task {
	mustTask("Submit", task)
	t := newHandle(task)
	if err := l.submit(context.Background(), t); err != nil {
		t.state.Store(taskDone)
		t.complete(err)
	}
	return t
}

// SubmitContext is [Dispatcher.SubmitContext] in this lane.
func (l *Lane) SubmitContext(ctx context.Context, task func(s *scope.Scope) error) *Task {
	mustTask("SubmitContext", task)
	mustCtx("SubmitContext", ctx)
	t := newHandle(task)
	if err := l.submit(ctx, t); err != nil {
		t.state.Store(taskDone)
		t.complete(err)
	}
	return t
}

// submit accepts t: it starts it at once if there is no limit on running
// tasks or a running slot is free, queues it if the lane's mailbox has room,
// and otherwise applies the full-mailbox policy. A nil result means t was accepted and will run or be completed by
// the dispatcher; otherwise t was not published anywhere.
func (l *Lane) submit(ctx context.Context, t *Task) error {
	d := l.d
	t.lane = l
	d.submitting.Add(1)
	defer d.leave()
	if d.closing.Load() {
		return ErrClosed
	}
	if d.cfg.maxRunning == 0 {
		d.start(t)
		return nil
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return ErrClosed
	}
	if d.running < d.cfg.maxRunning {
		// A free slot implies that no task is waiting (a slot that frees
		// goes to the next waiting task at once), so starting t now does
		// not overtake anyone.
		d.running++
		d.mu.Unlock()
		d.start(t)
		return nil
	}
	if !d.cfg.bounded || l.waiting < d.cfg.mailbox {
		l.pushLocked(t, true)
		d.mu.Unlock()
		return nil
	}
	if d.cfg.policy == Reject {
		d.mu.Unlock()
		return ErrFull
	}
	// Block: queue t behind the mailbox, so blocked submitters are served
	// in order, and wait for popLocked or admitLocked to admit it.
	t.ready = make(chan struct{})
	l.pushLocked(t, false)
	d.mu.Unlock()
	select {
	case <-t.ready:
	case <-ctx.Done():
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case t.admitted:
		return nil // accepted, even if ctx ended meanwhile
	case t.rejected != nil:
		return t.rejected
	}
	l.unlinkLocked(t)
	return ctx.Err()
}

// pushLocked appends t to the lane's list, as a mailbox entry if admitted and
// as a blocked submitter's otherwise.
func (l *Lane) pushLocked(t *Task, admitted bool) {
	t.inQueue, t.admitted = true, admitted
	t.prev, t.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = t
	} else {
		l.head = t
	}
	l.tail = t
	if admitted {
		l.waiting++
	} else if l.blocked == nil {
		l.blocked = t
	}
	if !l.inRing {
		l.d.ringPushLocked(l)
	}
}

// popLocked removes and returns the lane's oldest task, or nil. A blocked
// submitter's task popped here starts without passing through the mailbox
// (possible only with a mailbox of 0); its submitter is released.
func (l *Lane) popLocked() *Task {
	t := l.head
	if t == nil {
		return nil
	}
	l.unlinkLocked(t)
	if t.ready != nil && !t.admitted {
		t.admitted = true
		close(t.ready)
	}
	return t
}

// unlinkLocked takes t out of the lane's list, if it is still there, and
// admits blocked submitters into the room that leaves.
func (l *Lane) unlinkLocked(t *Task) {
	if !t.inQueue {
		return
	}
	t.inQueue = false
	if t == l.blocked {
		l.blocked = t.next
	}
	if t.admitted {
		l.waiting--
	}
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		l.head = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	} else {
		l.tail = t.prev
	}
	t.next, t.prev = nil, nil
	l.admitLocked()
}

// admitLocked moves blocked submitters' tasks into the mailbox while it has
// room, oldest first, and releases their submitters.
func (l *Lane) admitLocked() {
	for l.blocked != nil && l.waiting < l.d.cfg.mailbox {
		t := l.blocked
		l.blocked = t.next
		t.admitted = true
		l.waiting++
		close(t.ready)
	}
}

// drainLocked empties the lane when the dispatcher closes: blocked
// submitters are turned away with ErrClosed, and the admitted tasks that no
// Cancel has claimed are appended to dropped, to be completed with ErrClosed.
func (l *Lane) drainLocked(dropped []*Task) []*Task {
	for t := l.head; t != nil; {
		next := t.next
		t.inQueue, t.next, t.prev = false, nil, nil
		switch {
		case !t.admitted:
			t.rejected = ErrClosed
			close(t.ready)
		case t.state.CompareAndSwap(taskQueued, taskDone):
			dropped = append(dropped, t)
		}
		t = next
	}
	l.head, l.tail, l.blocked, l.waiting = nil, nil, nil, 0
	return dropped
}

func mustTask(method string, task func(s *scope.Scope) error) {
	if task == nil {
		panic("dispatcher: " + method + " called with nil task")
	}
}

func mustCtx(method string, ctx context.Context) {
	if ctx == nil {
		panic("dispatcher: " + method + " called with nil ctx")
	}
}
