package dispatcher

import (
	"context"
	"runtime/debug"

	"github.com/corral-go/corral/scope"
)

// ringPushLocked appends l to the ring of lanes that may have waiting tasks.
func (d *Dispatcher) ringPushLocked(l *Lane) {
	l.inRing, l.ringNext = true, nil
	if d.ringTail != nil {
		d.ringTail.ringNext = l
	} else {
		d.ring = l
	}
	d.ringTail = l
}

// ringPopLocked removes and returns the first lane of the ring, or nil.
func (d *Dispatcher) ringPopLocked() *Lane {
	l := d.ring
	if l == nil {
		return nil
	}
	d.ring = l.ringNext
	if d.ring == nil {
		d.ringTail = nil
	}
	l.inRing, l.ringNext = false, nil
	return l
}

// nextLocked returns the task that a freed running slot should run next, or
// nil: the oldest waiting task of the lane whose turn it is. That lane then
// goes to the back of the ring if it has more tasks waiting, so that lanes
// take turns (round-robin) however many tasks each has queued.
//
// Lanes whose tasks were all cancelled stay in the ring until their turn
// comes, and are skipped then.
func (d *Dispatcher) nextLocked() *Task {
	if d.closed {
		return nil
	}
	for {
		l := d.ringPopLocked()
		if l == nil {
			return nil
		}
		t := l.popLocked()
		if l.head != nil {
			d.ringPushLocked(l)
		}
		if t != nil {
			return t
		}
	}
}

// leave marks the end of a submission (see closeAtEnd).
func (d *Dispatcher) leave() {
	if d.submitting.Add(-1) == 0 && d.closing.Load() {
		select {
		case d.drained <- struct{}{}:
		default: // closeAtEnd has a wake-up waiting already
		}
	}
}

// unqueue takes a task that Cancel claimed out of its lane, if it is still
// there.
func (d *Dispatcher) unqueue(t *Task) {
	d.mu.Lock()
	t.lane.unlinkLocked(t)
	d.mu.Unlock()
}

// closeAtEnd is the Dispatcher's daemon fork. It waits for the outer scope's
// context to end, then closes the Dispatcher: later submissions and blocked
// submitters get ErrClosed, and the tasks still waiting in mailboxes are
// dropped (tasks waiting for a runner are dropped by the runner, which sees
// the outer context cancelled). It returns once no submitter can still
// start a fork, so that every fork starts while the outer scope is open.
func (d *Dispatcher) closeAtEnd(ctx context.Context) error {
	<-ctx.Done()
	d.closing.Store(true)
	d.mu.Lock()
	d.closed = true
	var dropped []*Task
	for l := d.ringPopLocked(); l != nil; l = d.ringPopLocked() {
		dropped = l.drainLocked(dropped)
	}
	d.mu.Unlock()
	defer d.awaitSubmitters() // even if an onError panics

	for _, t := range dropped {
		t.complete(ErrClosed)
	}
	// onError is the user's code: one that panics must not keep the others
	// from hearing about their tasks. The first panic fails the outer scope
	// once they all have.
	var first *scope.PanicError
	for _, t := range dropped {
		if pe := d.reportSafely(t); pe != nil && first == nil {
			first = pe
		}
	}
	if first != nil {
		panic(first)
	}
	return nil
}

// awaitSubmitters waits until every submitter that did not see closing has
// left submit, and so has started its task's fork, if any.
func (d *Dispatcher) awaitSubmitters() {
	for d.submitting.Load() > 0 {
		<-d.drained
	}
	for _, cancel := range d.cancelShards {
		cancel(context.Cause(d.outer.Context())) // cancelled already: this releases them
	}
}

func (d *Dispatcher) reportSafely(t *Task) (pe *scope.PanicError) {
	defer func() {
		if v := recover(); v != nil {
			pe = &scope.PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	d.report(t, ErrClosed)
	return nil
}
