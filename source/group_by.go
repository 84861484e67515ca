package source

import (
	"context"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source/internal/handoff"
)

var groupByScope = scope.WithName("source.GroupBy")

// GroupBy returns a Source of the values of sub-pipelines, one per key: the
// values of src are split by key(v) into groups, f(k, group) builds the
// sub-pipeline of the group of key k from a Source of that group's values,
// in order, and the values of the sub-pipelines are merged as they come, as
// [Merge] does. So a per-user running total is
//
//	GroupBy(events, 100, userOf, func(u User, g Source[Event]) Source[Total] {
//		return Scan(g, Total{User: u}, addEvent)
//	})
//
// At most limit groups are live at once. When a value of a new key comes
// while limit groups are live, the group that received a value least
// recently is ended: its Source ends, so its sub-pipeline finishes (a fold
// passes on its result), and once it has finished, the new group starts.
// A later value of an ended group's key starts a new group for that key,
// with a new sub-pipeline; there is never more than one group of a key at
// a time. (This is Ox's groupBy policy.) A sub-pipeline that stops taking
// values before its group ends (a Take satisfied) has its group's later
// values dropped while the group is live.
//
// The Source that f gets carries the values of one group once: it must be
// run once, by the sub-pipeline (running it again gives no value). f may
// ignore it; the group's values are then dropped.
//
// Async: one goroutine runs src and key and routes the values; each live
// group runs its sub-pipeline (f's Source) in a goroutine of its own, so at
// most limit of them run. Up to 1024 values wait for each group, and src
// waits while a group's values wait; values reach the downstream through a
// shared buffer of 2048 values, in batches. The first error, of src or of
// a sub-pipeline, ends the run at once and cancels the rest, with the
// error rule of [Merge]; a panic in key, f or a sub-pipeline reaches the
// terminal as a [*scope.PanicError]. The upstream is not told how many
// values the downstream wants, since any number of them may go into one
// output value; it is cancelled when the downstream stops, and so is every
// sub-pipeline.
//
// GroupBy panics if limit is not positive, or key or f is nil.
func GroupBy[T any, K comparable, U any](src Source[T], limit int, key func(v T) K, f func(k K, group Source[T]) Source[U]) Source[U] {
	mustPositive("GroupBy", "limit", limit)
	mustFunc("GroupBy", "key", key == nil)
	mustFunc("GroupBy", "f", f == nil)
	up := src.runner()
	return Source[U]{run: func(ctx context.Context, want int, out sink[U]) error {
		if stop(want) {
			return nil
		}
		runCtx := ctx
		return runStage(ctx, groupByScope, func(st *stage) error {
			r := &router[T, K, U]{
				st: st, key: key, f: f, limit: limit, want: want,
				out:    newQueue[U](hopLimit, 1, want), // 1: the router, until it has ended
				groups: make(map[K]*group[T, K]),
				slots:  make(chan struct{}, limit),
			}
			r.lru.prev, r.lru.next = &r.lru, &r.lru
			st.onLeave(r.out.Stop)
			st.goProducer(func(ctx context.Context) error { return r.route(ctx, up) })
			return drain(st.consumerCtx(), runCtx, r.out, want, out)
		})
	}}
}

// A group is a live group of GroupBy: its queue carries the group's values
// to its sub-pipeline. Groups are in a list by the time of their last
// value, most recent first.
type group[T any, K comparable] struct {
	key        K
	q          *handoff.Queue[T]
	pending    []T // values of the batch being routed, not yet put in q
	prev, next *group[T, K]
}

// A router runs the goroutine of GroupBy that reads src. Only that
// goroutine uses groups and lru.
type router[T any, K comparable, U any] struct {
	st     *stage
	key    func(T) K
	f      func(K, Source[T]) Source[U]
	limit  int
	want   int
	out    *handoff.Queue[U]
	groups map[K]*group[T, K]
	lru    group[T, K]    // the sentinel of the list of live groups
	slots  chan struct{}  // one per running sub-pipeline
	dirty  []*group[T, K] // the groups with pending values
	done   <-chan struct{}
	wake   chan struct{}
}

func (r *router[T, K, U]) route(ctx context.Context, up runFunc[T]) error {
	r.done, r.wake = ctx.Done(), handoff.NewWake()
	// The values of a batch are sorted into their groups' pending values,
	// and each group gets its share in one Put: a lock per group and
	// batch rather than per value.
	var last *group[T, K] // the group of the value before, if still live
	add := func(v T) bool {
		k := r.key(v)
		g := last
		if g == nil || g.key != k || r.groups[k] != g {
			if g = r.groups[k]; g == nil {
				if g = r.start(k); g == nil {
					return false
				}
			}
			r.touch(g)
			last = g
		}
		if len(g.pending) == 0 {
			r.dirty = append(r.dirty, g)
		}
		g.pending = append(g.pending, v)
		return true
	}
	next := func() int {
		if !r.flush() || r.out.Stopped() {
			return 0
		}
		return unbounded
	}
	err := up(ctx, unbounded, sink[T]{
		batches: pushFunc[T](func(batch []T) int {
			for _, v := range batch {
				if !add(v) {
					return 0
				}
			}
			return next()
		}),
		one: func(v T) int {
			if !add(v) {
				return 0
			}
			return next()
		},
	})
	for _, g := range r.groups {
		g.q.ProducerDone() // the group's Source ends after its values
	}
	if err == nil {
		err = ctx.Err() // stopped early by a cancellation: not the end of the stream
	}
	if err != nil {
		r.out.Abort(err)
		return err
	}
	r.out.ProducerDone()
	return nil
}

// flush puts the pending values of each group into its queue. It reports
// false if the run is being stopped. A sub-pipeline that has stopped
// taking values has them dropped.
func (r *router[T, K, U]) flush() bool {
	for i, g := range r.dirty {
		r.dirty[i] = nil
		if !r.put(g) {
			r.dirty = r.dirty[:0]
			return false
		}
	}
	r.dirty = r.dirty[:0]
	return true
}

// put puts g's pending values into its queue, and reports false if the
// run is being stopped.
func (r *router[T, K, U]) put(g *group[T, K]) bool {
	if len(g.pending) == 0 {
		return true
	}
	_, err := g.q.Put(g.pending, r.done, r.wake)
	clear(g.pending)
	g.pending = g.pending[:0]
	select {
	case <-r.done:
		return err == nil
	default:
		return true // an error says the sub-pipeline stopped taking values
	}
}

// start starts the group of key k, after ending the least recent group if
// limit are live and waiting for its sub-pipeline to finish. It returns nil
// if the run is being stopped, or the downstream wants no more values.
func (r *router[T, K, U]) start(k K) *group[T, K] {
	if len(r.groups) == r.limit {
		old := r.lru.prev
		old.prev.next, old.next.prev = old.next, old.prev
		delete(r.groups, old.key)
		if !r.put(old) { // its values of this batch go first
			return nil
		}
		old.q.ProducerDone()
	}
	select {
	case r.slots <- struct{}{}:
	case <-r.done:
		return nil
	}
	if r.out.Stopped() {
		<-r.slots
		return nil
	}
	q := handoff.NewQueue[T](handoff.Config{Limit: maxBatch, Size: maxBatch, Producers: 1})
	g := &group[T, K]{key: k, q: q, prev: &r.lru, next: r.lru.next}
	r.lru.next.prev, r.lru.next = g, g
	r.groups[k] = g
	run := r.f(k, groupSource(q)).runner()
	r.out.AddProducers(1)
	r.st.goProducer(func(ctx context.Context) error {
		defer func() { <-r.slots }()
		err := feed(ctx, r.out, run, r.want, false)
		q.Stop() // the router drops the values the sub-pipeline did not take
		return err
	})
	return g
}

// touch moves g to the front of the list: it has just received a value.
func (r *router[T, K, U]) touch(g *group[T, K]) {
	if r.lru.next == g {
		return
	}
	g.prev.next, g.next.prev = g.next, g.prev
	g.prev, g.next = &r.lru, r.lru.next
	r.lru.next.prev, r.lru.next = g, g
}

// groupSource returns the Source of a group's values, which come through
// q. It can be run once: a second run finds q drained.
func groupSource[T any](q *handoff.Queue[T]) Source[T] {
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		return drain(ctx, ctx, q, want, out)
	}}
}
