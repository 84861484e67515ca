package source

import (
	"context"
	"time"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source/internal/handoff"
)

var (
	conflateWithSeedScope = scope.WithName("source.ConflateWithSeed")
	conflateErrScope      = scope.WithName("source.ConflateErr")
	debounceByScope       = scope.WithName("source.DebounceBy")
)

// ConflateWithSeed is [Source.Conflate] for a combination of another type
// than the values: while the downstream is busy, the first value that
// arrives starts a combination seed(v), and the values after it are
// combined into it with combine(acc, v), in order; the downstream gets the
// combination when it is ready. With a downstream that keeps up, each value
// v passes as seed(v). So ConflateWithSeed(src, func(v T) []T { return
// []T{v} }, func(acc []T, v T) []T { return append(acc, v) }) passes on
// what accumulated as slices, as [Batch] does without a size limit.
//
// Async, as Conflate: one goroutine runs src and calls seed and combine,
// and never waits for the downstream; at most one combination waits. When
// src ends, the combination waiting is passed on; an error from src ends
// the run at once (the combination waiting is dropped); a panic in seed or
// combine reaches the terminal as a [*scope.PanicError]. The upstream is
// not told how many values the downstream wants; it is cancelled when the
// downstream stops.
//
// ConflateWithSeed panics if seed or combine is nil.
func ConflateWithSeed[T, S any](src Source[T], seed func(v T) S, combine func(acc S, v T) S) Source[S] {
	mustFunc("ConflateWithSeed", "seed", seed == nil)
	mustFunc("ConflateWithSeed", "combine", combine == nil)
	up := src.runner()
	return Source[S]{run: func(ctx context.Context, want int, out sink[S]) error {
		if stop(want) {
			return nil
		}
		return conflateWith(ctx, up, conflateWithSeedScope, func(acc S, has bool, batch []T) (S, time.Duration, error) {
			if !has {
				acc, batch = seed(batch[0]), batch[1:]
			}
			for _, v := range batch {
				acc = combine(acc, v)
			}
			return acc, 0, nil
		}, out)
	}}
}

// ConflateErr is [Source.Conflate] for a combine that can fail: the first
// error combine returns ends the run at once with that error, as an error
// from s does (the value waiting is dropped).
//
// Async, as Conflate.
//
// ConflateErr panics if combine is nil.
func (s Source[T]) ConflateErr(combine func(acc, v T) (T, error)) Source[T] {
	mustFunc("ConflateErr", "combine", combine == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		return conflateWith(ctx, up, conflateErrScope, func(acc T, has bool, batch []T) (T, time.Duration, error) {
			if !has {
				acc, batch = batch[0], batch[1:]
			}
			for _, v := range batch {
				var err error
				if acc, err = combine(acc, v); err != nil {
					return acc, 0, err
				}
			}
			return acc, 0, nil
		}, out)
	}}
}

// DebounceBy is [Source.Debounce] with a quiet period chosen per value: a
// value v is passed on once quiet(v) has passed without another value from
// s, and a value followed sooner by another is dropped. A quiet period of 0
// or less passes the value on at once (unless the downstream is busy and
// another value replaces it first). So a search box can wait 300ms after
// each keystroke but search at once on Enter. As with Debounce, when s ends
// the last value is passed on at once.
//
// This is Kotlin Flow's debounce with a timeout per value. Ox's debounceBy
// is something else, the removal of repeats: that is [DistinctAdjacentBy].
//
// Async, as Debounce: one goroutine runs s and calls quiet, and never
// waits for the downstream; the latest value waits with a timer on the
// goroutine of the run. An error from s ends the run at once (the waiting
// value is dropped); a panic in quiet reaches the terminal as a
// [*scope.PanicError]. The upstream is cancelled when the downstream stops.
//
// DebounceBy panics if quiet is nil.
func (s Source[T]) DebounceBy(quiet func(v T) time.Duration) Source[T] {
	mustFunc("DebounceBy", "quiet", quiet == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		return conflateWith(ctx, up, debounceByScope, func(_ T, _ bool, batch []T) (T, time.Duration, error) {
			v := batch[len(batch)-1]
			return v, quiet(v), nil
		}, out)
	}}
}

// conflateWith is the run of every conflating stage (Conflate, Debounce,
// ConflateWithSeed, ConflateErr and DebounceBy): for a combination of
// another type S than the values, a merge that can fail, and a quiet period
// per combination: one goroutine runs up and merges each
// batch into the combination in a slot with merge, which returns the new
// combination and how long it must wait quiet before it goes on (0 or less:
// at once). merge runs outside the slot's lock: it calls user functions,
// which may panic.
//
// The slot measures a single delay from each value's arrival time, so the
// quiet period q of a combination is folded into the time it is said to
// arrive: it arrives q-slotDelay from now and waits slotDelay, that is
// until q from now.
func conflateWith[T, S any](ctx context.Context, up runFunc[T], name scope.Option,
	merge func(acc S, has bool, batch []T) (S, time.Duration, error), out sink[S]) error {
	const slotDelay = time.Nanosecond
	return runStage(ctx, name, func(st *stage) error {
		slot := handoff.NewSlot[S]()
		defer slot.Stop()
		st.goProducer(func(ctx context.Context) error {
			done := ctx.Done()
			var merr error
			err := up(ctx, unbounded, pushOnly(func(batch []T) int {
				acc, has, _ := slot.Claim()
				acc, quiet, err := merge(acc, has, batch)
				if err != nil {
					merr = err
					return 0
				}
				slot.Put(acc, time.Now().Add(quiet-slotDelay), quiet <= 0)
				select {
				case <-done:
					return 0
				default:
					return unbounded
				}
			}))
			if merr != nil {
				return merr // fails the scope, which cancels the consumer
			}
			if err == nil {
				err = ctx.Err() // stopped early by a cancellation: not the end of the stream
			}
			if err != nil {
				return err
			}
			slot.End()
			return nil
		})
		for {
			v, ok, err := slot.Next(st.consumerCtx(), slotDelay)
			if err != nil || !ok {
				return err
			}
			if stop(out.one(v)) { // one value at a time keeps to any bound
				return nil
			}
		}
	})
}
