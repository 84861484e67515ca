package source

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/corral-go/corral/scope"
)

var mapParScope = scope.WithName("source.MapPar")

// MapPar returns a Source of f applied to each value of src, with up to
// parallelism calls of f running at once, and the results in the order of
// src.
//
// Async: parallelism worker goroutines call f, started as work arrives,
// and one goroutine runs src. Values go to the workers in pieces sized to
// take a worker about 50µs, from a measure of f's cost: one value per piece
// while f is slow or not measured yet, so that slow calls run in parallel
// from the start; up to a whole batch when f is fast, so that a trivial f
// costs a few nanoseconds per value rather than a channel operation. Up to
// 2*parallelism+2 pieces are in flight; a slow value holds back the results
// after it (they wait, in order) but not the work on them.
//
// f receives the stage's context, cancelled when the run ends or fails. The
// first error from f (or from src) ends the run at once: the other calls'
// context is cancelled, results not yet passed on are dropped, and the run
// returns once every goroutine has ended; the run's error starts with that
// first failure. Failures of the other goroutines before they stopped, other
// than reports of the cancellation, are attached to it, so that errors.Is
// and errors.As find each (the rule of [scope.Supervised]). A panic in f
// reaches the terminal as a [*scope.PanicError]. The upstream never makes
// more values than the downstream can still use.
//
// MapPar panics if parallelism is not positive or f is nil.
func MapPar[T, U any](src Source[T], parallelism int, f func(ctx context.Context, v T) (U, error)) Source[U] {
	return mapPar("MapPar", src, parallelism, f, true)
}

// MapParUnordered is [MapPar] with results passed on as soon as they are
// ready, in no set order: a slow value holds back nothing but itself.
// Values that f gets in one piece (see MapPar) keep their order.
//
// MapParUnordered panics if parallelism is not positive or f is nil.
func MapParUnordered[T, U any](src Source[T], parallelism int, f func(ctx context.Context, v T) (U, error)) Source[U] {
	return mapPar("MapParUnordered", src, parallelism, f, false)
}

func mapPar[T, U any](op string, src Source[T], parallelism int, f func(context.Context, T) (U, error), ordered bool) Source[U] {
	mustPositive(op, "parallelism", parallelism)
	mustFunc(op, "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, emit func([]U) int) error {
		if stop(want) {
			return nil
		}
		runCtx := ctx
		return runStage(ctx, mapParScope, func(st *stage) error {
			pieces := 2*parallelism + 2
			m := &mapper[T, U]{
				f: f, st: st, ordered: ordered, workers: parallelism, g: newGate(want),
				free: make(chan *piece[T, U], pieces),
				work: make(chan *piece[T, U], pieces),
				out:  make(chan *piece[T, U], pieces),
			}
			m.running.Store(1) // the producer, until it has started every worker
			st.goProducer(func(ctx context.Context) error { return m.produce(ctx, up, want) })
			return m.drain(st.consumerCtx(), runCtx, want, emit)
		})
	}}
}

// A piece is a run of consecutive values of src, mapped by one worker.
type piece[T, U any] struct {
	in   []T
	out  []U
	done chan struct{} // ordered: signalled once out is ready
}

// A mapper runs one MapPar stage. The producer cuts the upstream's batches
// into pieces and sends each to work (and, ordered, to out, so that out
// holds the pieces in input order); a worker maps a piece and signals its
// done channel (ordered) or sends it to out (unordered); the consumer takes
// pieces from out, passes their results downstream and puts them back in
// free. At most cap(free) pieces exist, so no send ever waits.
type mapper[T, U any] struct {
	f       func(context.Context, T) (U, error)
	st      *stage
	ordered bool
	g       *gate

	free, work, out chan *piece[T, U]
	made            int          // pieces allocated (producer only)
	workers         int          // workers still to start (producer only)
	running         atomic.Int32 // unordered: workers running, plus the producer
	cost            atomic.Int64 // measured nanoseconds per call of f; 0 before the first
}

// pieceTime is how long a piece should keep a worker busy: long enough to
// make the cost of a hand-over (a few channel operations, maybe a wake-up)
// small, short enough to spread a batch over the workers when f is slow.
const pieceTime = int64(50 * time.Microsecond)

func (m *mapper[T, U]) produce(ctx context.Context, up runFunc[T], want int) error {
	done := ctx.Done()
	w := make(chan struct{}, 1)
	err := up(ctx, want, func(batch []T) int {
		for vs := batch; len(vs) > 0; {
			p := m.piece(done)
			if p == nil {
				return 0
			}
			k := len(vs)
			if c := m.cost.Load(); c == 0 {
				k = 1
			} else if pieceTime/c < int64(k) {
				k = int(max(pieceTime/c, 1))
			}
			p.in = append(p.in[:0], vs[:k]...)
			vs = vs[k:]
			if m.ordered {
				m.out <- p
			}
			m.work <- p
			if m.workers > 0 {
				m.workers--
				m.running.Add(1)
				m.st.goProducer(m.worker)
			}
		}
		return m.g.produced(len(batch), done, w)
	})
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	if err != nil {
		return err
	}
	close(m.work)
	if m.ordered {
		close(m.out)
	} else if m.running.Add(-1) == 0 {
		close(m.out)
	}
	return nil
}

// piece returns a free piece, allocating it if fewer than cap(free) exist,
// or nil if done is closed first.
func (m *mapper[T, U]) piece(done <-chan struct{}) *piece[T, U] {
	select {
	case p := <-m.free:
		return p
	default:
	}
	if m.made < cap(m.free) {
		m.made++
		p := &piece[T, U]{}
		if m.ordered {
			p.done = make(chan struct{}, 1)
		}
		return p
	}
	select {
	case p := <-m.free:
		return p
	case <-done:
		return nil
	}
}

func (m *mapper[T, U]) worker(ctx context.Context) error {
	done := ctx.Done()
	for {
		var p *piece[T, U]
		select {
		case p = <-m.work:
		case <-done:
			return nil
		}
		if p == nil { // work is closed: the upstream has ended
			if !m.ordered && m.running.Add(-1) == 0 {
				close(m.out)
			}
			return nil
		}
		start := time.Now()
		if cap(p.out) < len(p.in) {
			p.out = make([]U, 0, cap(p.in))
		}
		out := p.out[:0]
		for _, v := range p.in {
			u, err := m.f(ctx, v)
			if err != nil {
				// Returned as it is, it fails the scope and cancels
				// the other goroutines; the piece is never done, so
				// the consumer does not end before that.
				return err
			}
			out = append(out, u)
		}
		p.out = out
		m.measure(len(p.in), time.Since(start))
		if m.ordered {
			p.done <- struct{}{}
		} else {
			m.out <- p
		}
	}
}

// measure folds the cost per value of a piece into the running estimate.
func (m *mapper[T, U]) measure(k int, d time.Duration) {
	c := max(int64(d)/int64(k), 1)
	if old := m.cost.Load(); old != 0 {
		c = max((3*old+c)/4, 1)
	}
	m.cost.Store(c)
}

func (m *mapper[T, U]) drain(ctx, runCtx context.Context, want int, emit func([]U) int) error {
	done := ctx.Done()
	for {
		var p *piece[T, U]
		select {
		case p = <-m.out:
		case <-done:
			return ctx.Err()
		}
		if p == nil {
			return nil // out is closed: every piece has been passed on
		}
		if m.ordered {
			select {
			case <-p.done:
			case <-done:
				return ctx.Err()
			}
		}
		var err error
		want, err = passOn(ctx, runCtx, p.out, want, m.g, emit)
		clear(p.in)
		clear(p.out)
		m.free <- p
		if err != nil || stop(want) {
			return err
		}
	}
}
