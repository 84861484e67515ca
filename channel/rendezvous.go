package channel

import "context"

// The rendezvous fast path: a Send or Receive on a channel of capacity 0
// that meets its counterpart, or waits for one, without taking c.mu.
//
// A channel has two nodes for it, c.fsend for a Send and c.frecv for a
// Receive, and one word, c.rdv, that says who waits and which nodes are in
// use:
//
//   - rdvSendBusy, rdvRecvBusy: an operation owns that node, from taking it
//     until it has consumed the node's signal. Only the owner clears it.
//     The nodes are allocated on first use by their owner; rdvRecvNode
//     says c.frecv exists (see recvFast).
//   - the slot (rdvSlot bits): rdvEmpty, nobody waits and no node is
//     queued; rdvSend or rdvRecv, the owner of c.fsend or c.frecv waits
//     there for a counterpart; rdvGate, the locked path is in charge,
//     because someone holds c.mu to change the queues or the state, a node
//     is queued, or the channel has ended.
//
// A Receive with nothing to take publishes c.frecv with one
// compare-and-swap (the node is taken and waits); a Send takes c.fsend,
// writes its value, then publishes it. A counterpart claims the waiting
// node with a compare-and-swap of the slot back to rdvEmpty, completes it
// and signals it; the owner giving up takes it back the same way. Whoever
// moves the slot owns the outcome, as with a lone node in a queue (see
// waiter). When the slot shows the gate, or the node it needs is busy, an
// operation takes the locked path.
//
// lockQueues raises the gate, moving a node that waits in the slot to its
// (empty) queue, where the locked path treats it like any lone node;
// unlockQueues lowers it once the queues are empty and the channel open. So
// a node waits in the slot only while both queues are empty, and a sender
// and a receiver never both wait.
//
// The word is an integer, not a pointer, so that every step is one
// instruction (atomic pointers pay for the garbage collector's write
// barrier), and a slot that shows rdvRecv again after a claim (the node
// given back and published anew) still means that a receiver waits in
// c.frecv, so a compare-and-swap that succeeds claims a real waiter.
const (
	rdvEmpty    uint32 = 0
	rdvGate     uint32 = 1
	rdvSend     uint32 = 2
	rdvRecv     uint32 = 3
	rdvSlot     uint32 = 3 // the slot's bits
	rdvSendBusy uint32 = 1 << 2
	rdvRecvBusy uint32 = 1 << 3
	rdvRecvNode uint32 = 1 << 4
)

// lockQueues locks c for a change to its queues or state, raising the
// gate of a rendezvous channel.
func (c *Chan[T]) lockQueues() {
	c.mu.Lock()
	if c.limit != 0 {
		return
	}
	for {
		s := c.rdv.Load()
		slot := s & rdvSlot
		if slot == rdvGate {
			return
		}
		if c.rdv.CompareAndSwap(s, s&^rdvSlot|rdvGate) {
			switch slot {
			case rdvSend:
				c.sendq.push(c.fsend)
			case rdvRecv:
				c.recvq.push(c.frecv)
			}
			return
		}
	}
}

// unlockQueues unlocks c, lowering the gate if the fast path can run.
func (c *Chan[T]) unlockQueues() {
	if c.limit == 0 && c.state == stateOpen && c.sendq.head == nil && c.recvq.head == nil {
		c.rdv.And(^rdvSlot) // the gate is up, so the slot bits are rdvGate
	}
	c.mu.Unlock()
}

// newFastNode returns a node for the fast path.
func (c *Chan[T]) newFastNode() *node[T] {
	n := &node[T]{c: c}
	n.ready = make(chan struct{}, 1)
	n.w, n.lone = &n.waiter, true
	return n
}

// sendFast is Send on the fast path. It returns handled=false, having done
// nothing, when the locked path must run.
func (c *Chan[T]) sendFast(ctx context.Context, done <-chan struct{}, v T) (handled bool, err error) {
	for {
		s := c.rdv.Load()
		switch s & rdvSlot {
		case rdvRecv: // a receiver waits: claim it
			if c.rdv.CompareAndSwap(s, s&^rdvSlot) {
				n := c.frecv
				n.val, n.err = v, nil
				n.signal()
				return true, nil
			}
		case rdvEmpty:
			if s&rdvSendBusy != 0 {
				return false, nil
			}
			if !c.rdv.CompareAndSwap(s, s|rdvSendBusy) {
				continue
			}
			if c.fsend == nil {
				c.fsend = c.newFastNode()
				c.fsend.send = true
			}
			n := c.fsend
			n.val = v
			if !c.publish(rdvSend) {
				n.val = *new(T)
				c.rdv.And(^rdvSendBusy)
				continue // a receiver came, or the gate
			}
			err = c.parkFast(ctx, done, n, rdvSend)
			n.val, n.err = *new(T), nil
			c.rdv.And(^rdvSendBusy)
			return true, err
		default: // the gate, or a sender waits
			return false, nil
		}
	}
}

// publish moves the slot from rdvEmpty to slot, for the owner of the
// slot's node. It fails if the slot is no longer empty.
func (c *Chan[T]) publish(slot uint32) bool {
	for {
		s := c.rdv.Load()
		if s&rdvSlot != rdvEmpty {
			return false
		}
		if c.rdv.CompareAndSwap(s, s|slot) {
			return true
		}
	}
}

// recvFast is Receive on the fast path; see sendFast.
func (c *Chan[T]) recvFast(ctx context.Context, done <-chan struct{}) (handled bool, v T, err error) {
	for {
		s := c.rdv.Load()
		switch s & rdvSlot {
		case rdvSend: // a sender waits: claim it
			if c.rdv.CompareAndSwap(s, s&^rdvSlot) {
				n := c.fsend
				v, n.err = n.val, nil
				n.signal()
				return true, v, nil
			}
		case rdvEmpty:
			if s&rdvRecvBusy != 0 {
				return false, v, nil
			}
			if s&rdvRecvNode == 0 {
				// The first Receive to wait allocates c.frecv, owning it.
				if c.rdv.CompareAndSwap(s, s|rdvRecvBusy) {
					c.frecv = c.newFastNode()
					c.rdv.Or(rdvRecvNode)
					c.rdv.And(^rdvRecvBusy)
				}
				continue
			}
			// Take the node and wait in the slot, in one step: the node
			// needs nothing written before a sender can complete it.
			if !c.rdv.CompareAndSwap(s, s|rdvRecvBusy|rdvRecv) {
				continue
			}
			n := c.frecv
			if err = c.parkFast(ctx, done, n, rdvRecv); err == nil {
				v = n.val
			}
			n.val, n.err = *new(T), nil
			c.rdv.And(^rdvRecvBusy)
			return true, v, err
		default: // the gate, or a receiver waits
			return false, v, nil
		}
	}
}

// parkFast waits until n, waiting in the slot as slot, is completed or ctx
// ends. It returns ctx.Err() only if n was taken back before anybody
// completed it; otherwise n.err.
func (c *Chan[T]) parkFast(ctx context.Context, done <-chan struct{}, n *node[T], slot uint32) error {
	if done == nil {
		<-n.ready
		return n.err
	}
	select {
	case <-n.ready:
		return n.err
	case <-done:
	}
	for {
		s := c.rdv.Load()
		if s&rdvSlot != slot {
			break // claimed, or queued by the locked path
		}
		if c.rdv.CompareAndSwap(s, s&^rdvSlot) {
			return ctx.Err()
		}
	}
	c.lockQueues()
	if n.linked {
		c.removeLocked(n)
		c.unlockQueues()
		return ctx.Err()
	}
	c.unlockQueues()
	<-n.ready // completed: its signal is on the way
	return n.err
}
