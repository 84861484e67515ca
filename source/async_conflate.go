package source

import (
	"context"
	"sync"
	"time"

	"github.com/corral-go/corral/scope"
)

var (
	conflateScope = scope.WithName("source.Conflate")
	debounceScope = scope.WithName("source.Debounce")
)

// Conflate returns a Source of the values of s for a downstream that may be
// slower than s: while the downstream is busy, the values that arrive are
// combined into one with combine(acc, v), in order, and the downstream gets
// the combination when it is ready. With a downstream that keeps up, every
// value passes unchanged. So Conflate(func(acc, v int) int { return acc + v })
// passes on running totals of what accumulated, and a combine that returns
// v keeps only the latest value.
//
// A value is combined into the one waiting if it reaches the stage before
// the downstream takes that one. It reaches the stage when s passes it on:
// for [FromFunc], when its emit call returns. So if the downstream is busy
// with 1 while a producer emits 2, 3, ..., 10, the downstream then gets 54.
// This differs from Ox's conflate when s receives from a channel: there,
// a value counts once its send has returned; here, once the goroutine that
// runs s has passed it on. With [FromChannel] over a rendezvous channel, a
// Send that returns just before the downstream becomes ready has handed 10
// to that goroutine, which may pass it on only after the downstream has
// taken 44: the downstream then gets 1, 44, 10 instead of 1, 54. Either way
// no value is lost, and values are combined in order.
//
// Async: one goroutine runs s and calls combine; it never waits for the
// downstream, so s runs at its own pace and at most one value waits. When
// s ends, the value waiting is passed on. An error from s ends the run at
// once (the waiting value is dropped); a panic in combine reaches the
// terminal as a [*scope.PanicError]. The upstream is not told how many
// values the downstream wants, since any number may be combined into one;
// it is cancelled when the downstream stops.
//
// Conflate panics if combine is nil.
func (s Source[T]) Conflate(combine func(acc, v T) T) Source[T] {
	mustFunc("Conflate", "combine", combine == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, conflateScope, func(st *stage) error {
			c := newConflator[T]()
			st.goProducer(func(ctx context.Context) error {
				return c.feed(ctx, up, func(acc T, has bool, batch []T) T {
					if !has {
						acc, batch = batch[0], batch[1:]
					}
					for _, v := range batch {
						acc = combine(acc, v)
					}
					return acc
				})
			})
			return c.drain(st.consumerCtx(), 0, emit)
		})
	}}
}

// Debounce returns a Source of the values of s that are followed by d of
// quiet: a value is passed on once d has passed without another value from
// s, and a value followed sooner by another is dropped. When s ends, the
// last value is passed on at once. So a burst of values becomes its last
// value, d after the burst.
//
// Async: one goroutine runs s, and never waits for the downstream; the
// latest value waits with a timer on the goroutine of the run. An error
// from s ends the run at once (the waiting value is dropped). The upstream
// is cancelled when the downstream stops.
//
// Debounce panics if d is not positive.
func (s Source[T]) Debounce(d time.Duration) Source[T] {
	mustDuration("Debounce", "d", d)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, debounceScope, func(st *stage) error {
			c := newConflator[T]()
			st.goProducer(func(ctx context.Context) error {
				return c.feed(ctx, up, func(_ T, _ bool, batch []T) T { return batch[len(batch)-1] })
			})
			return c.drain(st.consumerCtx(), d, emit)
		})
	}}
}

// A conflator holds the one value that waits between the producer and the
// consumer of Conflate and Debounce.
type conflator[T any] struct {
	mu      sync.Mutex
	v       T
	has     bool
	at      time.Time // when v arrived
	ended   bool      // the upstream has ended
	waiting bool      // the consumer waits on recv
	recv    chan struct{}
}

func newConflator[T any]() *conflator[T] { return &conflator[T]{recv: make(chan struct{}, 1)} }

// feed runs up and merges each batch into the conflator with merge, which
// gets the value waiting (if has) and returns the new one. merge runs
// outside the lock: it may be a user function, which may panic.
func (c *conflator[T]) feed(ctx context.Context, up runFunc[T], merge func(acc T, has bool, batch []T) T) error {
	done := ctx.Done()
	err := up(ctx, unbounded, func(batch []T) int {
		var zero T
		c.mu.Lock()
		acc, has := c.v, c.has
		c.v, c.has = zero, false // taken back while merging
		c.mu.Unlock()
		acc = merge(acc, has, batch)
		c.mu.Lock()
		c.v, c.has, c.at = acc, true, time.Now()
		c.wakeLocked()
		c.mu.Unlock()
		select {
		case <-done:
			return 0
		default:
			return unbounded
		}
	})
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	if err != nil {
		return err // fails the scope, which cancels the consumer
	}
	c.mu.Lock()
	c.ended = true
	c.wakeLocked()
	c.mu.Unlock()
	return nil
}

func (c *conflator[T]) wakeLocked() {
	if c.waiting {
		c.waiting = false
		select {
		case c.recv <- struct{}{}:
		default:
		}
	}
}

// drain passes the conflator's values to emit, each once it has waited quiet
// for quiet (0 for at once), until the upstream ends, ctx is done, or emit
// asks for no more.
func (c *conflator[T]) drain(ctx context.Context, quiet time.Duration, emit func([]T) int) error {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	var one [1]T
	for {
		var zero T
		var wait time.Duration
		ready := false
		c.mu.Lock()
		if c.has {
			wait = quiet - time.Since(c.at)
			if ready = wait <= 0 || c.ended; ready {
				one[0], c.v, c.has = c.v, zero, false
			}
		}
		ended := c.ended
		if !ready && !ended {
			c.waiting = true
		}
		c.mu.Unlock()
		switch {
		case ready:
			want := emit(one[:]) // one value at a time keeps to any bound
			one[0] = zero
			if stop(want) {
				return nil
			}
			continue
		case ended:
			return nil
		}
		if err := sleepUntil(ctx, c.recv, &timer, wait); err != nil {
			return err
		}
	}
}

// sleepUntil waits until wake is signalled, wait has passed (if it is
// positive; otherwise there is no time limit) or ctx is done, in which case
// it returns ctx.Err(). It reuses *timer across calls.
func sleepUntil(ctx context.Context, wake <-chan struct{}, timer **time.Timer, wait time.Duration) error {
	var fire <-chan time.Time
	if wait > 0 {
		if *timer == nil {
			*timer = time.NewTimer(wait)
		} else {
			(*timer).Reset(wait)
		}
		fire = (*timer).C
	}
	select {
	case <-wake:
	case <-fire:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}
