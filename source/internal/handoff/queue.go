package handoff

import (
	"context"
	"errors"
	"math"
	"sync"
)

// Unlimited is the limit of a [Queue] that holds any number of values.
const Unlimited = -1

var (
	// ErrClosed is what Put returns once the queue has ended (or its done
	// channel is closed): the value was not queued.
	ErrClosed = errors.New("handoff: queue closed")
	// ErrDrained is what the consumer gets once the queue has been closed
	// and every value queued before has been taken.
	ErrDrained = errors.New("handoff: queue drained")
)

// A Policy says what Put does when the queue is full.
type Policy uint8

const (
	// Block makes Put wait for room. The zero Policy.
	Block Policy = iota
	// DropOldest discards the oldest queued values to make room.
	DropOldest
	// DropNewest discards the values that do not fit.
	DropNewest
	// Fail ends the queue with the Config's FullErr, after the values
	// queued before, and Put returns that error.
	Fail
)

// Config configures a [Queue].
type Config struct {
	Limit     int // most values queued, or Unlimited
	Size      int // values per batch buffer: the most a consumer takes at once
	Producers int // producers that will call ProducerDone; the last closes the queue

	// Demand keeps the producers within the downstream's demand, starting
	// from the bound Want: see Put and Delivered. Without it (for
	// callbacks, which cannot be told to make fewer values), Put returns
	// an unbounded bound.
	Demand bool
	Want   int

	Full    Policy // what Put does when the queue is full
	FullErr error  // the error of a Fail
}

// A Queue carries values from producer goroutines to a consumer goroutine
// (or to several workers).
//
// Producers append to the newest batch buffer of a FIFO of buffers; the
// consumer takes the oldest buffer whole, passes it on and hands it back to
// be reused. So a value crosses the goroutine boundary in a batch that is as
// large as what accumulated while the consumer was busy (up to Size),
// whatever the size of the batches the producers put: one lock per batch on
// each side, no allocation in the steady state, and no added latency, since
// a waiting consumer is woken by the first value. Workers (TakeRun) take
// runs of values instead, copied out, so that several can share the queue.
//
// Why not a channel of batches: a producer that puts one value at a time
// (a generator, a callback) would then send one value per channel
// operation, or hold a partial batch back while the consumer idles.
//
// With Demand, the queue also keeps its producers within the downstream's
// demand, under the same lock: the consumer reports after each batch it
// passes on how many values the downstream can still use (Delivered), and a
// producer may make as many as that bound less the values on their way.
// When they use it up, Put waits for the next report rather than stopping,
// because a downstream that filters values may want more once it has seen
// them; a bound of 0 stops the producers.
//
// Invariants, under mu: n is the number of values in bufs[head:] from off
// on; end, once set, never changes; after drop, bufs and free are nil and n
// is 0; pending counts values put and not yet delivered, so pending >= n.
type Queue[T any] struct {
	mu    sync.Mutex
	bufs  [][]T // queued buffers from bufs[head] on; bufs[head][off:] is what is left of the oldest
	head  int
	off   int
	n     int // values queued
	limit int // most values queued
	size  int // capacity of a buffer
	free  [][]T
	keep  int // most buffers kept in free

	live int   // producers that have not finished
	end  error // nil while open; ErrDrained once closed; else the failure
	drop bool  // the consumer gets end at once, without the queued values

	full    Policy
	fullErr error

	demand  bool
	want    int // the downstream's latest bound
	pending int // values put and not yet delivered downstream

	consumer Signal  // the consumer waits for values or the end
	workers  Waiters // workers wait for values or the end
	senders  Waiters // producers wait for room or demand
}

// NewQueue returns a queue configured by c.
func NewQueue[T any](c Config) *Queue[T] {
	q := &Queue[T]{
		limit: c.Limit, size: min(c.Limit, c.Size), live: c.Producers,
		full: c.Full, fullErr: c.FullErr, demand: c.Demand, want: c.Want,
		consumer: NewSignal(),
	}
	if c.Limit == Unlimited {
		q.limit, q.size, q.keep = math.MaxInt, c.Size, 4
	} else {
		q.keep = c.Limit/q.size + 2
	}
	return q
}

// Put appends vs to the queue, in order. When the queue is full, the
// Config's policy decides: Block waits for room until done is closed; the
// others drop values or end the queue with FullErr. w, if not nil, is the
// caller's wake channel (see NewWake) for waiting. Put returns ErrClosed
// once the queue has ended or done is closed, and never waits then.
//
// With Demand, Put returns the producer's new bound: unbounded (-1), a
// positive number, or 0 once the downstream wants no more. When the values
// on their way use up the downstream's bound, Put waits for the consumer to
// report. Without Demand, it returns -1.
func (q *Queue[T]) Put(vs []T, done <-chan struct{}, w chan struct{}) (int, error) {
	q.mu.Lock()
	for len(vs) > 0 || q.demand && q.want > 0 && q.pending >= q.want {
		if q.end != nil {
			q.mu.Unlock()
			return 0, ErrClosed
		}
		room := q.limit - q.n
		switch {
		case len(vs) == 0: // the bound is used up: wait for a report
		case room > 0:
			k := min(room, len(vs))
			q.appendLocked(vs[:k])
			vs = vs[k:]
			continue
		case q.full == DropNewest:
			vs = nil
			continue
		case q.full == DropOldest:
			q.dropLocked(min(len(vs), q.n))
			continue
		case q.full == Fail:
			q.endLocked(q.fullErr, false)
			q.mu.Unlock()
			return 0, q.fullErr
		}
		if w == nil {
			w = NewWake()
		}
		q.senders.Add(w)
		q.mu.Unlock()
		select {
		case <-w:
		case <-done:
			return 0, ErrClosed
		}
		q.mu.Lock()
	}
	bound := -1
	if q.demand {
		if bound = q.want; bound > 0 {
			bound -= q.pending
		}
	}
	q.mu.Unlock()
	return bound, nil
}

// Delivered records that the consumer passed k values downstream, which
// answered with the bound want. It does nothing without Demand.
func (q *Queue[T]) Delivered(k, want int) {
	if !q.demand {
		return
	}
	q.mu.Lock()
	spent := q.want > 0 && q.pending >= q.want // a producer may wait for a report
	q.pending -= k
	q.want = want
	if spent && (want <= 0 || want > q.pending) {
		q.senders.WakeAll()
	}
	q.mu.Unlock()
}

// Stopped reports whether the consumer wants no more values: it stopped
// the queue, or the downstream's bound is 0.
func (q *Queue[T]) Stopped() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.end != nil && q.drop || q.demand && q.want == 0
}

// ProducerDone records that a producer has finished; the last one closes
// the queue.
func (q *Queue[T]) ProducerDone() {
	q.mu.Lock()
	if q.live--; q.live == 0 {
		q.endLocked(ErrDrained, false)
	}
	q.mu.Unlock()
}

// AddProducers records that k more producers will call ProducerDone.
func (q *Queue[T]) AddProducers(k int) {
	q.mu.Lock()
	q.live += k
	q.mu.Unlock()
}

// Close ends the stream after the queued values.
func (q *Queue[T]) Close() { q.finish(ErrDrained, false) }

// Fail ends the stream with err after the queued values.
func (q *Queue[T]) Fail(err error) { q.finish(err, false) }

// Abort ends the stream with err at once: queued values are dropped.
func (q *Queue[T]) Abort(err error) { q.finish(err, true) }

// Stop is called by the consumer when it leaves: every later Put returns
// ErrClosed, producers waiting for room wake up, and the buffers are let
// go.
func (q *Queue[T]) Stop() { q.finish(ErrDrained, true) }

func (q *Queue[T]) finish(err error, drop bool) {
	q.mu.Lock()
	q.endLocked(err, drop)
	q.mu.Unlock()
}

// Take hands back prev (the buffer from the last Take, or nil) and returns
// the oldest queued buffer b: its values are b[lo:]. It waits until there
// is one, the queue ends (ErrDrained, or the failure), or ctx is done. Only
// one goroutine, the consumer, may call Take, Poll and Ready.
func (q *Queue[T]) Take(ctx context.Context, prev []T) (b []T, lo int, err error) {
	for {
		if b, lo, err = q.Poll(prev); b != nil || err != nil {
			return b, lo, err
		}
		prev = nil
		select {
		case <-q.consumer.C():
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
}

// Poll is Take without the wait: when there is nothing to take it returns
// nil, 0, nil, and the next value or the end signals Ready.
func (q *Queue[T]) Poll(prev []T) (b []T, lo int, err error) {
	q.mu.Lock()
	if prev != nil {
		q.recycleLocked(prev)
	}
	switch {
	case q.drop:
		err = q.end
	case q.n > 0:
		b, lo = q.popLocked()
		q.consumer.Disarm()
		q.senders.WakeAll()
	case q.end != nil:
		err = q.end
	default:
		q.consumer.Arm()
	}
	q.mu.Unlock()
	return b, lo, err
}

// Ready is signalled when a Poll that found nothing may find something.
func (q *Queue[T]) Ready() <-chan struct{} { return q.consumer.C() }

// TakeRun appends up to most of the oldest queued values to dst, for one
// of several workers, and reports whether values are left. It waits until
// there is a value, the queue ends (ErrDrained, or the failure), or done is
// closed (ErrClosed); w is the worker's wake channel (see NewWake). A
// worker that leaves values behind wakes another, if one waits.
func (q *Queue[T]) TakeRun(dst []T, most int, done <-chan struct{}, w chan struct{}) (_ []T, left bool, _ error) {
	q.mu.Lock()
	for {
		switch {
		case q.drop:
			err := q.end
			q.mu.Unlock()
			return dst, false, err
		case q.n > 0:
			for most > 0 && q.n > 0 {
				b := q.bufs[q.head]
				k := min(most, len(b)-q.off)
				dst = append(dst, b[q.off:q.off+k]...)
				clear(b[q.off : q.off+k])
				q.off += k
				q.n -= k
				most -= k
				if q.off == len(b) {
					b, _ = q.popLocked()
					q.recycleLocked(b)
				}
			}
			left = q.n > 0
			if left {
				q.workers.WakeOne()
			}
			q.senders.WakeAll()
			q.mu.Unlock()
			return dst, left, nil
		case q.end != nil:
			err := q.end
			q.mu.Unlock()
			return dst, false, err
		}
		q.workers.Add(w)
		q.mu.Unlock()
		select {
		case <-w:
		case <-done:
			return dst, false, ErrClosed
		}
		q.mu.Lock()
	}
}

func (q *Queue[T]) appendLocked(vs []T) {
	q.n += len(vs)
	if q.demand {
		q.pending += len(vs)
	}
	for len(vs) > 0 {
		last := len(q.bufs) - 1
		if last < q.head || len(q.bufs[last]) == cap(q.bufs[last]) {
			q.pushLocked()
			last = len(q.bufs) - 1
		}
		b := q.bufs[last]
		k := min(cap(b)-len(b), len(vs))
		q.bufs[last] = append(b, vs[:k]...)
		vs = vs[k:]
	}
	q.consumer.Notify()
	q.workers.WakeOne()
}

// pushLocked queues an empty buffer, reusing a free one if it can.
func (q *Queue[T]) pushLocked() {
	var b []T
	if n := len(q.free); n > 0 {
		b, q.free[n-1] = q.free[n-1], nil
		q.free = q.free[:n-1]
	} else {
		b = make([]T, 0, q.size)
	}
	if q.head > 0 && len(q.bufs) == cap(q.bufs) {
		n := copy(q.bufs, q.bufs[q.head:])
		clear(q.bufs[n:])
		q.bufs, q.head = q.bufs[:n], 0
	}
	q.bufs = append(q.bufs, b)
}

// popLocked removes the oldest buffer from the queue.
func (q *Queue[T]) popLocked() (b []T, lo int) {
	b, lo = q.bufs[q.head], q.off
	q.bufs[q.head] = nil
	q.head, q.off = q.head+1, 0
	if q.head == len(q.bufs) {
		q.bufs, q.head = q.bufs[:0], 0
	}
	q.n -= len(b) - lo
	return b, lo
}

// dropLocked discards the k oldest queued values.
func (q *Queue[T]) dropLocked(k int) {
	for k > 0 {
		b := q.bufs[q.head]
		d := min(k, len(b)-q.off)
		clear(b[q.off : q.off+d])
		q.off += d
		q.n -= d
		k -= d
		if q.off == len(b) {
			b, _ = q.popLocked()
			q.recycleLocked(b)
		}
	}
}

func (q *Queue[T]) recycleLocked(b []T) {
	clear(b) // no reference to a value outlives its trip
	if len(q.free) < q.keep && !q.drop {
		q.free = append(q.free, b[:0])
	}
}

// endLocked ends the queue with err, unless it has ended already; with
// drop, the consumer gets the end at once, without the values still
// queued, and the buffers are let go: a callback may keep a queue long
// after the run.
func (q *Queue[T]) endLocked(err error, drop bool) {
	if q.end == nil {
		q.end = err
	}
	if drop {
		q.drop = true
		clear(q.bufs)
		q.bufs, q.free, q.head, q.off, q.n = nil, nil, 0, 0, 0
	}
	q.consumer.Notify()
	q.workers.WakeAll()
	q.senders.WakeAll()
}
