package source

import (
	"context"
	"sync"
	"time"

	"github.com/corral-go/corral/scope"
)

var (
	batchScope         = scope.WithName("source.Batch")
	groupedWithinScope = scope.WithName("source.GroupedWithin")
)

// Batch returns a Source of the values of src gathered into slices for a
// downstream that may be slower than src: while the downstream is busy, the
// values that arrive are appended to a slice, and the downstream gets the
// slice when it is ready. A slice holds at most size values; when it is
// full, src waits. With a downstream that keeps up, each slice holds what
// src emitted at once. Each slice is new, so it may be kept.
//
// A value joins the slice waiting if it reaches the stage before the
// downstream takes that slice: when src passes it on (for [FromFunc], when
// its emit call returns). So if the downstream is busy with [1] while a
// producer emits 2 to 6, the downstream then gets [2 3 4 5 6]. As with
// [Source.Conflate], a value received from a channel counts once the
// goroutine that runs src has passed it on, not when its Send returned
// (Ox's batch counts it then): a value sent just before the downstream
// becomes ready may start the next slice.
//
// Async: one goroutine runs src; at most size values wait. When src ends,
// the values waiting are passed on. An error from src ends the run at once
// (the values waiting are dropped). The upstream is not told how many
// values the downstream wants; it is cancelled when the downstream stops.
// For groups of a set size, see Grouped; for groups closed by a timer,
// see GroupedWithin.
//
// Batch panics if size is not positive.
func Batch[T any](src Source[T], size int) Source[[]T] {
	mustPositive("Batch", "size", size)
	return groupWithin(src, size, 0, batchScope)
}

// GroupedWithin returns a Source of the values of src in groups of up to
// size values, in order: a group is passed on when it is full, or when
// window has passed since its first value arrived, whichever comes first.
// No empty group is emitted: with no values, nothing happens. When src
// ends, the last group is passed on at once. Each group is new, so it may
// be kept.
//
// Async: one goroutine runs src and fills the group; the timer runs on the
// goroutine of the run. While a full group waits for the downstream, src
// waits too. An error from src ends the run at once (the group being
// filled is dropped). The upstream is not told how many values the
// downstream wants; it is cancelled when the downstream stops.
//
// GroupedWithin panics if size or window is not positive.
func GroupedWithin[T any](src Source[T], size int, window time.Duration) Source[[]T] {
	mustPositive("GroupedWithin", "size", size)
	mustDuration("GroupedWithin", "window", window)
	return groupWithin(src, size, window, groupedWithinScope)
}

func groupWithin[T any](src Source[T], size int, window time.Duration, name scope.Option) Source[[]T] {
	up := src.runner()
	return Source[[]T]{run: func(ctx context.Context, want int, emit func([][]T) int) error {
		if stop(want) {
			return nil
		}
		return runStage(ctx, name, func(st *stage) error {
			g := &grouper[T]{size: size, recv: make(chan struct{}, 1), send: make(chan struct{}, 1)}
			st.goProducer(func(ctx context.Context) error { return g.feed(ctx, up) })
			return g.drain(st.consumerCtx(), window, emit)
		})
	}}
}

// A grouper holds the group that the producer fills and the consumer takes.
type grouper[T any] struct {
	mu      sync.Mutex
	cur     []T       // the group being filled
	at      time.Time // when its first value arrived
	size    int
	ended   bool
	waiting bool // the consumer waits on recv
	blocked bool // the producer waits on send
	recv    chan struct{}
	send    chan struct{}
}

func (g *grouper[T]) feed(ctx context.Context, up runFunc[T]) error {
	done := ctx.Done()
	err := up(ctx, unbounded, func(batch []T) int {
		g.mu.Lock()
		for len(batch) > 0 {
			if len(g.cur) == g.size {
				g.blocked = true
				g.mu.Unlock()
				select {
				case <-g.send:
				case <-done:
					return 0
				}
				g.mu.Lock()
				continue
			}
			if g.cur == nil {
				g.cur = make([]T, 0, min(g.size, maxBatch))
				g.at = time.Now()
			}
			k := min(g.size-len(g.cur), len(batch))
			g.cur = append(g.cur, batch[:k]...)
			batch = batch[k:]
			g.wakeLocked()
		}
		g.mu.Unlock()
		return unbounded
	})
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	if err != nil {
		return err // fails the scope, which cancels the consumer
	}
	g.mu.Lock()
	g.ended = true
	g.wakeLocked()
	g.mu.Unlock()
	return nil
}

func (g *grouper[T]) wakeLocked() {
	if g.waiting {
		g.waiting = false
		select {
		case g.recv <- struct{}{}:
		default:
		}
	}
}

// drain passes the groups to emit: a group is taken when it is full, when
// the upstream has ended, or when window (0 for at once) has passed since
// its first value arrived.
func (g *grouper[T]) drain(ctx context.Context, window time.Duration, emit func([][]T) int) error {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	var one [1][]T
	for {
		var wait time.Duration
		g.mu.Lock()
		grp, ended := g.cur, g.ended
		if len(grp) > 0 && len(grp) < g.size && !ended {
			wait = window - time.Since(g.at)
		}
		if len(grp) > 0 && wait <= 0 {
			g.cur = nil
			if g.blocked {
				g.blocked = false
				select {
				case g.send <- struct{}{}:
				default:
				}
			}
		} else {
			grp = nil
			g.waiting = !ended
		}
		g.mu.Unlock()
		switch {
		case grp != nil:
			one[0] = grp
			want := emit(one[:]) // one group at a time keeps to any bound
			one[0] = nil
			if stop(want) {
				return nil
			}
			continue
		case ended:
			return nil
		}
		if err := sleepUntil(ctx, g.recv, &timer, wait); err != nil {
			return err
		}
	}
}
