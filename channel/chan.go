package channel

import (
	"context"
	"fmt"
	"iter"
	"math"
	"sync"
	"sync/atomic"
)

// Unlimited is the capacity of a channel whose buffer grows as needed, so
// that Send never waits.
const Unlimited = -1

// Channel states.
const (
	stateOpen uint8 = iota
	stateDone
	stateFailed
)

// Buffers are allocated up to this size at once; larger capacities grow by
// doubling as values arrive, and a drained buffer above it is released.
const eagerBuffer = 1024

// Chan is a channel of values of type T that ends either done ([Chan.Close])
// or failed ([Chan.Fail]). Create one with [New]; a zero Chan is an open
// rendezvous channel, like New[T](0). A Chan must not be copied after first
// use.
//
// All methods are safe for concurrent use. The blocking ones, [Chan.Send] and
// [Chan.Receive], return when the operation completes, when the channel is
// closed or failed, or when their context ends, whichever comes first; they
// never complete and report an error at once.
type Chan[T any] struct {
	core

	capacity int // as passed to New
	limit    int // values buffered without a receiver: capacity, or MaxInt
	state    uint8
	failure  error // set by Fail

	// buf is a ring of count values starting at head.
	buf         []T
	head, count int

	recvq, sendq waitq[T]
	// Nodes for blocked operations to reuse (see getNode).
	nodes [keptNodes]*node[T]
	spare atomic.Pointer[node[T]]
}

// core is the part of a channel that Select needs without knowing T.
type core struct {
	mu sync.Mutex
	id atomic.Uint64 // lock order among channels; assigned on first Select
}

var lastID atomic.Uint64

func (k *core) order() uint64 {
	if id := k.id.Load(); id != 0 {
		return id
	}
	k.id.CompareAndSwap(0, lastID.Add(1))
	return k.id.Load()
}

// New returns an open channel with the given capacity: 0 for a rendezvous
// channel, where each Send waits for a Receive to take its value; n > 0 for
// a channel that buffers up to n values; or [Unlimited] for a channel whose
// buffer grows without bound, so that Send never waits. Any other capacity
// panics.
func New[T any](capacity int) *Chan[T] {
	if capacity < Unlimited {
		panic(fmt.Sprintf("channel: New called with capacity %d; pass 0 (rendezvous), n > 0 (buffered) or Unlimited", capacity))
	}
	c := &Chan[T]{capacity: capacity, limit: capacity}
	if capacity == Unlimited {
		c.limit = math.MaxInt
	} else if capacity > 0 {
		c.buf = make([]T, min(capacity, eagerBuffer))
	}
	return c
}

// Send sends v, waiting while the channel is full (for a rendezvous channel:
// until a receiver takes v).
//
// It returns nil once v is in the channel or in a receiver's hands;
// [ErrClosed] if the channel is done; the channel's failure (see
// [ErrFailed]) if it failed; and ctx.Err() if ctx ends first, also when ctx
// had already ended on the call. A value is delivered if and only if Send
// returns nil. A nil ctx panics: pass context.Background() if nothing else
// can end the wait.
func (c *Chan[T]) Send(ctx context.Context, v T) error {
	if ctx == nil {
		panicNilCtx("Send")
	}
	done := ctx.Done()
	if done != nil {
		select {
		case <-done:
			return ctx.Err()
		default:
		}
	}
	c.mu.Lock()
	w, ok, err := c.trySendLocked(v)
	if ok || err != nil {
		c.mu.Unlock()
		if w != nil {
			w.signal()
		}
		return err
	}
	n := c.getNode()
	n.w, n.lone, n.send, n.val = &n.waiter, true, true, v
	c.sendq.push(n)
	c.mu.Unlock()
	if done == nil {
		<-n.ready
		err = n.err
	} else if err = c.park(ctx, done, n); err == nil {
		err = n.err
	}
	c.putNode(n)
	return err
}

// Receive receives a value, waiting until one is available.
//
// After [Chan.Close] it still returns the buffered values, then [ErrClosed].
// After [Chan.Fail] it returns the channel's failure (see [ErrFailed]). It
// returns ctx.Err() if ctx ends first, also when ctx had already ended on the
// call; no value is taken from the channel then. A nil ctx panics.
func (c *Chan[T]) Receive(ctx context.Context) (T, error) {
	if ctx == nil {
		panicNilCtx("Receive")
	}
	done := ctx.Done()
	if done != nil {
		select {
		case <-done:
			var zero T
			return zero, ctx.Err()
		default:
		}
	}
	c.mu.Lock()
	v, w, ok, err := c.tryRecvLocked()
	if ok || err != nil {
		c.mu.Unlock()
		if w != nil {
			w.signal()
		}
		return v, err
	}
	n := c.getNode()
	n.w, n.lone = &n.waiter, true
	c.recvq.push(n)
	c.mu.Unlock()
	if done == nil {
		<-n.ready
		v, err = n.val, n.err
	} else if err = c.park(ctx, done, n); err == nil {
		v, err = n.val, n.err
	}
	c.putNode(n)
	return v, err
}

// TrySend sends v if that can be done without waiting. It returns true and
// a nil error if v was sent; false and a nil error if the channel is full
// (for a rendezvous channel: no receiver is waiting); false and [ErrClosed]
// or the channel's failure if the channel is done or failed.
func (c *Chan[T]) TrySend(v T) (bool, error) {
	c.mu.Lock()
	w, ok, err := c.trySendLocked(v)
	c.mu.Unlock()
	if w != nil {
		w.signal()
	}
	return ok, err
}

// TryReceive receives a value if one is available without waiting. It
// returns the value and true if it received one; false and a nil error if
// none is available yet; false and [ErrClosed] or the channel's failure if
// the channel is done and drained, or failed.
func (c *Chan[T]) TryReceive() (T, bool, error) {
	c.mu.Lock()
	v, w, ok, err := c.tryRecvLocked()
	c.mu.Unlock()
	if w != nil {
		w.signal()
	}
	return v, ok, err
}

// Close marks the channel done: later sends return [ErrClosed], blocked
// senders wake with ErrClosed (their values are not sent), and receivers get
// the buffered values, then ErrClosed.
//
// Close on a channel that is already done returns ErrClosed; on a failed
// channel it returns the failure. Either way it changes nothing.
func (c *Chan[T]) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateOpen {
		return c.endErrLocked()
	}
	c.state = stateDone
	c.completeAllLocked(&c.sendq, ErrClosed)
	if c.count == 0 {
		// Otherwise no receiver waits: values are buffered.
		c.completeAllLocked(&c.recvq, ErrClosed)
	}
	return nil
}

// Fail marks the channel failed with cause: the buffered values are
// dropped, and every later or blocked Send and Receive returns an error e
// with errors.Is(e, [ErrFailed]) and errors.Is(e, cause). Use it to pass an
// error from producers to consumers.
//
// Fail on a channel that is already done returns [ErrClosed]; on a failed
// channel it returns the first failure. Either way it changes nothing. A nil
// cause panics: a failure needs a reason.
func (c *Chan[T]) Fail(cause error) error {
	if cause == nil {
		panic("channel: Fail called with nil cause; pass the error that ends the channel, or call Close")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateOpen {
		return c.endErrLocked()
	}
	c.state, c.failure = stateFailed, failure(cause)
	clear(c.buf)
	c.buf, c.head, c.count = nil, 0, 0
	c.completeAllLocked(&c.sendq, c.failure)
	c.completeAllLocked(&c.recvq, c.failure)
	return nil
}

// Err reports why the channel can no longer be received from: nil while a
// Receive could still return a value (the channel is open, or done with
// values left in its buffer); [ErrClosed] once it is done and drained; its
// failure once it failed.
func (c *Chan[T]) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.recvEndLocked()
	return err
}

// Len returns the number of values buffered in the channel.
func (c *Chan[T]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

// Cap returns the capacity the channel was created with: 0, n > 0, or
// [Unlimited].
func (c *Chan[T]) Cap() int { return c.capacity }

// All returns an iterator over the values received from the channel. Each
// step calls [Chan.Receive] and yields (v, nil) for each value. When the
// channel is done and drained the iteration ends silently; when it failed
// or ctx ends, All yields (zero, err) once and ends.
//
// Values go to whoever receives first, so several loops over All, in one
// goroutine after another or in several at once, share the values between
// them: each value is yielded once. Breaking out of a loop leaves the
// remaining values in the channel. A nil ctx panics when All is called, not
// when the loop starts.
func (c *Chan[T]) All(ctx context.Context) iter.Seq2[T, error] {
	if ctx == nil {
		panicNilCtx("All")
	}
	return func(yield func(T, error) bool) {
		for {
			v, err := c.Receive(ctx)
			if err == ErrClosed {
				return
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}
