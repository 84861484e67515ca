package source

import (
	"context"
	"slices"
)

// Grouped returns a Source of the values of src in groups of size: each
// group is a new slice of size values, in order, except that the last one
// may be shorter. The groups are not reused, so they may be kept. A group
// is emitted as soon as it is full; for groups that are also emitted after
// a time limit, see [GroupedWithin].
//
// Fused. Grouped panics if size is not positive.
func Grouped[T any](src Source[T], size int) Source[[]T] {
	mustPositive("Grouped", "size", size)
	up := src.runner()
	return Source[[]T]{run: func(ctx context.Context, want int, out sink[[]T]) error {
		if stop(want) {
			return nil
		}
		var cur []T // the group being filled
		var groups [][]T
		need := func(want int) int {
			if want < 0 {
				return unbounded
			}
			return addWant(mulWant(want-1, size), size-len(cur))
		}
		err := up(ctx, need(want), pushOnly(func(batch []T) int {
			for len(batch) > 0 {
				if cur == nil {
					cur = make([]T, 0, min(size, maxBatch))
				}
				k := min(size-len(cur), len(batch))
				cur = append(cur, batch[:k]...)
				batch = batch[k:]
				if len(cur) == size {
					groups = append(groups, cur)
					cur = nil
				}
			}
			if want = emitGroups(&groups, want, out.push); stop(want) {
				return 0
			}
			return need(want)
		}))
		if err == nil && len(cur) > 0 && !stop(want) {
			out.push(append(groups[:0], cur))
		}
		return err
	}}
}

// Sliding returns a Source of windows over the values of src: each window
// is a new slice of size consecutive values, and each starts step values
// after the one before it. So Sliding(src, 3, 1) over 1 2 3 4 emits [1 2 3]
// [2 3 4], and with step 2 windows overlap by one value. A step larger than
// size skips the values between windows.
//
// Windows are full, except that when src ends with values that no full
// window contained, a last, shorter window holds them: Sliding(src, 3, 2)
// over 1 2 3 4 emits [1 2 3] [3 4], and over fewer values than size it
// emits them all as one window.
//
// Fused. Sliding panics if size or step is not positive.
func Sliding[T any](src Source[T], size, step int) Source[[]T] {
	mustPositive("Sliding", "size", size)
	mustPositive("Sliding", "step", step)
	up := src.runner()
	return Source[[]T]{run: func(ctx context.Context, want int, out sink[[]T]) error {
		if stop(want) {
			return nil
		}
		var (
			win    []T // the values of the window being filled
			skip   int // values to skip before the next window starts
			fresh  int // values in win that no emitted window holds
			groups [][]T
		)
		// Completing the current window takes skip+size-len(win) more
		// values; each window after it, step more.
		need := func(want int) int {
			if want < 0 {
				return unbounded
			}
			return addWant(mulWant(want-1, step), skip+size-len(win))
		}
		err := up(ctx, need(want), pushOnly(func(batch []T) int {
			for _, v := range batch {
				if skip > 0 {
					skip--
					continue
				}
				win = append(win, v)
				fresh++
				if len(win) < size {
					continue
				}
				groups = append(groups, slices.Clone(win))
				fresh = 0
				if step < size {
					win = win[:copy(win, win[step:])]
				} else {
					win, skip = win[:0], step-size
				}
			}
			if want = emitGroups(&groups, want, out.push); stop(want) {
				return 0
			}
			return need(want)
		}))
		if err == nil && fresh > 0 && !stop(want) {
			out.push(append(groups[:0], slices.Clone(win)))
		}
		return err
	}}
}

// emitGroups passes the groups in *groups downstream, within want, and
// returns the downstream's latest bound. The groups belong to the
// downstream then: *groups is emptied, for the stage to reuse.
func emitGroups[T any](groups *[][]T, want int, push func([][]T) int) int {
	if len(*groups) > 0 {
		want = emitAll(*groups, want, push)
		clear(*groups)
		*groups = (*groups)[:0]
	}
	return want
}
