package source

import (
	"context"
	"errors"
	"iter"
	"slices"
)

// Of returns a Source of the given values, in order.
func Of[T any](vs ...T) Source[T] { return FromSlice(vs) }

// FromSlice returns a Source of the elements of vs, in order. The slice is
// read when the Source runs, not copied: do not modify it while a run is in
// progress.
func FromSlice[T any](vs []T) Source[T] {
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		for i := 0; i < len(vs) && !stop(want); {
			if err := ctx.Err(); err != nil {
				return err
			}
			n := min(batchSize(want), len(vs)-i)
			want = out.push(vs[i : i+n : i+n])
			i += n
		}
		return nil
	}}
}

// Empty returns a Source with no values. It is the same as the zero Source.
func Empty[T any]() Source[T] { return Source[T]{} }

// Failed returns a Source that has no values and fails with err when it
// runs. Failed panics if err is nil.
func Failed[T any](err error) Source[T] {
	if err == nil {
		panic("source: Failed called with nil err; pass the error the run should fail with, or use Empty")
	}
	return Source[T]{run: func(context.Context, int, sink[T]) error { return err }}
}

// Concat returns a Source of the values of each source in turn: all of the
// first, then all of the second, and so on. A source runs only once the one
// before it has ended, and only if the downstream still wants values; the
// first failure ends the stream.
func Concat[T any](sources ...Source[T]) Source[T] {
	srcs := slices.Clone(sources)
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		pass := sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				want = out.push(batch)
				return want
			}),
			one: func(v T) int {
				want = out.one(v)
				return want
			},
		}
		for _, s := range srcs {
			if stop(want) {
				return nil
			}
			if err := s.runner()(ctx, want, pass); err != nil {
				return err
			}
		}
		return nil
	}}
}

// FromSeq returns a Source of the values of seq. The Source ranges over seq
// when it runs, so running it twice ranges over seq twice, which only works
// if seq can be iterated more than once.
//
// Each value is passed downstream as soon as seq yields it, so a seq that
// waits for input (a network stream, say) delivers without delay, and a
// Take downstream stops seq right after the last value it takes. The run's
// context is checked before the first value and then every 64 values.
func FromSeq[T any](seq iter.Seq[T]) Source[T] {
	mustFunc("FromSeq", "seq", seq == nil)
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if err := ctx.Err(); err != nil || stop(want) {
			return err
		}
		// An iterator gives no way to ask for fewer values, and may
		// block between them, so values are passed on one at a time.
		var err error
		var c ctxCheck
		for v := range seq {
			if err = c.check(ctx); err != nil {
				break
			}
			if stop(out.one(v)) {
				break
			}
		}
		return err
	}}
}

// FromSeq2 returns a Source of the values of seq, a sequence of (value,
// error) pairs such as a database cursor or a paginated API yields. The
// first pair with a non-nil error ends the run with that error; its value
// is ignored. Otherwise it behaves as [FromSeq].
func FromSeq2[T any](seq iter.Seq2[T, error]) Source[T] {
	mustFunc("FromSeq2", "seq", seq == nil)
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if err := ctx.Err(); err != nil || stop(want) {
			return err
		}
		var err error
		var c ctxCheck
		for v, verr := range seq {
			if err = verr; err != nil {
				break
			}
			if err = c.check(ctx); err != nil {
				break
			}
			if stop(out.one(v)) {
				break
			}
		}
		return err
	}}
}

// ErrStop is returned by the emit function that [FromFunc] passes to its
// producer once the downstream wants no more values (a [Source.Take] is
// satisfied, say). The producer should return it, or any error wrapping it,
// and the run then ends without error. A producer may also return ErrStop
// of its own accord to end the stream, like returning nil.
var ErrStop = errors.New("source: stop emitting")

// FromFunc returns a Source whose values are those that f emits. When the
// Source runs, f is called once, on the goroutine that runs the pipeline
// (for a fused pipeline, the caller of the terminal), with the run's context
// and an emit function. Each call of emit passes one value downstream
// before it returns, so the values are processed as they come.
//
// emit returns nil while the downstream wants more values; once it does
// not, emit returns [ErrStop], and f should return that error promptly: the
// run then ends cleanly. Once ctx is done, emit returns ctx.Err(): it checks
// ctx at its first call and then every 64 calls, as sources that produce
// batches check it once per batch, so up to 63 values emitted after a
// cancellation may still go downstream. A producer that waits between
// values should wait with ctx, as f's ctx is the run's. Any other error
// that f returns ends the run with that error. emit must be called only by
// f's goroutine, and not after f has returned.
//
// FromFunc is the way to adapt a producer that pushes values from a loop,
// such as a scanner or a paginated client. For callbacks that arrive on
// goroutines you do not control, use [FromCallback] instead.
func FromFunc[T any](f func(ctx context.Context, emit func(T) error) error) Source[T] {
	mustFunc("FromFunc", "f", f == nil)
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if err := ctx.Err(); err != nil || stop(want) {
			return err
		}
		// budget counts down the calls of emit until the next check of
		// ctx; at 0 or below, emit takes the slow path, which also
		// handles a stopped or returned f: one decrement and one branch
		// on the way of each value.
		budget := 0
		stopped, returned := false, false
		one := out.one
		err := f(ctx, func(v T) error {
			if budget--; budget <= 0 {
				switch {
				case returned:
					panic("source: FromFunc's emit called after f returned; call emit only from f, before it returns")
				case stopped:
					return ErrStop
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				budget = ctxEvery
			}
			if stop(one(v)) {
				stopped, budget = true, 0
				return ErrStop
			}
			return nil
		})
		returned, budget = true, 0
		if errors.Is(err, ErrStop) {
			return nil
		}
		return err
	}}
}

// ctxEvery is how many values a source that passes values on one at a
// time lets go by between two checks of the run's context: a check costs
// about as much as a stage, and sources that push batches check once per
// batch.
const ctxEvery = 64

// A ctxCheck checks a context every ctxEvery calls, the first included.
type ctxCheck struct{ n uint32 }

func (c *ctxCheck) check(ctx context.Context) error {
	c.n++
	if c.n%ctxEvery != 1 {
		return nil
	}
	return ctx.Err()
}
