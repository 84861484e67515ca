package handoff

// A Signal wakes one goroutine that waits for a change that other
// goroutines make under a lock. The waiter arms the signal under the lock,
// unlocks, and receives from C; whoever makes the change calls Notify under
// the same lock. C has room for one signal, and one pending signal is as
// good as several, so a notification is never lost and never blocks. A
// waiter that wakes must check the state again: a signal left over from an
// earlier wait may wake it early.
//
// A Signal must be made by NewSignal, and must not be copied after use.
type Signal struct {
	c     chan struct{}
	armed bool
}

// NewSignal returns a Signal that is not armed.
func NewSignal() Signal { return Signal{c: make(chan struct{}, 1)} }

// Arm records that a goroutine is about to wait on C. Call it under the
// lock that guards the state being waited for.
func (s *Signal) Arm() { s.armed = true }

// Disarm records that no goroutine is about to wait on C (it found what it
// waited for). Call it under the lock.
func (s *Signal) Disarm() { s.armed = false }

// Notify wakes the waiter, if one is armed. Call it under the lock.
func (s *Signal) Notify() {
	if s.armed {
		s.armed = false
		Wake(s.c)
	}
}

// C is the channel to wait on after Arm.
func (s *Signal) C() <-chan struct{} { return s.c }

// Wake sends a signal on c, which has a capacity of one, unless a signal is
// pending already.
func Wake(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// NewWake returns a channel for Wake: each goroutine that waits in a
// [Waiters] list has one, and reuses it from one wait to the next.
func NewWake() chan struct{} { return make(chan struct{}, 1) }

// Waiters is a list of goroutines waiting for the same change, each on a
// wake channel of its own (see [NewWake]). Use it under the lock that
// guards the change. The zero Waiters is empty.
type Waiters struct{ list []chan struct{} }

// Add records that the goroutine that owns w is about to wait on it.
func (ws *Waiters) Add(w chan struct{}) { ws.list = append(ws.list, w) }

// Len returns how many goroutines wait.
func (ws *Waiters) Len() int { return len(ws.list) }

// WakeAll wakes every goroutine in the list and empties it.
func (ws *Waiters) WakeAll() {
	for _, w := range ws.list {
		Wake(w)
	}
	clear(ws.list)
	ws.list = ws.list[:0]
}

// WakeOne wakes the goroutine that has waited longest, if any.
func (ws *Waiters) WakeOne() {
	if len(ws.list) == 0 {
		return
	}
	Wake(ws.list[0])
	n := copy(ws.list, ws.list[1:])
	ws.list[n] = nil
	ws.list = ws.list[:n]
}
