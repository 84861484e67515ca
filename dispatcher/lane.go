package dispatcher

// How a submission is accepted, and how tasks wait in lanes. Everything
// below that ends in Locked runs with the core's mutex held.

// submit accepts t, or returns why not: ErrClosed or ErrFull. Without a
// limit or a rate limit t starts at once; otherwise it starts at once if it
// can without overtaking a waiting task, waits in the lane's mailbox if
// there is room, and else follows the mailbox's policy. On acceptance the
// count that submit adds to live belongs to t until t ends.
func (d *Dispatcher) submit(t *Task) error {
	c := d.c
	c.live.Add(1)
	if c.closing.Load() {
		c.leave()
		return ErrClosed
	}
	if !c.gated {
		c.start(t) // t is taskStarting, the zero state
		return nil
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		c.leave()
		return ErrClosed
	}
	if c.canStartLocked() {
		if c.cfg.limit != 0 {
			c.running++
		}
		c.mu.Unlock()
		c.start(t)
		return nil
	}
	if !c.cfg.bounded || d.waiting < c.cfg.mailbox {
		d.pushLocked(t, taskWaiting)
		pace := c.wantPacerLocked()
		if pace {
			c.live.Add(1) // keeps the outer scope open until the pacer has started
		}
		c.mu.Unlock()
		if pace {
			c.spawn(&runner{c: c, pace: true})
			c.leave()
		}
		return nil
	}
	if c.cfg.policy == Reject {
		c.mu.Unlock()
		c.leave()
		return ErrFull
	}
	// Block: queue t behind the mailbox, so that blocked submitters are
	// served in order, and wait until popLocked or admitLocked accepts it,
	// or the dispatcher's closing turns it away.
	t.ready = make(chan error, 1)
	d.pushLocked(t, taskBlocked)
	c.mu.Unlock()
	if err := <-t.ready; err != nil {
		c.leave()
		return err
	}
	return nil
}

// canStartLocked reports whether a task submitted now may start at once: a
// running slot is free and, with a rate limit, no task waits for a token and
// one is available now. Without a rate limit a free slot implies that no task
// is waiting (a slot that frees goes to the next waiting task at once), so
// starting now overtakes no one.
func (c *core) canStartLocked() bool {
	if !c.slotFreeLocked() {
		return false
	}
	if c.cfg.rate == nil {
		return true
	}
	return !c.pacing && c.ring == nil && c.cfg.rate.Allow()
}

func (c *core) slotFreeLocked() bool { return c.cfg.limit == 0 || c.running < c.cfg.limit }

// pushLocked appends t to the lane's list in state s: taskWaiting for a
// mailbox entry, taskBlocked for a blocked submitter's task.
func (d *Dispatcher) pushLocked(t *Task, s uint32) {
	t.state.Store(s)
	t.prev, t.next = d.tail, nil
	if d.tail != nil {
		d.tail.next = t
	} else {
		d.head = t
	}
	d.tail = t
	if s == taskWaiting {
		d.waiting++
	} else if d.blocked == nil {
		d.blocked = t
	}
	if !d.inRing {
		d.c.ringPushLocked(d)
	}
}

// popLocked removes the lane's oldest task, moves it to taskStarting and
// returns it, or returns nil. A blocked submitter's task popped here starts
// without passing through the mailbox (possible only with a mailbox of 0);
// its submitter is released.
func (d *Dispatcher) popLocked() *Task {
	t := d.head
	if t == nil {
		return nil
	}
	blocked := t.state.Load() == taskBlocked
	d.unlinkLocked(t)
	t.state.Store(taskStarting)
	if blocked {
		t.ready <- nil // accepted: the task may run and end before its submitter wakes
	}
	return t
}

// unlinkLocked takes t out of the lane's list and admits blocked submitters
// into the room that leaves. t's state is still the one it had in the list.
func (d *Dispatcher) unlinkLocked(t *Task) {
	if t == d.blocked {
		d.blocked = t.next
	}
	if t.state.Load() != taskBlocked {
		d.waiting--
	}
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		d.head = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	} else {
		d.tail = t.prev
	}
	t.next, t.prev = nil, nil
	d.admitLocked()
}

// admitLocked moves blocked submitters' tasks into the mailbox while it has
// room, oldest first, and releases their submitters.
func (d *Dispatcher) admitLocked() {
	for d.blocked != nil && d.waiting < d.c.cfg.mailbox {
		t := d.blocked
		d.blocked = t.next
		t.state.Store(taskWaiting)
		d.waiting++
		t.ready <- nil
	}
}

// turnAwayLocked ends the lane's blocked submissions when the dispatcher
// closes: their tasks were never accepted, and their submitters return
// ErrClosed. The mailbox stays.
func (d *Dispatcher) turnAwayLocked() {
	t := d.blocked
	if t == nil {
		return
	}
	if t.prev != nil {
		t.prev.next = nil
	} else {
		d.head = nil
	}
	d.tail, d.blocked = t.prev, nil
	for t != nil {
		next := t.next
		t.next, t.prev = nil, nil
		t.state.Store(taskDone)
		t.ready <- ErrClosed
		t = next
	}
}

// dropLocked empties the lane when the dispatcher drops its waiting tasks,
// and appends them to dropped, to be reported ErrClosed. Blocked submitters
// were turned away already, when the dispatcher closed.
func (d *Dispatcher) dropLocked(dropped []*Task) []*Task {
	for t := d.head; t != nil; {
		next := t.next
		t.next, t.prev = nil, nil
		t.state.Store(taskDone)
		dropped = append(dropped, t)
		t = next
	}
	d.head, d.tail, d.blocked, d.waiting = nil, nil, nil, 0
	return dropped
}

// ringPushLocked appends lane d to the ring of lanes that may have waiting
// tasks.
func (c *core) ringPushLocked(d *Dispatcher) {
	d.inRing, d.ringNext = true, nil
	if c.ringTail != nil {
		c.ringTail.ringNext = d
	} else {
		c.ring = d
	}
	c.ringTail = d
}

// ringPopLocked removes and returns the first lane of the ring, or nil.
func (c *core) ringPopLocked() *Dispatcher {
	d := c.ring
	if d == nil {
		return nil
	}
	c.ring = d.ringNext
	if c.ring == nil {
		c.ringTail = nil
	}
	d.inRing, d.ringNext = false, nil
	return d
}

// nextLocked returns the task that a free running slot (or token) should
// start next, in taskStarting, or nil: the oldest waiting task of the lane
// whose turn it is. That lane then goes to the back of the ring if it has
// more tasks waiting, so that lanes take turns (round-robin) however many
// tasks each has queued. Once the dispatcher has dropped its waiting tasks,
// or its context has ended (the drop is coming), nothing starts.
//
// Lanes whose tasks were all cancelled stay in the ring until their turn
// comes, and are skipped then.
func (c *core) nextLocked() *Task {
	if c.forced || c.ctx.Err() != nil {
		return nil
	}
	for {
		d := c.ringPopLocked()
		if d == nil {
			return nil
		}
		t := d.popLocked()
		if d.head != nil {
			c.ringPushLocked(d)
		}
		if t != nil {
			return t
		}
	}
}
