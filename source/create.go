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
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		for i := 0; i < len(vs) && !stop(want); {
			if err := ctx.Err(); err != nil {
				return err
			}
			n := min(batchSize(want), len(vs)-i)
			want = emit(vs[i : i+n : i+n])
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
	return Source[T]{run: func(context.Context, int, func([]T) int) error { return err }}
}

// Concat returns a Source of the values of each source in turn: all of the
// first, then all of the second, and so on. A source runs only once the one
// before it has ended, and only if the downstream still wants values; the
// first failure ends the stream.
func Concat[T any](sources ...Source[T]) Source[T] {
	srcs := slices.Clone(sources)
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		pass := func(batch []T) int {
			want = emit(batch)
			return want
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
// Take downstream stops seq right after the last value it takes.
func FromSeq[T any](seq iter.Seq[T]) Source[T] {
	mustFunc("FromSeq", "seq", seq == nil)
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		if err := ctx.Err(); err != nil || stop(want) {
			return err
		}
		// An iterator gives no way to ask for fewer values, and may
		// block between them, so values are passed on one at a time.
		var err error
		var one [1]T
		for v := range seq {
			if err = ctx.Err(); err != nil {
				break
			}
			one[0] = v
			if want = emit(one[:]); stop(want) {
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
	return Source[T]{run: func(ctx context.Context, want int, emit func([]T) int) error {
		if err := ctx.Err(); err != nil || stop(want) {
			return err
		}
		var err error
		var one [1]T
		for v, verr := range seq {
			if err = verr; err != nil {
				break
			}
			if err = ctx.Err(); err != nil {
				break
			}
			one[0] = v
			if want = emit(one[:]); stop(want) {
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
// run then ends cleanly. If ctx is done, emit returns ctx.Err(). Any other
// error that f returns ends the run with that error. emit must be called
// only by f's goroutine, and not after f has returned.
//
// FromFunc is the way to adapt a producer that pushes values from a loop,
// such as a scanner or a paginated client. For callbacks that arrive on
// goroutines you do not control, use [FromCallback] instead.
func FromFunc[T any](f func(ctx context.Context, emit func(T) error) error) Source[T] {
	mustFunc("FromFunc", "f", f == nil)
	return Source[T]{run: func(ctx context.Context, want int, down func([]T) int) error {
		if err := ctx.Err(); err != nil || stop(want) {
			return err
		}
		var one [1]T
		stopped, returned := false, false
		err := f(ctx, func(v T) error {
			if returned {
				panic("source: FromFunc's emit called after f returned; call emit only from f, before it returns")
			}
			if stopped {
				return ErrStop
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			one[0] = v
			if want = down(one[:]); stop(want) {
				stopped = true
				return ErrStop
			}
			return nil
		})
		returned = true
		if errors.Is(err, ErrStop) {
			return nil
		}
		return err
	}}
}
