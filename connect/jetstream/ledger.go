package jetstream

import (
	"context"
	"sync"
	"time"

	natsjs "github.com/nats-io/nats.go/jetstream"
)

// A ledger counts the messages that one run of a FromConsumer source has
// passed on and that still hold a credit.
//
// Invariants (under mu):
//   - outstanding <= limit, and outstanding is the number of messages held:
//     passed on, not settled successfully, and not past their deadline;
//   - the list head..tail holds exactly the held messages, in order of
//     deadline (a deadline is always now+ackWait when set, so appending
//     keeps the order).
type ledger struct {
	limit   int
	ackWait time.Duration
	wake    chan struct{} // cap 1: a release freed the first credit

	mu          sync.Mutex
	outstanding int
	head, tail  *Msg
	peak        int // highest outstanding seen, for tests
}

func newLedger(limit int, ackWait time.Duration) *ledger {
	return &ledger{limit: limit, ackWait: ackWait, wake: make(chan struct{}, 1)}
}

// wait returns once a credit is free, releasing the credits of messages
// past their deadline, or with ctx's error.
func (l *ledger) wait(ctx context.Context, timer *time.Timer) error {
	for {
		now := time.Now()
		l.mu.Lock()
		for l.head != nil && !l.head.deadline.After(now) {
			l.dropLocked(l.head) // the server delivers it again
		}
		free := l.outstanding < l.limit
		var next time.Time
		if l.head != nil {
			next = l.head.deadline
		}
		l.mu.Unlock()
		if free {
			return nil
		}
		timer.Reset(next.Sub(now))
		select {
		case <-l.wake:
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
		timer.Stop() // since Go 1.23, no stale tick survives Stop
	}
}

// admit takes a credit for a message being passed on.
func (l *ledger) admit(raw natsjs.Msg, maxDeliver int) *Msg {
	m := &Msg{raw: raw, l: l, maxDeliver: maxDeliver}
	l.mu.Lock()
	l.outstanding++
	l.peak = max(l.peak, l.outstanding)
	m.held = true
	m.deadline = time.Now().Add(l.ackWait)
	l.pushLocked(m)
	l.mu.Unlock()
	return m
}

// claim marks m settled and reports whether it was not already.
func (l *ledger) claim(m *Msg) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m.settled {
		return false
	}
	m.settled = true
	return true
}

// unsettled reports whether m has not been settled yet.
func (l *ledger) unsettled(m *Msg) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !m.settled
}

// release returns m's credit, if it still holds one, and wakes the run if
// that credit is the only free one: the run waits only when none is.
func (l *ledger) release(m *Msg) {
	l.mu.Lock()
	if !m.held {
		l.mu.Unlock()
		return
	}
	l.dropLocked(m)
	first := l.outstanding == l.limit-1
	l.mu.Unlock()
	if first {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
}

// touch restarts m's deadline, as InProgress restarts its AckWait on the
// server, and reports whether m was not settled yet.
func (l *ledger) touch(m *Msg) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m.settled {
		return false
	}
	if m.held {
		l.unlinkLocked(m)
		m.deadline = time.Now().Add(l.ackWait)
		l.pushLocked(m)
	}
	return true
}

func (l *ledger) dropLocked(m *Msg) {
	l.unlinkLocked(m)
	m.held = false
	l.outstanding--
}

func (l *ledger) pushLocked(m *Msg) {
	m.prev, m.next = l.tail, nil
	if l.tail == nil {
		l.head = m
	} else {
		l.tail.next = m
	}
	l.tail = m
}

func (l *ledger) unlinkLocked(m *Msg) {
	if m.prev == nil {
		l.head = m.next
	} else {
		m.prev.next = m.next
	}
	if m.next == nil {
		l.tail = m.prev
	} else {
		m.next.prev = m.prev
	}
	m.prev, m.next = nil, nil
}
