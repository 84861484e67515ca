package jetstream

import (
	"sync"
	"time"

	natsjs "github.com/nats-io/nats.go/jetstream"
)

// A ledger counts the credits of one run of a FromConsumer source.
//
// Invariants (under mu):
//   - reserved is the number of messages requested from the server by pulls
//     that are still open, less those already taken from their batches;
//   - outstanding is the number of messages passed on and not yet released:
//     not settled successfully, and not past their deadline;
//   - reserved + outstanding <= limit: every message the server has
//     delivered to this run and that is not settled is counted in one of
//     them, so the bound holds for what the server sees as pending too;
//   - the list head..tail holds exactly the outstanding messages, in order
//     of deadline (deadlines are now+ackWait when set, so appending keeps
//     the order).
type ledger struct {
	limit, threshold int
	ackWait          time.Duration
	wake             chan struct{} // cap 1: a release made a pull possible

	mu          sync.Mutex
	outstanding int
	reserved    int
	head, tail  *Msg
	peak        int // highest reserved+outstanding seen, for tests
}

func newLedger(limit int, ackWait time.Duration) *ledger {
	return &ledger{
		limit: limit, threshold: max(1, limit/2), ackWait: ackWait,
		wake: make(chan struct{}, 1),
	}
}

// free returns the number of messages a new pull may request.
func (l *ledger) free() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit - l.outstanding - l.reserved
}

func (l *ledger) reserve(n int) {
	l.mu.Lock()
	l.reserved += n
	l.peak = max(l.peak, l.reserved+l.outstanding)
	l.mu.Unlock()
}

func (l *ledger) unreserve(n int) {
	l.mu.Lock()
	l.reserved -= n
	l.mu.Unlock()
}

// admit turns a reserved credit into an outstanding message.
func (l *ledger) admit(raw natsjs.Msg, maxDeliver int, now time.Time) *Msg {
	m := &Msg{raw: raw, l: l, maxDeliver: maxDeliver}
	l.mu.Lock()
	l.reserved--
	l.outstanding++
	m.held = true
	m.deadline = now.Add(l.ackWait)
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

// release returns m's credit, if it still holds one, and wakes the puller
// when the freed credit makes a pull possible.
func (l *ledger) release(m *Msg) {
	l.mu.Lock()
	if !m.held {
		l.mu.Unlock()
		return
	}
	l.dropLocked(m)
	free := l.limit - l.outstanding - l.reserved
	l.mu.Unlock()
	// The puller pulls when nothing is open and a credit is free, or when
	// a batch is open and threshold credits are free: wake it only when
	// one of those becomes true, not on every release.
	if free == 1 || free == l.threshold {
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

// expire releases the credits of messages whose deadline has passed, which
// the server delivers again, and returns the next deadline (zero if none).
func (l *ledger) expire(now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.head != nil && !l.head.deadline.After(now) {
		l.dropLocked(l.head)
	}
	if l.head == nil {
		return time.Time{}
	}
	return l.head.deadline
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
	l.peak = max(l.peak, l.reserved+l.outstanding)
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
