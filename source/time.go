package source

import (
	"context"
	"time"
)

// Tick returns a Source that emits the current time every d, like a
// [time.Ticker]: the first value d after the run starts, and no end: use
// [Source.Take], a time limit or the run's context to end it. Ticks that
// find the downstream busy are dropped, so that a slow downstream gets the
// latest tick rather than a backlog: the values are at least d apart.
//
// Tick starts no goroutine: it waits for its ticker on the goroutine that
// runs the pipeline. When the run's context is cancelled, the run fails
// with the context's error.
//
// Tick panics if d is not positive.
func Tick(d time.Duration) Source[time.Time] {
	mustDuration("Tick", "d", d)
	return Source[time.Time]{run: func(ctx context.Context, want int, out sink[time.Time]) error {
		if stop(want) {
			return nil
		}
		t := time.NewTicker(d)
		defer t.Stop()
		done := ctx.Done()
		for {
			select {
			case now := <-t.C:
				if want = out.one(now); stop(want) {
					return nil
				}
			case <-done:
				return ctx.Err()
			}
		}
	}}
}

// Throttle returns a Source of the values of s, passed on no faster than n
// per duration per: in any span of time of length per, at most n values
// are emitted. Up to n values pass at once; then the stage waits until the
// value n places back is per old. Values are delayed, never dropped: s is
// slowed down.
//
// Throttle starts no goroutine and buffers nothing: it waits on the
// goroutine that runs s, inside the emit call of s. It remembers when the
// values of the last per went out (one entry per instant, not per value).
// A wait ends when the run's context is cancelled, and the run then fails
// with its error.
//
// Throttle counts values in windows; to pass values at the pace of a token
// bucket (an average rate with bursts), shared with other code if need be,
// see [Source.RateLimit].
//
// Throttle panics if n or per is not positive.
func (s Source[T]) Throttle(n int, per time.Duration) Source[T] {
	mustPositive("Throttle", "n", n)
	mustDuration("Throttle", "per", per)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		var w sendLog
		var timer *time.Timer
		defer func() {
			if timer != nil {
				timer.Stop()
			}
		}()
		var werr error
		err := up(ctx, want, pushOnly(func(batch []T) int {
			for len(batch) > 0 {
				now := time.Now()
				k := min(n-w.since(now.Add(-per)), len(batch))
				if k == 0 {
					wait := w.oldest().Add(per).Sub(now)
					if timer == nil {
						timer = time.NewTimer(wait)
					} else {
						timer.Reset(wait)
					}
					select {
					case <-timer.C:
					case <-ctx.Done():
						werr = ctx.Err()
						return 0
					}
					continue
				}
				w.add(now, k)
				if want = out.push(batch[:k:k]); stop(want) {
					return 0
				}
				batch = batch[k:]
			}
			return want
		}))
		if err == nil {
			err = werr
		}
		return err
	}}
}

// A sendLog remembers how many values went out at each instant of a
// sliding span of time, oldest first.
type sendLog struct {
	at    []time.Time
	count []int
	head  int
	total int // values in at[head:]
}

// since forgets the instants at or before start and returns how many
// values went out after it.
func (w *sendLog) since(start time.Time) int {
	for w.head < len(w.at) && !w.at[w.head].After(start) {
		w.total -= w.count[w.head]
		w.head++
	}
	if w.head == len(w.at) {
		w.at, w.count, w.head = w.at[:0], w.count[:0], 0
	}
	return w.total
}

func (w *sendLog) oldest() time.Time { return w.at[w.head] }

// add records k values going out at now, no earlier than the last instant.
func (w *sendLog) add(now time.Time, k int) {
	w.total += k
	if last := len(w.at) - 1; last >= w.head && w.at[last].Equal(now) {
		w.count[last] += k
		return
	}
	if w.head > 0 && len(w.at) == cap(w.at) {
		n := copy(w.at, w.at[w.head:])
		copy(w.count, w.count[w.head:])
		w.at, w.count, w.head = w.at[:n], w.count[:n], 0
	}
	w.at = append(w.at, now)
	w.count = append(w.count, k)
}
