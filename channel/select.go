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
//     receive, done for a send, failed for either), Select returns that
//     clause's index and [ErrClosed] or the failure, without running its
//     function. A loop can then drop the clause (set it to nil) and go on
//     with the others.
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
		if fb, ok := cl.(*fallback); ok && fb.isDefault {
			defaults++
		}
	}
	if defaults > 1 {
		panic(fmt.Sprintf("channel: Select called with %d Default clauses; pass at most one", defaults))
	}
	// The fast pass: fire the first clause, in random order, that can
	// complete now, taking one channel lock at a time. When none can, the
	// slow path applies all the rules of Select atomically.
	for _, i := range order {
		if cl := clauses[i]; cl != nil && cl.tryFire() {
			return int(i), nil
		}
	}
	return selectSlow(ctx, done, clauses, order)
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

// small is the number of clauses a Select handles without allocating.
const small = 8

// selectSlow is Select once the fast pass found no clause to fire. It runs
// in four steps, as the Go runtime's select does:
//
//  1. Lock every channel and poll: fire a clause by rules 1 to 3 of Select
//     if one can fire now.
//  2. Otherwise, still holding every lock, queue a node on each channel,
//     all owned by one waiter, and unlock.
//  3. Park until a counterpart completes one node, the timeout fires, or
//     ctx ends.
//  4. Lock again, take the nodes that nobody completed out of their queues,
//     unlock, and settle: deliver the outcome of the clause that fired.
//
// Holding every lock from step 1 to 2 makes polling and queueing one
// atomic step: no clause can become ready in between, and no node can be
// completed before all are queued.
func selectSlow(ctx context.Context, done <-chan struct{}, clauses []Clause, order []int32) (int, error) {
	// The arrays stay on the stack; a selector holding slices of its own
	// arrays would escape.
	var (
		opsBuf    [small]op
		queuedBuf [small]queued
		locksBuf  [small]*core
	)
	s := selector{clauses: clauses, order: order, def: -1, timeout: -1} // not in init: a store through a parameter escapes
	if n := len(clauses); n <= small {
		s.ops, s.queued, s.locks = opsBuf[:n], queuedBuf[:n], locksBuf[:0:n]
	} else {
		s.ops, s.queued, s.locks = make([]op, n), make([]queued, n), make([]*core, 0, n)
	}
	s.classify()
	if len(s.locks) == 0 && s.def < 0 && s.timeout < 0 {
		// No clause can ever fire: wait for ctx, like an empty select.
		if done == nil {
			select {}
		}
		<-done
		return -1, ctx.Err()
	}

	s.lockAll()
	if f, ok := s.pollLocked(); ok {
		s.unlockAll()
		return s.fire(f)
	}
	w := s.enqueueLocked()
	s.unlockAll()

	i := s.park(done, w)

	s.lockAll()
	for _, n := range s.queued {
		if n != nil {
			n.dequeueLocked()
		}
	}
	s.unlockAll()
	return s.settle(ctx, i)
}

// selector is the state of one Select call on its slow path. Nothing that
// escapes may be stored in it: escape analysis does not tell fields apart,
// and its slices point into selectSlow's frame.
type selector struct {
	clauses []Clause
	order   []int32  // poll order: a random permutation
	ops     []op     // the ops among clauses, by index
	queued  []queued // the nodes queued by ops, by clause index
	locks   []*core  // the channels, each once, in lock order
	def     int      // the Default clause, or -1
	timeout int      // the shortest OnTimeout clause, or -1
	d       time.Duration
}

// classify sorts the clauses into ops and fallbacks.
func (s *selector) classify() {
	for i, cl := range s.clauses {
		switch cl := cl.(type) {
		case op:
			s.ops[i] = cl
			s.addLock(cl.lock())
		case *fallback:
			switch {
			case cl.isDefault:
				s.def = i
			case s.timeout < 0 || cl.d < s.d:
				s.timeout, s.d = i, cl.d
			}
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

// lockAll locks every channel of the Select, always in id order so that two
// Selects cannot deadlock.
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

// firing is a clause that pollLocked found can fire.
type firing struct {
	i    int
	n    queued  // an op's outcome, for finish
	wake *waiter // a counterpart to signal once the locks are released
	err  error   // the op's channel has ended (rule 2 of Select)
}

// pollLocked looks, with every lock held, for a clause that can fire now,
// by rules 1 to 3 of Select.
func (s *selector) pollLocked() (firing, bool) {
	ended := firing{i: -1}
	for _, i := range s.order {
		o := s.ops[i]
		if o == nil {
			continue
		}
		n, wake, ok, err := o.pollLocked()
		if ok {
			return firing{i: int(i), n: n, wake: wake}, true
		}
		if err != nil && ended.i < 0 {
			ended = firing{i: int(i), err: err}
		}
	}
	switch {
	case ended.i >= 0:
		return ended, true
	case s.def >= 0:
		return firing{i: s.def}, true
	case s.timeout >= 0 && s.d <= 0:
		return firing{i: s.timeout}, true
	}
	return firing{}, false
}

// fire delivers the outcome of a clause pollLocked found, with no lock
// held.
func (s *selector) fire(f firing) (int, error) {
	if f.wake != nil {
		f.wake.signal()
	}
	if f.err != nil {
		return f.i, f.err
	}
	if o := s.ops[f.i]; o != nil {
		return f.i, o.finish(f.n)
	}
	s.clauses[f.i].(*fallback).fire()
	return f.i, nil
}

// enqueueLocked queues a node for every op, all owned by one waiter, and
// returns that waiter, or nil if there are no ops.
//
// The waiter is borrowed from the first node queued. Every node embeds a
// waiter, so that a lone Send or Receive parks without allocating; a Select
// parks on its first node's and leaves the others' unused, so it allocates
// no waiter either. The loan is safe because the lending node goes back to
// its channel (in settle) only after every node has been taken out of its
// queue, so no counterpart can claim the waiter any more, and after park
// has consumed the one signal a counterpart that claimed it sends.
func (s *selector) enqueueLocked() *waiter {
	var w *waiter
	for _, i := range s.order {
		o := s.ops[i]
		if o == nil {
			continue
		}
		n := o.enqueueLocked(w, int(i))
		if w == nil {
			w = n.lendWaiter()
		}
		s.queued[i] = n
	}
	return w
}

// park waits until a counterpart completes one of the queued nodes, the
// shortest timeout passes, or done is closed, and returns the clause that
// fired, or -1 if ctx ended. w, if not nil, is the waiter of the nodes.
//
// Whoever moves w away from stateWaiting decides. When a counterpart beats
// the timer or ctx, park waits for the counterpart's signal, so that
// nothing signals w after park returns.
func (s *selector) park(done <-chan struct{}, w *waiter) int {
	var tc <-chan time.Time
	if s.timeout >= 0 {
		t := time.NewTimer(s.d)
		defer t.Stop()
		tc = t.C
	}
	if w == nil { // no ops: only the timer or ctx can end the wait
		select {
		case <-done:
			return -1
		case <-tc:
			return s.timeout
		}
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

// settle delivers the outcome of clause i, which fired while the Select was
// parked (-1: ctx ended), and gives every other node back.
func (s *selector) settle(ctx context.Context, i int) (int, error) {
	for j, n := range s.queued {
		if n != nil && j != i {
			n.release()
		}
	}
	switch {
	case i < 0:
		return -1, ctx.Err()
	case s.ops[i] == nil: // the timeout
		s.clauses[i].(*fallback).fire()
		return i, nil
	}
	return i, s.ops[i].finish(s.queued[i])
}
