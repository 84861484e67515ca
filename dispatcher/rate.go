package dispatcher

import (
	"fmt"
	"time"
)

// Pacing (WithRateLimit). Tasks that wait for a token wait in the lanes'
// mailboxes, like tasks that wait for a running slot. One runner at a time,
// the pacer (c.pacing), reserves a token, waits until it is due, then pops
// the next waiting task in the fair order (nextLocked) and hands it to a
// runner, and goes on while tasks wait and slots are free. The role is
// taken by a submitter's new runner when a task has to wait and nobody
// paces, and by a runner that frees a slot while tasks wait. A submission
// may start its task at once only if nobody paces, nothing waits and a
// token is available now (canStartLocked), so no task overtakes another.

// wantPacerLocked reports whether a task waits for a token with nobody to
// pace it and a slot free; if so, the caller becomes (or starts) the pacer.
func (c *core) wantPacerLocked() bool {
	if c.cfg.rate == nil || c.pacing || c.ring == nil || !c.slotFreeLocked() || c.forced {
		return false
	}
	c.pacing = true
	return true
}

// pace is the pacer's loop, run by a runner (see above). It returns, giving
// up the role, when no task waits, no slot is free, or the dispatcher stops
// starting tasks.
func (c *core) pace(r *runner) {
	r.flush() // before it waits
	for {
		c.mu.Lock()
		if c.ring == nil || !c.slotFreeLocked() || c.forced || c.ctx.Err() != nil {
			c.pacing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()

		res := c.cfg.rate.Reserve()
		if res.OK() {
			if delay := res.Delay(); delay > 0 {
				timer := time.NewTimer(delay)
				select {
				case <-timer.C:
				case <-c.ctx.Done():
					timer.Stop()
					res.Cancel()
					continue // the loop gives up the role
				}
			}
		}

		c.mu.Lock()
		t := c.nextLocked()
		if t != nil && res.OK() && c.cfg.limit != 0 {
			c.running++
		}
		c.mu.Unlock()
		switch {
		case t == nil:
			res.Cancel() // the waiting tasks were cancelled meanwhile
		case res.OK():
			c.start(t)
		default:
			// The limiter's burst is 0: no token can ever be granted.
			if t.state.CompareAndSwap(taskStarting, taskDone) {
				c.endOn(r, t, fmt.Errorf("dispatcher: the rate limiter grants no token (burst %d)", c.cfg.rate.Burst()))
				r.flush()
			}
		}
	}
}
