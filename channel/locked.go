package channel

import "context"

// This file holds the operations that run with c.mu held, and parking.
//
// Invariants, with c.mu held:
//   - a receiver waits only while no value is buffered (c.count == 0), and a
//     sender that can be completed (not kindNotify) waits only while the
//     buffer is full;
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
		c.recvq.remove(n) // as removeLocked: n is linked, a receiver
		if n.lone || n.w.claim(n.idx+1) {
			n.val, n.err = v, nil
			if n.kind == kindProvisional {
				n.inFlight = true
				c.inFlight++
			}
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
		if c.sendq.head != nil && c.count < c.limit {
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

// takeSenderLocked claims the first waiting sender whose value can be taken.
// When there is none, it nudges the Selects whose sends only a nudge can
// complete (kindNotify), since a receiver or room for a value is there now.
// A receiver about to wait has always come through here in the same
// critical section, so the nudged Select, which needs c.mu to look again,
// finds it queued.
func (c *Chan[T]) takeSenderLocked() *node[T] {
	for n := c.sendq.head; n != nil; {
		next := n.next
		if n.kind != kindNotify {
			c.sendq.remove(n) // as removeLocked: n is linked, not kindNotify
			if n.lone || n.w.claim(n.idx+1) {
				n.err = nil
				return n
			}
		}
		n = next
	}
	c.nudgeLocked()
	return nil
}

// nudgeLocked nudges every kindNotify sender.
func (c *Chan[T]) nudgeLocked() {
	if c.notify == 0 {
		return
	}
	for n := c.sendq.head; n != nil; n = n.next {
		if n.kind == kindNotify {
			n.w.nudge()
		}
	}
}

// recvEndLocked reports whether receivers are done with the channel, and why.
func (c *Chan[T]) recvEndLocked() (bool, error) {
	switch {
	case c.state == stateFailed:
		return true, c.failure
	case c.state == stateDone && c.count == 0 && c.inFlight == 0:
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

// settleLocked restores the invariants after a value was put back or an
// in-flight value settled: buffered values go to waiting receivers, and
// once a done channel is drained its receivers wake with ErrClosed.
func (c *Chan[T]) settleLocked() {
	for c.count > 0 && c.recvq.head != nil {
		n := c.recvq.head
		c.recvq.remove(n) // as removeLocked: n is linked, a receiver
		if n.lone || n.w.claim(n.idx+1) {
			n.val, n.err = c.pop(), nil
			if n.kind == kindProvisional {
				n.inFlight = true
				c.inFlight++
			}
			n.w.signal()
		}
	}
	if end, err := c.recvEndLocked(); end {
		for n := c.recvq.head; n != nil; n = c.recvq.head {
			c.removeLocked(n)
			completeLocked(n, err)
		}
	}
}

// completeLocked completes n with err, unless its Select is already over.
func completeLocked[T any](n *node[T], err error) {
	if n.lone || n.w.claim(n.idx+1) {
		n.err = err
		n.w.signal()
	}
}

func (c *Chan[T]) removeLocked(n *node[T]) {
	if !n.linked {
		return
	}
	if n.send {
		c.sendq.remove(n)
		if n.kind == kindNotify {
			c.notify--
		}
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
	n.send, n.kind, n.inFlight, n.lone, n.idx = false, kindPlain, false, false, 0
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

// pushFront puts v back at the head of the buffer.
func (c *Chan[T]) pushFront(v T) {
	if c.count == len(c.buf) {
		c.grow()
	}
	if c.head--; c.head < 0 {
		c.head = len(c.buf) - 1
	}
	c.buf[c.head] = v
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

// grow doubles the full buffer, up to the channel's capacity unless a value
// is being put back into a full channel.
func (c *Chan[T]) grow() {
	n := max(2*len(c.buf), 8)
	if c.count < c.limit {
		n = min(n, c.limit)
	}
	buf := make([]T, n)
	k := copy(buf, c.buf[c.head:])
	copy(buf[k:], c.buf[:c.head])
	c.buf, c.head = buf, 0
}
