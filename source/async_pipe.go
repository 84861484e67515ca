package source

import (
	"errors"
	"math"
	"sync"

	"github.com/corral-go/corral/channel"
)

// errDrained is what pipe.take reports once the stream in a pipe has ended
// and every queued value has been taken.
var errDrained = errors.New("source: internal: pipe drained")

// hopLimit is how many values an async stage lets wait between its
// goroutines when the operator takes no buffer size: a few batches, so that
// producers fill some while the consumer passes others on. The docs of
// Merge, FlatMapPar, ZipWith and Interleave give its value.
const hopLimit = 2048

// A pipe carries values from producer goroutines to one consumer goroutine.
//
// Producers append to the newest batch buffer of a FIFO queue; the consumer
// takes the oldest buffer whole, passes it downstream and hands it back to
// be reused. So a value crosses the goroutine boundary in a batch that is as
// large as what accumulated while the consumer was busy (up to maxBatch),
// whatever the size of the batches the producers emit: one lock per batch
// on each side, no allocation in the steady state, and no added latency,
// since a waiting consumer is woken by the first value.
//
// Why not a channel of batches: a producer that emits one value at a time
// (FromSeq, FromFunc, a callback) would then send one value per channel
// operation, or hold a partial batch back while the consumer idles.
//
// A pipe of a stage also keeps its producers within the downstream's
// demand, as a gate does (see gate), under the same lock: one lock per
// batch on each side in all.
type pipe[T any] struct {
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
	end  error // nil while open; errDrained once closed; else the failure
	drop bool  // the consumer gets end at once, without the queued values

	track   bool // keep the producers within the demand (not for callbacks)
	want    int  // the downstream's latest bound
	pending int  // values put and not yet passed downstream

	recv    chan struct{}   // capacity 1: wakes the consumer
	waiting bool            // the consumer waits on recv
	senders []chan struct{} // producers waiting for room
}

// newPipe returns a pipe that holds up to limit values (or
// channel.Unlimited), fed by the given number of producers: it is closed
// when that many have called done. It keeps them within the downstream's
// initial bound want, unless want is 0: a callback does not know demand.
func newPipe[T any](limit, producers, want int) *pipe[T] {
	p := &pipe[T]{
		limit: limit, size: min(limit, maxBatch), live: producers, recv: make(chan struct{}, 1),
		track: want != 0, want: want,
	}
	if limit == channel.Unlimited {
		p.limit, p.size, p.keep = math.MaxInt, maxBatch, 4
	} else {
		p.keep = limit/p.size + 2
	}
	return p
}

// put appends vs to the queue, in order. When the queue is full, o decides:
// OverflowBlock waits for room until done is closed; the others drop values
// or end the pipe with ErrOverflow. w, if not nil, is the caller's wake-up
// channel (capacity 1) for waiting. put returns channel.ErrClosed once the
// pipe has ended or done is closed, and never waits then.
//
// A pipe that tracks demand returns the producer's new bound, as
// gate.produced does: when the values on their way use up the downstream's
// bound, put waits for the consumer to report, and returns 0 once the
// downstream wants no more.
func (p *pipe[T]) put(vs []T, o Overflow, done <-chan struct{}, w chan struct{}) (int, error) {
	p.mu.Lock()
	for len(vs) > 0 || p.track && p.want > 0 && p.pending >= p.want {
		if p.end != nil {
			p.mu.Unlock()
			return 0, channel.ErrClosed
		}
		room := p.limit - p.n
		switch {
		case len(vs) == 0: // the bound is used up: wait for a report
		case room > 0:
			k := min(room, len(vs))
			p.appendLocked(vs[:k])
			vs = vs[k:]
			continue
		case o == OverflowDropNewest:
			vs = nil
			continue
		case o == OverflowDropOldest:
			p.dropLocked(min(len(vs), p.n))
			continue
		case o == OverflowFail:
			p.endLocked(ErrOverflow, false)
			p.mu.Unlock()
			return 0, ErrOverflow
		}
		if w == nil {
			w = make(chan struct{}, 1)
		}
		p.senders = append(p.senders, w)
		p.mu.Unlock()
		select {
		case <-w:
		case <-done:
			return 0, channel.ErrClosed
		}
		p.mu.Lock()
	}
	bound := p.want
	if bound > 0 {
		bound -= p.pending
	}
	p.mu.Unlock()
	return bound, nil
}

// delivered records that the consumer passed k values downstream, which
// answered with the bound want.
func (p *pipe[T]) delivered(k, want int) {
	if !p.track {
		return
	}
	p.mu.Lock()
	spent := p.want > 0 && p.pending >= p.want // a producer may wait for a report
	p.pending -= k
	p.want = want
	if spent && (want <= 0 || want > p.pending) {
		p.wakeSendersLocked()
	}
	p.mu.Unlock()
}

// stopped reports whether the consumer wants no more values.
func (p *pipe[T]) stopped() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.end != nil && p.drop || p.track && p.want == 0
}

func (p *pipe[T]) appendLocked(vs []T) {
	p.n += len(vs)
	if p.track {
		p.pending += len(vs)
	}
	for len(vs) > 0 {
		last := len(p.bufs) - 1
		if last < p.head || len(p.bufs[last]) == cap(p.bufs[last]) {
			p.pushLocked()
			last = len(p.bufs) - 1
		}
		b := p.bufs[last]
		k := min(cap(b)-len(b), len(vs))
		p.bufs[last] = append(b, vs[:k]...)
		vs = vs[k:]
	}
	p.wakeLocked()
}

// pushLocked queues an empty buffer, reusing a free one if it can.
func (p *pipe[T]) pushLocked() {
	var b []T
	if n := len(p.free); n > 0 {
		b, p.free[n-1] = p.free[n-1], nil
		p.free = p.free[:n-1]
	} else {
		b = make([]T, 0, p.size)
	}
	if p.head > 0 && len(p.bufs) == cap(p.bufs) {
		n := copy(p.bufs, p.bufs[p.head:])
		clear(p.bufs[n:])
		p.bufs, p.head = p.bufs[:n], 0
	}
	p.bufs = append(p.bufs, b)
}

// popLocked removes the oldest buffer from the queue.
func (p *pipe[T]) popLocked() (b []T, lo int) {
	b, lo = p.bufs[p.head], p.off
	p.bufs[p.head] = nil
	p.head, p.off = p.head+1, 0
	if p.head == len(p.bufs) {
		p.bufs, p.head = p.bufs[:0], 0
	}
	p.n -= len(b) - lo
	return b, lo
}

// dropLocked discards the k oldest queued values.
func (p *pipe[T]) dropLocked(k int) {
	for k > 0 {
		b := p.bufs[p.head]
		d := min(k, len(b)-p.off)
		clear(b[p.off : p.off+d])
		p.off += d
		p.n -= d
		k -= d
		if p.off == len(b) {
			b, _ = p.popLocked()
			p.recycleLocked(b)
		}
	}
}

func (p *pipe[T]) recycleLocked(b []T) {
	clear(b) // no reference to a value outlives its trip
	if len(p.free) < p.keep && !p.drop {
		p.free = append(p.free, b[:0])
	}
}
