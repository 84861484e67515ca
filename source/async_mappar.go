package source

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source/internal/handoff"
)

var mapParScope = scope.WithName("source.MapPar")

// MapPar returns a Source of f applied to each value of src, with up to
// limit calls of f running at once, and the results in the order of src.
//
// Async: up to limit worker goroutines call f, started as work arrives, and
// one goroutine runs src. The values of src wait in a queue of up to 2048,
// and a worker that is free takes what waits there, in a piece sized to
// keep it busy about 50µs from a measure of f's cost: one value while f is
// slow or not measured yet, so that slow calls run in parallel from the
// start; up to a whole batch when f is fast, so that a trivial f costs a
// few nanoseconds per value rather than a hand-over. A value that finds a
// worker waiting goes to it at once: values are handed over in chunks only
// when they queue up. Up to 2*limit+2 pieces are in flight; a slow value
// holds back the results after it (they wait, in order) but not the work
// on them.
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
// MapPar panics if limit is not positive or f is nil.
func MapPar[T, U any](src Source[T], limit int, f func(ctx context.Context, v T) (U, error)) Source[U] {
	return mapPar("MapPar", src, limit, f, true)
}

// MapParUnordered is [MapPar] with results passed on as soon as they are
// ready, in no set order: a slow value holds back nothing but itself.
// Values that f gets in one piece (see MapPar) keep their order.
//
// MapParUnordered panics if limit is not positive or f is nil.
func MapParUnordered[T, U any](src Source[T], limit int, f func(ctx context.Context, v T) (U, error)) Source[U] {
	return mapPar("MapParUnordered", src, limit, f, false)
}

func mapPar[T, U any](op string, src Source[T], limit int, f func(context.Context, T) (U, error), ordered bool) Source[U] {
	mustPositive(op, "limit", limit)
	mustFunc(op, "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		if stop(want) {
			return nil
		}
		runCtx := ctx
		return runStage(ctx, mapParScope, func(st *stage) error {
			m := &mapper[T, U]{
				f: f, st: st, ordered: ordered, limit: limit, maxPieces: 2*limit + 2,
				in:       newQueue[T](hopLimit, 1, want),
				consumer: handoff.NewSignal(),
				live:     1, // the producer, until it has ended
			}
			st.onLeave(m.in.Stop)
			st.goProducer(func(ctx context.Context) error { return m.produce(ctx, up, want) })
			return m.drain(st.consumerCtx(), runCtx, want, out)
		})
	}}
}

// A piece is a run of consecutive values of src, mapped by one worker.
type piece[T, U any] struct {
	in   []T
	out  []U
	done bool // out is ready
}

// A mapper runs one MapPar stage. The producer puts the upstream's values
// into the queue in; a free worker takes a run of them into a piece, maps
// it, and marks it done; the consumer passes the results of done pieces
// downstream and puts the pieces back in free. At most maxPieces pieces
// exist, so that a slow piece holds back a bounded amount of work after it.
//
// Ordered, a worker takes its run and appends its piece to out under takeMu,
// so that out holds the pieces in input order, and the consumer waits for
// the first one to be done; unordered, a worker appends its piece to out
// once it is done, and the consumer takes any.
type mapper[T, U any] struct {
	f         func(context.Context, T) (U, error)
	st        *stage
	ordered   bool
	limit     int // most workers
	maxPieces int
	in        *handoff.Queue[T]
	takeMu    sync.Mutex   // ordered: held while taking a run and queuing its piece
	idle      atomic.Int32 // workers waiting for values
	cost      atomic.Int64 // measured nanoseconds per call of f; 0 before the first

	mu       sync.Mutex
	out      []*piece[T, U] // pieces for the consumer (see above)
	free     []*piece[T, U]
	made     int  // pieces allocated
	started  int  // workers started
	live     int  // workers running, plus the producer until it has ended
	ended    bool // live is 0: no piece will be added to out
	consumer handoff.Signal
	room     handoff.Waiters // workers waiting for a free piece
}

// pieceTime is how long a piece should keep a worker busy: long enough to
// make the cost of a hand-over (a few lock operations, maybe a wake-up)
// small, short enough to spread a batch over the workers when f is slow.
const pieceTime = int64(50 * time.Microsecond)

func (m *mapper[T, U]) produce(ctx context.Context, up runFunc[T], want int) error {
	done := ctx.Done()
	w := handoff.NewWake()
	err := up(ctx, want, pushOnly(func(batch []T) int {
		// Before the Put, which may wait for a worker to make room.
		m.startWorker()
		bound, err := m.in.Put(batch, done, w)
		if err != nil {
			return 0
		}
		return bound
	}))
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	if err != nil {
		return err
	}
	m.in.ProducerDone()
	m.exit()
	return nil
}

// startWorker starts a worker if none waits for values and fewer than
// limit have started: values wait, and no worker will take them soon.
func (m *mapper[T, U]) startWorker() {
	if m.idle.Load() > 0 {
		return
	}
	m.mu.Lock()
	start := m.started < m.limit
	if start {
		m.started++
		m.live++
	}
	m.mu.Unlock()
	if start {
		m.st.goProducer(m.worker)
	}
}

// exit records that a worker, or the producer, has ended.
func (m *mapper[T, U]) exit() {
	m.mu.Lock()
	if m.live--; m.live == 0 {
		m.ended = true
		m.consumer.Notify()
	}
	m.mu.Unlock()
}

func (m *mapper[T, U]) worker(ctx context.Context) error {
	done := ctx.Done()
	w := handoff.NewWake()
	for {
		p := m.piece(done, w)
		if p == nil {
			return nil
		}
		if !m.take(p, done, w) {
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
		m.mu.Lock()
		p.done = true
		if !m.ordered {
			m.out = append(m.out, p)
		}
		m.consumer.Notify()
		m.mu.Unlock()
	}
}

// take fills p with a run of waiting values, sized by the cost of f, and,
// ordered, queues it for the consumer in input order. It reports false when
// the worker is to end: the input has ended (then the worker has exited),
// or done is closed.
func (m *mapper[T, U]) take(p *piece[T, U], done <-chan struct{}, w chan struct{}) bool {
	k := maxBatch
	if c := m.cost.Load(); c == 0 {
		k = 1
	} else if pieceTime/c < int64(k) {
		k = int(max(pieceTime/c, 1))
	}
	if m.ordered {
		m.takeMu.Lock()
		defer m.takeMu.Unlock()
	}
	if cap(p.in) < k {
		p.in = make([]T, 0, k)
	}
	m.idle.Add(1)
	var err error
	var left bool
	p.in, left, err = m.in.TakeRun(p.in[:0], k, done, w)
	m.idle.Add(-1)
	if left {
		m.startWorker()
	}
	if err != nil {
		m.release(p)
		if err == handoff.ErrDrained {
			m.exit()
		}
		return false
	}
	if m.ordered {
		m.mu.Lock()
		m.out = append(m.out, p)
		m.mu.Unlock()
	}
	return true
}

// piece returns a free piece, allocating it if fewer than maxPieces exist,
// or nil if done is closed first.
func (m *mapper[T, U]) piece(done <-chan struct{}, w chan struct{}) *piece[T, U] {
	m.mu.Lock()
	for {
		if n := len(m.free); n > 0 {
			p := m.free[n-1]
			m.free[n-1] = nil
			m.free = m.free[:n-1]
			m.mu.Unlock()
			return p
		}
		if m.made < m.maxPieces {
			m.made++
			m.mu.Unlock()
			return &piece[T, U]{}
		}
		m.room.Add(w)
		m.mu.Unlock()
		select {
		case <-w:
		case <-done:
			return nil
		}
		m.mu.Lock()
	}
}

// release puts p back in the free list.
func (m *mapper[T, U]) release(p *piece[T, U]) {
	clear(p.in)
	clear(p.out)
	p.in, p.out, p.done = p.in[:0], p.out[:0], false
	m.mu.Lock()
	m.free = append(m.free, p)
	m.room.WakeOne()
	m.mu.Unlock()
}

// measure folds the cost per value of a piece into the running estimate.
func (m *mapper[T, U]) measure(k int, d time.Duration) {
	c := max(int64(d)/int64(k), 1)
	if old := m.cost.Load(); old != 0 {
		c = max((3*old+c)/4, 1)
	}
	m.cost.Store(c)
}

// next waits for the next piece to pass on: ordered, the oldest once it is
// done; unordered, any done one. It returns nil once every piece has been
// passed on, and ctx's error if ctx is done first.
func (m *mapper[T, U]) next(ctx context.Context) (*piece[T, U], error) {
	m.mu.Lock()
	for {
		if len(m.out) > 0 && m.out[0].done {
			p := m.out[0]
			n := copy(m.out, m.out[1:])
			m.out[n] = nil
			m.out = m.out[:n]
			m.consumer.Disarm()
			m.mu.Unlock()
			return p, nil
		}
		if len(m.out) == 0 && m.ended {
			m.mu.Unlock()
			return nil, nil
		}
		m.consumer.Arm()
		m.mu.Unlock()
		select {
		case <-m.consumer.C():
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		m.mu.Lock()
	}
}

func (m *mapper[T, U]) drain(ctx, runCtx context.Context, want int, out sink[U]) error {
	for {
		p, err := m.next(ctx)
		if p == nil || err != nil {
			return err
		}
		want, err = passOn(ctx, runCtx, p.out, want, m.in, out.push)
		m.release(p)
		if err != nil || stop(want) {
			return err
		}
	}
}
