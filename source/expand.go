package source

import (
	"context"
	"iter"
	"sync"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source/internal/handoff"
)

var expandScope = scope.WithName("source.Expand")

// Expand returns a Source for a downstream that is faster than src: each
// value v of src is expanded into the sequence f(v), whose values are
// passed on as fast as the downstream takes them, until src has a newer
// value: then the rest of the sequence is dropped, and the newer value's
// sequence starts. So a slow producer of readings and Expand with a
// sequence that repeats v give a downstream the latest reading whenever it
// asks.
//
// The first value of each sequence is always passed on: src waits, with
// one value, while the downstream has not started on the sequence before
// it. So no value of src is skipped, and a src faster than the downstream
// is slowed down to it. When src ends, the sequence of its last value is
// passed on to its end, and then the stream ends: an infinite sequence
// makes an infinite stream, to be ended by a [Source.Take], a
// [Source.Timeout] or the run's context. An empty sequence passes nothing
// on for its value. The original values of src are not passed on, unless
// the sequences include them; see [Extrapolate].
//
// Async: one goroutine runs src, asking it for one value at a time; f and
// its sequences run on the goroutine of the run, which passes values on
// one at a time and looks for a newer value of src after each. An error
// from src ends the run at once; a panic in f or in a sequence reaches the
// terminal as a [*scope.PanicError]. When the downstream stops, src is
// cancelled.
//
// Expand panics if f is nil.
func Expand[T, U any](src Source[T], f func(v T) iter.Seq[U]) Source[U] {
	mustFunc("Expand", "f", f == nil)
	return expand(src, f)
}

// Extrapolate returns a Source of the values of src, each followed by the
// values of the sequence f(v) for as long as the downstream asks for more
// before src has a newer value: it fills the gaps of a slow src for a fast
// downstream, with a repeated value, an estimate, a prediction. It is
// [Expand] with each value put at the head of its own sequence, so every
// value of src is passed on, and the sequence of the last one is passed on
// to its end (with a sequence that repeats v forever, the stream goes on
// until it is stopped). To start with a value before src has one, prepend
// it: Concat(Of(initial), Extrapolate(src, f)).
//
// Async, as Expand.
//
// Extrapolate panics if f is nil.
func Extrapolate[T any](src Source[T], f func(v T) iter.Seq[T]) Source[T] {
	mustFunc("Extrapolate", "f", f == nil)
	return expand(src, func(v T) iter.Seq[T] {
		return func(yield func(T) bool) {
			if !yield(v) {
				return
			}
			for u := range f(v) {
				if !yield(u) {
					return
				}
			}
		}
	})
}

// A latest holds the latest value of the upstream of Expand, for the
// consumer. Invariants, under mu: fresh says v is a value the consumer has
// not started on; the producer puts a value only when fresh is false; once
// ended is set, no value is put.
type latest[T any] struct {
	mu       sync.Mutex
	v        T
	fresh    bool
	ended    bool           // the upstream has ended without error
	consumer handoff.Signal // the consumer waits for a fresh value or the end
	producer handoff.Signal // the producer waits for fresh to be false
}

func expand[T, U any](src Source[T], f func(T) iter.Seq[U]) Source[U] {
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, expandScope, func(st *stage) error {
			l := &latest[T]{consumer: handoff.NewSignal(), producer: handoff.NewSignal()}
			st.goProducer(func(ctx context.Context) error { return l.produce(ctx, up) })
			ctx := st.consumerCtx()
			for {
				v, ok, err := l.next(ctx)
				if err != nil || !ok {
					return err
				}
				for u := range f(v) {
					if stop(out.one(u)) {
						return nil
					}
					if err := ctx.Err(); err != nil {
						return err
					}
					if l.newer() {
						break
					}
				}
			}
		})
	}}
}

// produce runs up, one value at a time, and puts each value in l once the
// consumer has started on the one before.
func (l *latest[T]) produce(ctx context.Context, up runFunc[T]) error {
	done := ctx.Done()
	put := func(v T) int {
		l.mu.Lock()
		for l.fresh {
			l.producer.Arm()
			l.mu.Unlock()
			select {
			case <-l.producer.C():
			case <-done:
				return 0
			}
			l.mu.Lock()
		}
		l.v, l.fresh = v, true
		l.consumer.Notify()
		l.mu.Unlock()
		return 1
	}
	err := up(ctx, 1, sink[T]{
		batches: pushFunc[T](func(batch []T) int {
			for _, v := range batch {
				if put(v) == 0 {
					return 0
				}
			}
			return 1
		}),
		one: put,
	})
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	if err != nil {
		return err // fails the scope, which cancels the consumer
	}
	l.mu.Lock()
	l.ended = true
	l.consumer.Notify()
	l.mu.Unlock()
	return nil
}

// next waits for a value the consumer has not started on, and takes it; it
// reports false once the upstream has ended and no such value is left.
func (l *latest[T]) next(ctx context.Context) (v T, ok bool, err error) {
	l.mu.Lock()
	for !l.fresh {
		if l.ended {
			l.mu.Unlock()
			return v, false, nil
		}
		l.consumer.Arm()
		l.mu.Unlock()
		select {
		case <-l.consumer.C():
		case <-ctx.Done():
			return v, false, ctx.Err()
		}
		l.mu.Lock()
	}
	var zero T
	v, l.v, l.fresh = l.v, zero, false
	l.consumer.Disarm()
	l.producer.Notify()
	l.mu.Unlock()
	return v, true, nil
}

// newer reports whether a value the consumer has not started on waits.
func (l *latest[T]) newer() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fresh
}
