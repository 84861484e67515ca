package source

import (
	"context"
	"slices"
)

// Split returns a Source of the runs of values of src between delimiters:
// each value for which delim returns true ends the chunk before it and is
// dropped. Two delimiters in a row give an empty chunk, and so does a
// delimiter at the start; the values after the last delimiter are a last
// chunk if there are any. So Split over 0 1 2 3 4 5 6 with delim "is a
// multiple of 3" emits [] [1 2] [4 5]. Each chunk is a new slice, so it
// may be kept. This is Ox's split.
//
// Fused. Since the number of values that make a chunk is unknown, the stage
// asks the upstream for one value at a time while the downstream's demand
// is bounded (a Take after it), so that no value is produced in vain.
//
// Split panics if delim is nil.
func Split[T any](src Source[T], delim func(T) bool) Source[[]T] {
	mustFunc("Split", "delim", delim == nil)
	return chunked(src, func() func(cur []T, v T) ([]T, bool) {
		return func(cur []T, v T) ([]T, bool) {
			if !delim(v) {
				return append(cur, v), false
			}
			if cur == nil {
				cur = []T{}
			}
			return cur, true
		}
	})
}

// SplitOn returns a Source of the runs of values of src between occurrences
// of the sequence delim, which are dropped: SplitOn over 1 2 0 0 3 4 0 0 5
// with delim [0 0] emits [1 2] [3 4] [5]. Occurrences are found from the
// left and do not overlap; two in a row give an empty chunk, and so does
// one at the start; the values after the last one are a last chunk if there
// are any. An empty delim splits nothing: the values of src are one chunk.
// Each chunk is a new slice, so it may be kept; delim is copied. This is
// Ox's splitOn; to split a stream of bytes or runes into lines, see also
// [Lines].
//
// Fused. SplitOn asks the upstream for one value at a time while the
// downstream's demand is bounded, as [Split] does.
func SplitOn[T comparable](src Source[T], delim []T) Source[[]T] {
	delim = slices.Clone(delim)
	d := len(delim)
	return chunked(src, func() func(cur []T, v T) ([]T, bool) {
		return func(cur []T, v T) ([]T, bool) {
			cur = append(cur, v)
			if d == 0 || len(cur) < d || !slices.Equal(cur[len(cur)-d:], delim) {
				return cur, false
			}
			chunk := slices.Clip(cur[:len(cur)-d])
			if chunk == nil {
				chunk = []T{}
			}
			return chunk, true
		}
	})
}

// chunked is the run of the stages that cut src into chunks at values
// (Split, SplitOn, GroupedWeighted). Each run calls newAdd for its add,
// which takes the chunk being built, cur, and the next value: it returns
// cur with v added and false, or the chunk that v completed and true, and
// the next chunk starts empty. Chunks are passed on as they are completed,
// and a last chunk of the values left when src ends, if there are any.
// Since the number of values that make a chunk is unknown, the upstream is
// asked for one value at a time while the downstream's demand is bounded.
func chunked[T any](src Source[T], newAdd func() func(cur []T, v T) ([]T, bool)) Source[[]T] {
	up := src.runner()
	return Source[[]T]{run: func(ctx context.Context, want int, out sink[[]T]) error {
		if stop(want) {
			return nil
		}
		add := newAdd()
		var cur []T
		var chunks [][]T
		err := up(ctx, expandBound(want), pushOnly(func(batch []T) int {
			for _, v := range batch {
				var done bool
				if cur, done = add(cur, v); done {
					chunks = append(chunks, cur)
					cur = nil
				}
			}
			if want = emitGroups(&chunks, want, out.push); stop(want) {
				return 0
			}
			return expandBound(want)
		}))
		if err == nil && len(cur) > 0 && !stop(want) {
			out.one(cur)
		}
		return err
	}}
}
