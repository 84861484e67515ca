package channel

import "context"

// This file holds the operations that run with c.mu held, and parking.
//
// Invariants, with c.mu held:
//   - a receiver waits only while no value is buffered (c.count == 0), and a
//     sender only while the buffer is full (c.count == c.limit), so a
//     receiver and a sender never both wait;
//   - 0 <= c.count <= c.limit: the buffer never holds more than the capacity;
//   - a node is in a queue (linked) until a counterpart or Close/Fail takes
//     it out to complete it, or its owner takes it out after giving up;
//   - a node whose waiter's state is no longer stateWaiting belongs to a
//     Select that fired on another clause or gave up; whoever finds it in a
//     queue drops it.

// trySendLocked hands v to a waiting receiver or buffers it. It returns ok
// if v was sent, with the receiver's waiter to signal once c.mu is released;
// or the error that ends the channel for senders.
func (c *Chan[T]) trySendLocked(v T) (w *waiter, ok bool, err error) {
	if c.state != stateOpen {
		return nil, false, c.endErrLocked()
	}
	for n := c.recvq.head; n != nil; n = c.recvq.head {
		c.recvq.remove(n)
		if n.lone || n.w.claim(n.idx+1) {
			n.val, n.err = v, nil
			return n.w, true, nil
		}
	}
	if c.count < c.limit {
		c.push(v)
		return nil, true, nil
	}
	return nil, false, nil
}

// tryRecvLocked takes the next value: from the buffer (refilling it from a
// waiting sender) or, on a rendezvous channel, straight from a waiting
// sender. It returns ok if it took one, with a sender's waiter to signal once
// c.mu is released; or the error that ends the channel for receivers.
func (c *Chan[T]) tryRecvLocked() (v T, w *waiter, ok bool, err error) {
	if c.count > 0 {
		v = c.pop()
		if c.sendq.head != nil {
			if n := c.takeSenderLocked(); n != nil {
				c.push(n.val)
				w = n.w
			}
		}
		return v, w, true, nil
	}
	if c.sendq.head != nil {
		if n := c.takeSenderLocked(); n != nil {
			return n.val, n.w, true, nil
		}
	}
	_, err = c.recvEndLocked()
	return v, nil, false, err
}

// takeSenderLocked claims the first waiting sender, dropping the nodes of
// Selects that are already over on its way.
func (c *Chan[T]) takeSenderLocked() *node[T] {
	for n := c.sendq.head; n != nil; n = c.sendq.head {
		c.sendq.remove(n)
		if n.lone || n.w.claim(n.idx+1) {
			n.err = nil
			return n
		}
	}
	return nil
}

// recvEndLocked reports whether receivers are done with the channel, and why.
func (c *Chan[T]) recvEndLocked() (bool, error) {
	switch {
	case c.state == stateFailed:
		return true, c.failure
	case c.state == stateDone && c.count == 0:
		return true, ErrClosed
	}
	return false, nil
}

// endErrLocked is the error of a channel that is no longer open.
func (c *Chan[T]) endErrLocked() error {
	if c.state == stateFailed {
		return c.failure
	}
	return ErrClosed
}

// completeAllLocked takes every node out of q and completes it with err,
// unless its Select is already over.
func (c *Chan[T]) completeAllLocked(q *waitq[T], err error) {
	for n := q.head; n != nil; n = q.head {
		q.remove(n)
		if n.lone || n.w.claim(n.idx+1) {
			n.err = err
			n.w.signal()
		}
	}
}

// removeLocked takes n out of its queue, if it is still in one.
func (c *Chan[T]) removeLocked(n *node[T]) {
	if !n.linked {
		return
	}
	if n.send {
		c.sendq.remove(n)
	} else {
		c.recvq.remove(n)
	}
}

// park waits until n, the node of a Send or Receive, is completed or ctx,
// which can end (done is not nil), ends. It returns ctx.Err() only if
// it took n out of its queue before anybody completed it; otherwise the
// outcome is in n.
func (c *Chan[T]) park(ctx context.Context, done <-chan struct{}, n *node[T]) error {
	select {
	case <-n.ready:
		return nil
	case <-done:
	}
	c.mu.Lock()
	if n.linked { // still queued, so nobody completed it
		c.removeLocked(n)
		c.mu.Unlock()
		return ctx.Err()
	}
	c.mu.Unlock()
	<-n.ready // completed meanwhile: its signal is on the way
	return nil
}

// keptNodes is how many nodes a channel keeps for its own reuse.
const keptNodes = 2

// getNode returns a node for an operation about to wait, with c.mu held:
// one of the channel's kept nodes that is free, else its spare node, else a
// new one. Only one goroutine uses a node at a time, from getNode to
// putNode, and a node is put back only once its owner has consumed every
// signal for it.
//
// A kept node is free once its owner has put it back for its current use:
// n.seq counts its uses and is written only here, under c.mu, and the owner
// publishes n.seq to n.free as its last access. So giving a kept node back
// costs its owner one atomic store, and taking it costs getNode no atomic
// write. When more operations wait at once than there are kept nodes, the
// others share a spare node, as they come back.
func (c *Chan[T]) getNode() *node[T] {
	for _, n := range &c.nodes {
		if n != nil && n.free.Load() == n.seq {
			n.seq++
			return n
		}
	}
	return c.getNodeSlow()
}

// getNodeSlow is getNode when no kept node is free: it returns the spare
// node or a new one, which is kept if the channel keeps fewer than
// keptNodes.
func (c *Chan[T]) getNodeSlow() *node[T] {
	if n := c.spare.Swap(nil); n != nil {
		return n
	}
	n := &node[T]{c: c}
	n.ready = make(chan struct{}, 1)
	for i := range c.nodes {
		if c.nodes[i] == nil {
			c.nodes[i], n.kept, n.seq = n, true, 1
			break
		}
	}
	return n
}

// putNode gives n back; its owner must not touch it afterwards.
func (c *Chan[T]) putNode(n *node[T]) {
	var zero T
	n.w, n.val, n.err = nil, zero, nil
	n.send, n.lone, n.idx = false, false, 0
	if n.kept {
		n.free.Store(n.seq)
	} else {
		c.spare.Store(n)
	}
}

// push appends v to the buffer, growing it if it is full.
func (c *Chan[T]) push(v T) {
	if c.count == len(c.buf) {
		c.grow()
	}
	i := c.head + c.count
	if i >= len(c.buf) {
		i -= len(c.buf)
	}
	c.buf[i] = v
	c.count++
}

func (c *Chan[T]) pop() T {
	var zero T
	v := c.buf[c.head]
	c.buf[c.head] = zero
	if c.head++; c.head == len(c.buf) {
		c.head = 0
	}
	if c.count--; c.count == 0 && len(c.buf) > eagerBuffer {
		c.buf, c.head = nil, 0
	}
	return v
}

// grow doubles the full buffer, up to the channel's capacity.
func (c *Chan[T]) grow() {
	n := min(max(2*len(c.buf), 8), c.limit)
	buf := make([]T, n)
	k := copy(buf, c.buf[c.head:])
	copy(buf[k:], c.buf[:c.head])
	c.buf, c.head = buf, 0
}
