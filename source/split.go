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
	up := src.runner()
	return Source[[]T]{run: func(ctx context.Context, want int, out sink[[]T]) error {
		if stop(want) {
			return nil
		}
		var cur []T
		var chunks [][]T
		err := up(ctx, expandBound(want), pushOnly(func(batch []T) int {
			for _, v := range batch {
				if !delim(v) {
					cur = append(cur, v)
					continue
				}
				if cur == nil {
					cur = []T{}
				}
				chunks = append(chunks, cur)
				cur = nil
			}
			return flushChunks(&chunks, &want, out.push)
		}))
		if err == nil && len(cur) > 0 && !stop(want) {
			out.one(cur)
		}
		return err
	}}
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
	up := src.runner()
	return Source[[]T]{run: func(ctx context.Context, want int, out sink[[]T]) error {
		if stop(want) {
			return nil
		}
		var cur []T
		var chunks [][]T
		d := len(delim)
		err := up(ctx, expandBound(want), pushOnly(func(batch []T) int {
			for _, v := range batch {
				cur = append(cur, v)
				if d == 0 || len(cur) < d || !slices.Equal(cur[len(cur)-d:], delim) {
					continue
				}
				chunk := slices.Clip(cur[:len(cur)-d])
				if chunk == nil {
					chunk = []T{}
				}
				chunks = append(chunks, chunk)
				cur = nil
			}
			return flushChunks(&chunks, &want, out.push)
		}))
		if err == nil && len(cur) > 0 && !stop(want) {
			out.one(cur)
		}
		return err
	}}
}

// flushChunks passes the chunks in *chunks downstream, updating *want, and
// returns the bound for the upstream of a stage that makes one chunk of an
// unknown number of values.
func flushChunks[T any](chunks *[][]T, want *int, push func([][]T) int) int {
	if len(*chunks) > 0 {
		*want = emitAll(*chunks, *want, push)
		clear(*chunks) // the chunks belong to the downstream now
		*chunks = (*chunks)[:0]
	}
	if stop(*want) {
		return 0
	}
	return expandBound(*want)
}
