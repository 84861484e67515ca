package channel

import "time"

// A Clause is one case of a [Select]: [OnReceive], [OnSend], [OnTimeout] or
// [Default]. A Clause holds no state of its own, so one built
// before a loop can be passed to every Select in it, even to several at
// once; a nil Clause is never chosen, like a nil channel in a select
// statement, which lets a loop switch a clause off without renumbering the
// others.
type Clause interface {
	kind() clauseKind
	// core is the channel the clause operates on, nil for other kinds.
	core() *core
	// tryFire fires the clause if it can complete at once, locking its
	// channel only for the operation itself.
	tryFire() bool
	// poll tries the operation, with core locked. If it fired, r holds the
	// outcome for finish and wake, if not nil, is a counterpart to signal
	// once the locks are released. A non-nil err reports that the channel
	// has ended for this operation.
	poll(i int) (r result, wake *waiter, fired bool, err error)
	// register queues a node for clause i owned by w, with core locked; a
	// nil w means the node's own waiter, which is returned.
	register(w *waiter, i int) (result, *waiter)
	// finish runs after the locks are released: it delivers the outcome to
	// the clause's function and returns the clause's error.
	finish(r result) error
}

type clauseKind uint8

const (
	kindChan    clauseKind = iota // OnReceive, OnSend
	kindTimeout                   // OnTimeout
	kindDefault                   // Default
)

// result is the outcome of a polled or registered clause: a *node[T].
type result interface {
	// settleLocked runs with the node's channel locked once the Select is
	// decided. It takes the node out of its queue if it is still there.
	settleLocked()
	release()
}

// OnReceive returns a clause that receives a value from c and passes it to
// f, which may be nil. If c is done and drained or failed, and no other
// clause can fire, the clause is chosen with [ErrClosed] or the failure and f
// is not called. A nil c panics.
func OnReceive[T any](c *Chan[T], f func(v T)) Clause {
	if c == nil {
		panic("channel: OnReceive called with nil channel")
	}
	return &recvClause[T]{c: c, f: f}
}

// OnSend returns a clause that sends v on c and then calls f, which may be
// nil. If c is done or failed, and no other clause can fire, the clause is
// chosen with [ErrClosed] or the failure and f is not called; v is not sent.
// A nil c panics.
func OnSend[T any](c *Chan[T], v T, f func()) Clause {
	if c == nil {
		panic("channel: OnSend called with nil channel")
	}
	return &sendClause[T]{c: c, v: v, f: f}
}

// OnTimeout returns a clause that fires, calling f (which may be nil), when
// d has passed since Select was called and no other clause fired first. With
// d <= 0 it fires at once if no other clause can, like [Default]. When a
// Select has several, the shortest counts.
func OnTimeout(d time.Duration, f func()) Clause { return &timeoutClause{funcClause{f}, d} }

// Default returns a clause that fires, calling f (which may be nil), when no
// other clause can fire at once, so that Select does not wait. A Select
// accepts at most one Default.
func Default(f func()) Clause { return &defaultClause{funcClause{f}} }

type recvClause[T any] struct {
	c *Chan[T]
	f func(T)
}

func (*recvClause[T]) kind() clauseKind { return kindChan }
func (cl *recvClause[T]) core() *core   { return &cl.c.core }

func (cl *recvClause[T]) tryFire() bool {
	c := cl.c
	c.mu.Lock()
	v, w, ok, _ := c.tryRecvLocked()
	c.mu.Unlock()
	if !ok {
		return false
	}
	if w != nil {
		w.signal()
	}
	if cl.f != nil {
		cl.f(v)
	}
	return true
}

func (cl *recvClause[T]) poll(int) (result, *waiter, bool, error) {
	c := cl.c
	v, w, ok, err := c.tryRecvLocked()
	if !ok {
		return nil, nil, false, err
	}
	n := c.getNode()
	n.val = v
	return n, w, true, nil
}

func (cl *recvClause[T]) register(w *waiter, i int) (result, *waiter) {
	c := cl.c
	n := c.getNode()
	if w == nil {
		w = &n.waiter
		w.state.Store(stateWaiting) // a Send or Receive leaves it as it was
	}
	n.w, n.idx = w, int32(i)
	c.recvq.push(n)
	return n, w
}

func (cl *recvClause[T]) finish(r result) error {
	n := r.(*node[T])
	v, err := n.val, n.err
	cl.c.putNode(n)
	if err == nil && cl.f != nil {
		cl.f(v)
	}
	return err
}

type sendClause[T any] struct {
	c *Chan[T]
	v T
	f func()
}

func (*sendClause[T]) kind() clauseKind { return kindChan }
func (cl *sendClause[T]) core() *core   { return &cl.c.core }

func (cl *sendClause[T]) tryFire() bool {
	c := cl.c
	c.mu.Lock()
	w, ok, _ := c.trySendLocked(cl.v)
	c.mu.Unlock()
	if !ok {
		return false
	}
	if w != nil {
		w.signal()
	}
	if cl.f != nil {
		cl.f()
	}
	return true
}

func (cl *sendClause[T]) poll(int) (result, *waiter, bool, error) {
	w, ok, err := cl.c.trySendLocked(cl.v)
	return nil, w, ok, err
}

func (cl *sendClause[T]) register(w *waiter, i int) (result, *waiter) {
	c := cl.c
	n := c.getNode()
	if w == nil {
		w = &n.waiter
		w.state.Store(stateWaiting) // a Send or Receive leaves it as it was
	}
	n.w, n.idx, n.send, n.val = w, int32(i), true, cl.v
	c.sendq.push(n)
	return n, w
}

func (cl *sendClause[T]) finish(r result) error {
	var err error
	if r != nil {
		n := r.(*node[T])
		err = n.err
		cl.c.putNode(n)
	}
	if err == nil && cl.f != nil {
		cl.f()
	}
	return err
}

// settleLocked implements result.
func (n *node[T]) settleLocked() { n.c.removeLocked(n) }

func (n *node[T]) release() { n.c.putNode(n) }

// funcClause is what the clauses that wait on no channel (a timeout,
// Default) have in common: they never fire on their own, and firing runs f.
type funcClause struct{ f func() }

func (*funcClause) core() *core                             { return nil }
func (*funcClause) tryFire() bool                           { return false }
func (*funcClause) poll(int) (result, *waiter, bool, error) { return nil, nil, false, nil }
func (*funcClause) register(*waiter, int) (result, *waiter) {
	panic("channel: internal error: register on a clause without a channel")
}
func (cl *funcClause) finish(result) error {
	if cl.f != nil {
		cl.f()
	}
	return nil
}

type timeoutClause struct {
	funcClause
	d time.Duration
}

func (*timeoutClause) kind() clauseKind { return kindTimeout }

type defaultClause struct{ funcClause }

func (*defaultClause) kind() clauseKind { return kindDefault }
