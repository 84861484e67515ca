package source_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/source"
)

// The time-based operators are tested in synctest bubbles: time is fake,
// so the tests are instant and the times exact.

const msec = time.Millisecond

// timed returns a source that emits i at the i-th of the given times
// after the run starts, one at a time, then ends at the time end (or at
// once if end is 0).
func timed(end time.Duration, at ...time.Duration) source.Source[int] {
	return source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		start := time.Now()
		for i, d := range at {
			time.Sleep(time.Until(start.Add(d)))
			if err := emit(i); err != nil {
				return err
			}
		}
		time.Sleep(time.Until(start.Add(end)))
		return nil
	})
}

// timedValue is a value and when it reached the downstream, from the
// start of the run.
type timedValue[T any] struct {
	V  T
	At time.Duration
}

// times runs src in the current bubble and returns its values with
// the times they arrived.
func times[T any](t *testing.T, src source.Source[T]) []timedValue[T] {
	t.Helper()
	var got []timedValue[T]
	start := time.Now()
	err := src.RunForEach(t.Context(), func(v T) error {
		got = append(got, timedValue[T]{v, time.Since(start)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestTick(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		got := times(t, source.Map(source.Tick(100*msec).Take(3), func(tm time.Time) time.Duration {
			return tm.Sub(start)
		}))
		equal(t, got, []timedValue[time.Duration]{{100 * msec, 100 * msec}, {200 * msec, 200 * msec}, {300 * msec, 300 * msec}})

		// A slow downstream: ticks are dropped, the values stay d apart.
		var prev time.Time
		n := 0
		err := source.Tick(100*msec).Take(5).RunForEach(t.Context(), func(tm time.Time) error {
			if n++; n > 1 && tm.Sub(prev) < 100*msec {
				t.Errorf("ticks %v apart", tm.Sub(prev))
			}
			prev = tm
			time.Sleep(250 * msec)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > 300*msec+5*300*msec {
			t.Errorf("5 ticks with a slow downstream took %v", took)
		}
	})
}

func TestThrottle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Up to 2 at once, then one more as each value 2 places back gets
		// a second old.
		got := times(t, source.Of(0, 1, 2, 3, 4).Throttle(2, time.Second))
		equal(t, got, []timedValue[int]{{0, 0}, {1, 0}, {2, time.Second}, {3, time.Second}, {4, 2 * time.Second}})

		// A sliding window over the last n values, not fixed slots.
		got = times(t, timed(0, 0, 500*msec, 900*msec, 1200*msec, 3000*msec).Throttle(2, time.Second))
		equal(t, got, []timedValue[int]{{0, 0}, {1, 500 * msec}, {2, 1000 * msec}, {3, 1500 * msec}, {4, 3000 * msec}})

		// Batches larger than n.
		vs := source.FromSlice(ints(10)).Throttle(4, 100*msec)
		got = times(t, vs)
		for i, tv := range got {
			if want := time.Duration(i/4) * 100 * msec; tv.At != want {
				t.Errorf("value %d at %v, want %v", i, tv.At, want)
			}
		}
	})
}

func TestDebounce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A burst at 0, 500ms, 1s; quiet; 3s; the end at 3.2s.
		got := times(t, timed(3200*msec, 0, 500*msec, 1000*msec, 3000*msec).Debounce(time.Second))
		equal(t, got, []timedValue[int]{{2, 2000 * msec}, {3, 3200 * msec}})

		// Values more than d apart all pass; the last one at the end.
		got = times(t, timed(0, 0, 1500*msec, 3000*msec).Debounce(time.Second))
		equal(t, got, []timedValue[int]{{0, 1000 * msec}, {1, 2500 * msec}, {2, 3000 * msec}})

		// Nothing to emit.
		equal(t, times(t, timed(time.Second).Debounce(time.Second)), nil)
	})
}

func TestGroupedWithin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 0..2 fill a group at 400ms; 3 waits its window from 500ms;
		// 4 and 5 are passed on at the end, 2.7s.
		src := timed(2700*msec, 0, 200*msec, 400*msec, 500*msec, 2000*msec, 2500*msec)
		got := times(t, source.Map(source.GroupedWithin(src, 3, time.Second), func(g []int) string {
			return format(g)
		}))
		equal(t, got, []timedValue[string]{{"[0 1 2]", 400 * msec}, {"[3]", 1500 * msec}, {"[4 5]", 2700 * msec}})

		// Values that come at once go in full groups.
		got = times(t, source.Map(source.GroupedWithin(source.FromSlice(ints(7)), 3, time.Second), format))
		equal(t, got, []timedValue[string]{{"[0 1 2]", 0}, {"[3 4 5]", 0}, {"[6]", 0}})
	})
}

func format(g []int) string {
	s := "["
	for i, v := range g {
		if i > 0 {
			s += " "
		}
		s += string(rune('0' + v))
	}
	return s + "]"
}
