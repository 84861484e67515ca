package retry_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/timeout"
)

func TestRepeatEnds(t *testing.T) {
	tests := []struct {
		name      string
		schedule  *retry.Schedule
		give      []retry.RepeatOption
		wantRuns  int
		wantTaken time.Duration
	}{
		{"MaxRuns", retry.Fixed(time.Second), []retry.RepeatOption{retry.MaxRuns(3)}, 3, 2 * time.Second},
		{"the schedule stops", retry.Fixed(time.Second).WithMaxTotalDelay(3 * time.Second), nil, 4, 3 * time.Second},
		{"one run", retry.Fixed(time.Hour), []retry.RepeatOption{retry.MaxRuns(1)}, 1, 0},
		{"initial delay", retry.Fixed(time.Second), []retry.RepeatOption{retry.MaxRuns(2), retry.InitialDelay(time.Minute)}, 2, time.Minute + time.Second},
		{"last MaxRuns wins", retry.Fixed(time.Second), []retry.RepeatOption{retry.MaxRuns(9), retry.MaxRuns(2)}, 2, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				runs := 0
				start := time.Now()
				err := retry.Repeat(t.Context(), tt.schedule, func(context.Context) error { runs++; return nil }, tt.give...)
				if err != nil || runs != tt.wantRuns || time.Since(start) != tt.wantTaken {
					t.Errorf("Repeat = %v after %d runs in %v; want nil after %d in %v", err, runs, time.Since(start), tt.wantRuns, tt.wantTaken)
				}
			})
		})
	}
}

func TestRepeatStopsAtFirstError(t *testing.T) {
	for _, give := range []error{errFatal, retry.Permanent(errFatal)} {
		runs := 0
		err := retry.Repeat(context.Background(), retry.Immediate(), func(context.Context) error {
			if runs++; runs == 4 {
				return give
			}
			return nil
		})
		if err != errFatal || runs != 4 {
			t.Errorf("Repeat = %v after %d runs, want errFatal itself after 4", err, runs)
		}
	}
}

func TestRepeatHeartbeat(t *testing.T) {
	// A heartbeat every second for as long as ctx lives; each beat takes
	// 300ms, and StartToStart keeps the rate.
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 5500*ms)
		defer cancel()
		start := time.Now()
		var beats []time.Duration
		var hooked []time.Duration
		err := retry.Repeat(ctx, retry.Fixed(time.Second), func(context.Context) error {
			beats = append(beats, time.Since(start))
			time.Sleep(300 * ms)
			return nil
		}, retry.StartToStart(), retry.AfterAttempt(func(a retry.Attempt) { hooked = append(hooked, a.Delay) }))
		if err != context.DeadlineExceeded {
			t.Errorf("Repeat = %v, want context.DeadlineExceeded", err)
		}
		if want := "[0s 1s 2s 3s 4s 5s]"; fmt.Sprint(beats) != want {
			t.Errorf("beats at %v, want %s", beats, want)
		}
		if want := "[700ms 700ms 700ms 700ms 700ms 700ms]"; fmt.Sprint(hooked) != want {
			t.Errorf("hook saw delays %v, want %s", hooked, want)
		}
	})
}

func TestRepeatCtxAlreadyDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	runs := 0
	if err := retry.Repeat(ctx, retry.Immediate(), func(context.Context) error { runs++; return nil }); err != context.Canceled || runs != 0 {
		t.Errorf("Repeat = %v after %d runs, want context.Canceled and no run", err, runs)
	}
}

func TestRepeatAttemptTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		err := retry.Repeat(t.Context(), retry.Immediate(), func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		}, retry.AttemptTimeout(time.Second))
		if !errors.Is(err, timeout.ErrTimeout) {
			t.Errorf("Repeat = %v, want a timeout", err)
		}
	})
}

func TestRepeatUntil(t *testing.T) {
	statuses := func() func(context.Context) (string, error) {
		seq := []string{"queued", "running", "running", "done", "archived"}
		n := 0
		return func(context.Context) (string, error) { n++; return seq[min(n, len(seq))-1], nil }
	}
	isDone := func(s string) bool { return s == "done" }
	synctest.Test(t, func(t *testing.T) {
		var hooked []error
		start := time.Now()
		s, err := retry.RepeatUntil(t.Context(), retry.Fixed(5*time.Second), statuses(), isDone,
			retry.AfterAttempt(func(a retry.Attempt) { hooked = append(hooked, a.Err) }))
		if s != "done" || err != nil || time.Since(start) != 15*time.Second {
			t.Errorf("RepeatUntil = %q, %v after %v; want done, nil after 15s", s, err, time.Since(start))
		}
		want := []error{retry.ErrConditionNotMet, retry.ErrConditionNotMet, retry.ErrConditionNotMet, nil}
		if !slices.Equal(hooked, want) {
			t.Errorf("hook saw %v, want %v", hooked, want)
		}
	})

	s, err := retry.RepeatUntil(context.Background(), retry.Immediate(), statuses(), isDone, retry.MaxRuns(2))
	if s != "running" || attemptsOf(err) != 2 || !errors.Is(err, retry.ErrConditionNotMet) {
		t.Errorf("RepeatUntil = %q, %v; want the last value and ErrConditionNotMet after 2 runs", s, err)
	}

	// The first failure ends the repetition, with that run's value.
	n := 0
	v, err := retry.RepeatUntil(context.Background(), retry.Immediate(), func(context.Context) (int, error) {
		if n++; n == 3 {
			return n, errFatal
		}
		return n, nil
	}, func(v int) bool { return v > 10 })
	if v != 3 || err != errFatal {
		t.Errorf("RepeatUntil = %d, %v; want 3, errFatal itself", v, err)
	}
}
