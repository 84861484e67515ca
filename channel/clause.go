package channel

import "time"

// A Clause is one case of a [Select]: [OnReceive], [OnSend], [OnTimeout] or
// [Default]. A Clause holds no state of its own, so one built before a loop
// can be passed to every Select in it, even to several at once; a nil Clause
// is never chosen, like a nil channel in a select statement, which lets a
// loop switch a clause off without renumbering the others.
type Clause interface {
	// tryFire fires the clause if it can complete at once, taking no lock
	// but its own channel's, for the operation only: Select's fast pass.
	// A fallback never fires there.
	tryFire() bool
}

// There are two families of clauses. An op (OnReceive, OnSend) is an
// operation on a channel; a *fallback (Default, OnTimeout) fires only when
// no op can. Select tells them apart once, in selector.classify.

// An op is a clause that sends on or receives from a channel. Besides the
// fast pass, Select drives it through these steps, with its channel locked
// for all but the last:
//
//  1. pollLocked: complete the operation now if it can.
//  2. enqueueLocked: otherwise queue a node for it, owned by the Select's
//     waiter, for a counterpart to complete.
//  3. dequeueLocked (on the queued node): once the Select has woken, take
//     the node out of its queue if nobody completed it.
//  4. finish, with no lock held: deliver the outcome to the clause's
//     function and give the node back.
type op interface {
	Clause
	// lock is the lock of the op's channel.
	lock() *core
	// pollLocked completes the operation if it can complete now. Then ok
	// is set, n (possibly nil) holds the outcome for finish, and wake, if
	// not nil, is a counterpart to signal once the locks are released.
	// If the channel has ended for this operation, err says how.
	pollLocked() (n queued, wake *waiter, ok bool, err error)
	// enqueueLocked queues a node for clause i owned by w. For the first
	// op queued w is nil, and Select then makes the node lend its own
	// waiter (queued.lendWaiter).
	enqueueLocked(w *waiter, i int) queued
	// finish delivers the outcome in n, from pollLocked or a completed
	// enqueueLocked, and returns the clause's error.
	finish(n queued) error
}

// queued is a node an op put in its channel's queue, or took a value into:
// a *node[T], seen without its type.
type queued interface {
	// lendWaiter makes the node's own waiter its owner and returns it,
	// for a Select to park on (see selector.enqueueLocked).
	lendWaiter() *waiter
	dequeueLocked()
	// release gives the node back to its channel, for a clause that did
	// not fire.
	release()
}

// OnReceive returns a clause that receives a value from c and passes it to
// f, which may be nil. If c is done and drained or failed, and no other
// clause can fire, the clause is chosen with [ErrClosed] or the failure and f
// is not called. A nil c panics.
func OnReceive[T any](c *Chan[T], f func(v T)) Clause {
	if c == nil {
		panic("channel: OnReceive called with nil channel; pass a channel made by New, or a nil Clause to switch the clause off")
	}
	return &recvClause[T]{c: c, f: f}
}

// OnSend returns a clause that sends v on c and then calls f, which may be
// nil. If c is done or failed, and no other clause can fire, the clause is
// chosen with [ErrClosed] or the failure and f is not called; v is not sent.
// A nil c panics.
func OnSend[T any](c *Chan[T], v T, f func()) Clause {
	if c == nil {
		panic("channel: OnSend called with nil channel; pass a channel made by New, or a nil Clause to switch the clause off")
	}
	return &sendClause[T]{c: c, v: v, f: f}
}

// OnTimeout returns a clause that fires, calling f (which may be nil), when
// d has passed since Select was called and no other clause fired first. With
// d <= 0 it fires at once if no other clause can, like [Default]. When a
// Select has several, the shortest counts.
func OnTimeout(d time.Duration, f func()) Clause { return &fallback{f: f, d: d} }

// Default returns a clause that fires, calling f (which may be nil), when no
// other clause can fire at once, so that Select does not wait. A Select
// accepts at most one Default.
func Default(f func()) Clause { return &fallback{f: f, isDefault: true} }

// fallback is the clause of Default and OnTimeout.
type fallback struct {
	f         func()
	d         time.Duration // OnTimeout's
	isDefault bool
}

func (*fallback) tryFire() bool { return false }

func (cl *fallback) fire() {
	if cl.f != nil {
		cl.f()
	}
}

type recvClause[T any] struct {
	c *Chan[T]
	f func(T)
}

func (cl *recvClause[T]) lock() *core { return &cl.c.core }

func (cl *recvClause[T]) tryFire() bool {
	c := cl.c
	c.mu.Lock()
	v, w, ok, _ := c.tryRecvLocked()
	c.mu.Unlock()
	if !ok {
		return false
	}
	if w != nil {
		w.signal()
	}
	if cl.f != nil {
		cl.f(v)
	}
	return true
}

func (cl *recvClause[T]) pollLocked() (queued, *waiter, bool, error) {
	c := cl.c
	v, w, ok, err := c.tryRecvLocked()
	if !ok {
		return nil, nil, false, err
	}
	n := c.getNode() // to carry v to finish
	n.val = v
	return n, w, true, nil
}

func (cl *recvClause[T]) enqueueLocked(w *waiter, i int) queued {
	c := cl.c
	n := c.getNode()
	n.w, n.idx = w, int32(i)
	c.recvq.push(n)
	return n
}

func (cl *recvClause[T]) finish(q queued) error {
	n := q.(*node[T])
	v, err := n.val, n.err
	cl.c.putNode(n)
	if err == nil && cl.f != nil {
		cl.f(v)
	}
	return err
}

type sendClause[T any] struct {
	c *Chan[T]
	v T
	f func()
}

func (cl *sendClause[T]) lock() *core { return &cl.c.core }

func (cl *sendClause[T]) tryFire() bool {
	c := cl.c
	c.mu.Lock()
	w, ok, _ := c.trySendLocked(cl.v)
	c.mu.Unlock()
	if !ok {
		return false
	}
	if w != nil {
		w.signal()
	}
	if cl.f != nil {
		cl.f()
	}
	return true
}

func (cl *sendClause[T]) pollLocked() (queued, *waiter, bool, error) {
	w, ok, err := cl.c.trySendLocked(cl.v)
	return nil, w, ok, err
}

func (cl *sendClause[T]) enqueueLocked(w *waiter, i int) queued {
	c := cl.c
	n := c.getNode()
	n.w, n.idx, n.send, n.val = w, int32(i), true, cl.v
	c.sendq.push(n)
	return n
}

func (cl *sendClause[T]) finish(q queued) error {
	var err error
	if q != nil { // nil when pollLocked sent the value
		n := q.(*node[T])
		err = n.err
		cl.c.putNode(n)
	}
	if err == nil && cl.f != nil {
		cl.f()
	}
	return err
}

// lendWaiter implements queued. A lone Send or Receive leaves its waiter's
// state as it was (see waiter), so it is reset here.
func (n *node[T]) lendWaiter() *waiter {
	n.state.Store(stateWaiting)
	n.w = &n.waiter
	return n.w
}

func (n *node[T]) dequeueLocked() { n.c.removeLocked(n) }

func (n *node[T]) release() { n.c.putNode(n) }
