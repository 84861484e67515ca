package channel

import "sync/atomic"

// Waiter states. A waiter starts at stateWaiting; the first successful
// compare-and-swap away from it decides the outcome for good.
const (
	stateWaiting   int32 = 0
	stateCancelled int32 = -1 // the owner gave up: context done
	// Any value i+1 > 0 means clause i fired (0 for a lone Send or Receive).
)

// waiter is a goroutine parked in Send, Receive or Select.
//
// Whoever moves state away from stateWaiting owns the outcome. A counterpart
// (a Send or Receive on the other end, Close or Fail) that wins the swap
// completes the operation on the waiter's behalf and then sends exactly one
// signal on ready; the owner that wins it (its context ended, a timeout
// fired) sends nothing. So a waiter's ready channel carries at most one
// signal per use, and the owner, who always learns of a counterpart's win,
// drains it before the waiter is reused.
//
// A lone Send or Receive (node.lone) skips the swap: its node is in one
// queue only, and both a counterpart and its owner giving up take it out of
// that queue with the channel's lock held, so whoever takes it out owns the
// outcome, and its state is left as it is.
type waiter struct {
	ready chan struct{} // capacity 1
	state atomic.Int32
}

func (w *waiter) claim(to int32) bool { return w.state.CompareAndSwap(stateWaiting, to) }

func (w *waiter) signal() { w.ready <- struct{}{} }

// node is one queued operation on a Chan[T]: a blocked Send or Receive, or
// one clause of a blocked Select. Nodes are linked into a channel's wait
// queues intrusively, so queueing allocates nothing; a channel keeps nodes
// for reuse.
type node[T any] struct {
	waiter // parks this node's goroutine, when w points here

	w          *waiter // the waiter this node belongs to
	c          *Chan[T]
	next, prev *node[T]
	linked     bool
	send       bool  // queued on sendq (else recvq)
	lone       bool  // the node of a Send or Receive, not of a Select (see waiter)
	idx        int32 // clause index; 0 for Send and Receive
	val        T
	err        error

	// Reuse (see Chan.getNode): seq counts the uses of a kept node, and
	// free is the use its owner last gave back.
	kept bool
	seq  uint32
	free atomic.Uint32
}

// waitq is a FIFO of nodes.
type waitq[T any] struct{ head, tail *node[T] }

func (q *waitq[T]) push(n *node[T]) {
	n.next, n.prev, n.linked = nil, q.tail, true
	if q.tail == nil {
		q.head = n
	} else {
		q.tail.next = n
	}
	q.tail = n
}

func (q *waitq[T]) remove(n *node[T]) {
	if n.prev == nil {
		q.head = n.next
	} else {
		n.prev.next = n.next
	}
	if n.next == nil {
		q.tail = n.prev
	} else {
		n.next.prev = n.prev
	}
	n.next, n.prev, n.linked = nil, nil, false
}
