package channel

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Select waits until one of its clauses can fire, fires it, and returns its
// index in clauses. Exactly one clause fires per call; its function runs on
// the calling goroutine after the choice is made and no lock is held, so it
// may use channels freely (even the same ones).
//
// The choice follows these rules, in order:
//
//  1. A clause that can complete now fires: a receive with a value
//     available, a send with room or a waiting receiver. If several can,
//     one is chosen at random, as in Go's select statement, so none starves.
//  2. Otherwise, if a clause's channel has ended (done and drained for a
//     receive, done for a send, failed for either), Select returns that clause's index and [ErrClosed] or
//     the failure, without running its function. A loop can then drop the
//     clause (set it to nil) and go on with the others.
//  3. Otherwise [Default] fires, or an [OnTimeout] clause with a duration of
//     zero or less.
//  4. Otherwise Select waits for the first clause to fire, for the shortest
//     OnTimeout to pass, or for ctx to end. If ctx ends first (or had ended
//     on the call), Select returns -1 and ctx.Err(), and no clause fires.
//
// A Select with no clause that can ever fire (no clauses, or only nil ones)
// waits for ctx to end, like an empty select statement. More than one
// Default panics, and so does a nil ctx.
func Select(ctx context.Context, clauses ...Clause) (int, error) {
	if ctx == nil {
		panicNilCtx("Select")
	}
	done := ctx.Done()
	if done != nil {
		select {
		case <-done:
			return -1, ctx.Err()
		default:
		}
	}
	var orderBuf [small]int32
	order := orderBuf[:]
	if len(clauses) > small {
		order = make([]int32, len(clauses))
	}
	order = shuffle(order[:len(clauses)])
	defaults := 0
	for _, cl := range clauses {
		if cl != nil && cl.kind() == kindDefault {
			defaults++
		}
	}
	if defaults > 1 {
		panic(fmt.Sprintf("channel: Select called with %d Default clauses", defaults))
	}
	// Fast pass: fire the first clause, in random order, that can complete
	// now, taking one channel lock at a time. When none can, the locked
	// pass applies all the rules of Select atomically.
	for _, i := range order {
		if cl := clauses[i]; cl != nil && cl.tryFire() {
			return int(i), nil
		}
	}
	return selectLocked(ctx, done, clauses, order)
}

// shuffle fills order with a random permutation of its indices (inside-out
// Fisher-Yates), drawing 32 random bits per step.
func shuffle(order []int32) []int32 {
	var r uint64
	for i := range order {
		if i == 0 {
			order[0] = 0
			continue
		}
		if i%2 == 1 {
			r = rand.Uint64()
		}
		j := (r & 0xffffffff) * uint64(i+1) >> 32
		r >>= 32
		order[i] = order[j]
		order[j] = int32(i)
	}
	return order
}

// selectLocked is Select after the fast pass found nothing to fire.
func selectLocked(ctx context.Context, done <-chan struct{}, clauses []Clause, order []int32) (int, error) {
	// The arrays stay on the stack; a selector holding slices of its own
	// arrays would escape.
	var (
		locksBuf [small]*core
		regsBuf  [small]result
	)
	s := selector{clauses: clauses, order: order, def: -1, timeout: -1} // not in init: a store through a parameter escapes
	if n := len(clauses); n <= small {
		s.locks, s.regs = locksBuf[:0:n], regsBuf[:n]
	} else {
		s.locks, s.regs = make([]*core, 0, n), make([]result, n)
	}
	s.init()
	return s.run(ctx, done)
}

// small is the number of clauses a Select handles without allocating.
const small = 8

// selector is the state of one Select call once the fast pass found
// nothing. Nothing that escapes may be stored in it: escape analysis does
// not tell fields apart, and its slices point into selectLocked's frame.
type selector struct {
	clauses []Clause
	order   []int32  // poll order: a random permutation
	locks   []*core  // the channels, each once, in lock order
	regs    []result // registered nodes, by clause index
	def     int      // the Default clause, or -1
	timeout int      // the shortest OnTimeout clause, or -1
	d       time.Duration
	nchan   int
}

func (s *selector) init() {
	for i, cl := range s.clauses {
		if cl == nil {
			continue
		}
		switch cl.kind() {
		case kindChan:
			s.nchan++
			s.addLock(cl.core())
		case kindTimeout:
			if d := cl.(*timeoutClause).d; s.timeout < 0 || d < s.d {
				s.timeout, s.d = i, d
			}
		case kindDefault:
			s.def = i
		}
	}
}

// addLock adds k to the lock order, once.
func (s *selector) addLock(k *core) {
	id := k.order()
	j := len(s.locks)
	for j > 0 && s.locks[j-1].order() > id {
		j--
	}
	if j > 0 && s.locks[j-1] == k {
		return
	}
	s.locks = s.locks[:len(s.locks)+1] // cap is len(clauses)
	copy(s.locks[j+1:], s.locks[j:])
	s.locks[j] = k
}

// Locking every channel of the Select, always in id order so that two
// Selects cannot deadlock, makes polling and registering one atomic step, as
// in the Go runtime: while the Select looks, no clause can change state, and
// none of its nodes can be completed before all are queued.
func (s *selector) lockAll() {
	for _, k := range s.locks {
		k.mu.Lock()
	}
}

func (s *selector) unlockAll() {
	for _, k := range s.locks {
		k.mu.Unlock()
	}
}

func (s *selector) run(ctx context.Context, done <-chan struct{}) (int, error) {
	if s.nchan == 0 && s.timeout < 0 && s.def < 0 {
		if done == nil {
			select {}
		}
		<-done
		return -1, ctx.Err()
	}
	var (
		w     *waiter
		timer *time.Timer
	)
	if s.nchan == 0 {
		w = &waiter{ready: make(chan struct{}, 1)}
	}
	s.lockAll()
	if i, ok, err := s.poll(timer); ok {
		return i, err
	}
	sw := w
	for _, i := range s.order {
		if cl := s.clauses[i]; cl != nil && cl.kind() == kindChan {
			s.regs[i], sw = cl.register(sw, int(i))
		}
	}
	s.unlockAll()
	if s.timeout >= 0 {
		timer = time.NewTimer(s.d)
	}
	fired := s.wait(done, sw, timer)
	s.lockAll()
	for _, r := range s.regs {
		if r != nil {
			r.settleLocked()
		}
	}
	s.unlockAll()
	stopTimer(timer)
	if fired < 0 {
		s.releaseRegs(-1)
		return -1, ctx.Err()
	}
	r := s.regs[fired]
	s.releaseRegs(fired)
	return fired, s.clauses[fired].finish(r)
}

// poll looks for a clause that can fire at once, with every lock held. If
// it finds one (rule 1 to 3 of Select) it releases the locks, fires it and
// returns its outcome with ok set.
func (s *selector) poll(timer *time.Timer) (int, bool, error) {
	closed, closedErr := -1, error(nil)
	for _, i := range s.order {
		cl := s.clauses[i]
		if cl == nil || cl.kind() != kindChan {
			continue
		}
		r, wake, fired, err := cl.poll(int(i))
		if fired {
			s.unlockAll()
			stopTimer(timer)
			if wake != nil {
				wake.signal()
			}
			return int(i), true, cl.finish(r)
		}
		if err != nil && closed < 0 {
			closed, closedErr = int(i), err
		}
	}
	i := -1
	switch {
	case closed >= 0:
		s.unlockAll()
		stopTimer(timer)
		return closed, true, closedErr
	case s.def >= 0:
		i = s.def
	case s.timeout >= 0 && s.d <= 0:
		i = s.timeout
	default:
		return -1, false, nil
	}
	s.unlockAll()
	stopTimer(timer)
	return i, true, s.clauses[i].finish(nil)
}

// wait parks the Select on w and returns the clause that fired, or -1 if
// ctx ended first.
func (s *selector) wait(done <-chan struct{}, w *waiter, timer *time.Timer) int {
	var tc <-chan time.Time
	if timer != nil {
		tc = timer.C
	}
	if done == nil && tc == nil {
		<-w.ready
		return int(w.state.Load() - 1)
	}
	select {
	case <-w.ready:
		return int(w.state.Load() - 1)
	case <-done:
		if w.claim(stateCancelled) {
			return -1
		}
	case <-tc:
		if w.claim(int32(s.timeout) + 1) {
			return s.timeout
		}
	}
	<-w.ready // a counterpart won: its signal is on the way
	return int(w.state.Load() - 1)
}

// releaseRegs returns the registered nodes to their channels, except the one
// of clause keep, which finish releases.
func (s *selector) releaseRegs(keep int) {
	for i, r := range s.regs {
		if r != nil && i != keep {
			r.release()
		}
		s.regs[i] = nil
	}
}

func stopTimer(t *time.Timer) {
	if t != nil {
		t.Stop()
	}
}
