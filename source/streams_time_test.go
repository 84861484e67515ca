package source_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/source"
	"github.com/corral-go/corral/timeout"
)

func TestDebounceBy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Value 1 waits 0: it goes at once. Others wait a second of quiet.
		quiet := func(v int) time.Duration {
			if v == 1 {
				return 0
			}
			return time.Second
		}
		got := times(t, timed(5000*msec, 0, 200*msec, 2000*msec, 2500*msec).DebounceBy(quiet))
		equal(t, got, []timedValue[int]{{1, 200 * msec}, {3, 3500 * msec}})

		// As Debounce with a constant quiet period.
		got = times(t, timed(3200*msec, 0, 500*msec, 1000*msec, 3000*msec).DebounceBy(func(int) time.Duration { return time.Second }))
		equal(t, got, []timedValue[int]{{2, 2000 * msec}, {3, 3200 * msec}})
	})
}

func TestGroupedWeightedWithin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Weights are the values: 0+1+2+3 reach 5 at 300ms; 4 waits its
		// window from 400ms; 5 and 6 at the end, 3s.
		src := timed(3000*msec, 0, 100*msec, 200*msec, 300*msec, 400*msec, 2000*msec, 2100*msec)
		// The values are 0, 1, ...: weights 0 1 2 3 make 6 >= 5.
		got := times(t, source.Map(source.GroupedWeightedWithin(src, 5, time.Second, func(v int) int { return v }), format))
		equal(t, got, []timedValue[string]{{"[0 1 2 3]", 300 * msec}, {"[4]", 1400 * msec}, {"[5]", 2000 * msec}, {"[6]", 2100 * msec}})
	})
}

func TestBatchWeighted(t *testing.T) {
	// A value that does not fit waits for the next slice; one heavier
	// than the limit goes alone.
	weight := func(v int) int { return v }
	synctest.Test(t, func(t *testing.T) {
		busy, release := make(chan struct{}), make(chan struct{})
		src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
			if err := emit(1); err != nil {
				return err
			}
			<-busy
			for _, v := range []int{2, 3, 4, 9, 1} {
				if err := emit(v); err != nil {
					return err
				}
			}
			return nil
		})
		// Once the downstream is busy with [1] and the producer waits
		// with [2 3] full, let the downstream go on.
		go func() {
			<-busy
			synctest.Wait()
			close(release)
		}()
		first := true
		groups := collect(t, source.BatchWeighted(src, 5, weight).Tap(func([]int) {
			if first {
				first = false
				close(busy)
				<-release
			}
		}))
		want := [][]int{{1}, {2, 3}, {4}, {9}, {1}}
		if !slices.EqualFunc(groups, want, slices.Equal) {
			t.Fatalf("BatchWeighted = %v, want %v", groups, want)
		}
	})
	if _, err := run(source.BatchWeighted(failing(1), 5, weight)); err != errBoom {
		t.Errorf("err = %v, want errBoom", err)
	}
	pe := panicError(t, func() { _, _ = run(source.BatchWeighted(source.Of(1), 5, func(int) int { return -1 })) })
	if s, _ := pe.Value.(string); s != "source: BatchWeighted's weight returned -1 for a value; weights must be 0 or more" {
		t.Errorf("panic %v", pe.Value)
	}
}

func TestConflateWithSeed(t *testing.T) {
	for range 20 {
		busy, release := make(chan struct{}), make(chan struct{})
		src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
			defer close(release)
			if err := emit(1); err != nil {
				return err
			}
			<-busy
			for v := 2; v <= 5; v++ {
				if err := emit(v); err != nil {
					return err
				}
			}
			return nil
		})
		first := true
		got := collect(t, source.ConflateWithSeed(src, func(v int) []int { return []int{v} },
			func(acc []int, v int) []int { return append(acc, v) }).Tap(func([]int) {
			if first {
				first = false
				close(busy)
				<-release
			}
		}))
		if !slices.EqualFunc(got, [][]int{{1}, {2, 3, 4, 5}}, slices.Equal) {
			t.Fatalf("ConflateWithSeed = %v, want [[1] [2 3 4 5]]", got)
		}
	}
}

func TestTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		got, err := source.Concat(timed(0, 0, 500*msec), waitForever[int]()).Timeout(time.Second).RunToSlice(t.Context())
		if !errors.Is(err, timeout.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want a timeout", err)
		}
		equal(t, got, []int{0, 1})

		// In time; stopped by a Take whenever.
		equal(t, times(t, timed(900*msec, 0).Timeout(time.Second)), []timedValue[int]{{0, 0}})
		got, err = source.Concat(timed(0, 0), waitForever[int]()).Timeout(time.Second).Take(1).RunToSlice(t.Context())
		if err != nil {
			t.Errorf("err = %v after Take", err)
		}
		equal(t, got, []int{0})

		// A slow downstream counts.
		_, err = timed(0, 0, 100*msec).Timeout(time.Second).RunToSlice(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		err = timed(0, 0, 100*msec).Timeout(time.Second).RunForEach(t.Context(), func(int) error {
			time.Sleep(600 * msec)
			return nil
		})
		if !errors.Is(err, timeout.ErrTimeout) {
			t.Errorf("slow downstream: err = %v, want a timeout", err)
		}

		// The run's own cancellation is not a timeout.
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- waitForever[int]().Timeout(time.Hour).RunDrain(ctx) }()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) || errors.Is(err, timeout.ErrTimeout) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}
