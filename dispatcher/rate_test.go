package dispatcher_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// starts records when, in a synctest bubble's fake time, each task started.
type starts struct {
	mu    sync.Mutex
	t0    time.Time
	names []string
	at    []time.Duration
}

func newStarts() *starts { return &starts{t0: time.Now()} }

func (st *starts) task(name string) func(*scope.Scope) error {
	return func(*scope.Scope) error {
		st.mu.Lock()
		st.names = append(st.names, name)
		st.at = append(st.at, time.Since(st.t0))
		st.mu.Unlock()
		return nil
	}
}

func (st *starts) get() ([]string, []time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return slices.Clone(st.names), slices.Clone(st.at)
}

func TestRateLimitPacesStarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newStarts()
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			lim := rate.NewLimiter(rate.Every(100*time.Millisecond), 1)
			d := dispatcher.New(s, dispatcher.WithRateLimit(lim))
			for i := range 5 {
				if err := d.RunAsync(st.task(fmt.Sprint(i)), nil); err != nil {
					t.Fatalf("RunAsync = %v", err)
				}
			}
			return d.Shutdown(context.Background())
		})
		names, at := st.get()
		if want := []string{"0", "1", "2", "3", "4"}; !slices.Equal(names, want) {
			t.Errorf("start order = %q, want %q", names, want)
		}
		for i, d := range at {
			if want := time.Duration(i) * 100 * time.Millisecond; d != want {
				t.Errorf("task %d started at %v, want %v", i, d, want)
			}
		}
	})
}

func TestRateLimitFairAcrossLanes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newStarts()
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			lim := rate.NewLimiter(rate.Every(10*time.Millisecond), 1)
			d := dispatcher.New(s, dispatcher.WithRateLimit(lim))
			flooder, polite := d.NewLane(), d.NewLane()
			for i := range 6 {
				_ = flooder.RunAsync(st.task(fmt.Sprint("F", i)), nil)
			}
			for i := range 2 {
				_ = polite.RunAsync(st.task(fmt.Sprint("P", i)), nil)
			}
			return d.Shutdown(context.Background())
		})
		// F0 took the token that was available at once; then the lanes
		// take turns, one token each.
		names, at := st.get()
		if want := []string{"F0", "F1", "P0", "F2", "P1", "F3", "F4", "F5"}; !slices.Equal(names, want) {
			t.Errorf("start order = %q, want %q", names, want)
		}
		for i, d := range at {
			if want := time.Duration(i) * 10 * time.Millisecond; d != want {
				t.Errorf("start %d (%s) at %v, want %v", i, names[i], d, want)
			}
		}
	})
}

func TestRateLimitWithLimit(t *testing.T) {
	// A token and a slot are both needed: with one slot and tasks that run
	// 50ms, a 10ms rate is never the bottleneck; tasks start as slots free.
	synctest.Test(t, func(t *testing.T) {
		st := newStarts()
		var running, peak atomic.Int32
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			lim := rate.NewLimiter(rate.Every(10*time.Millisecond), 1)
			d := dispatcher.New(s, dispatcher.WithRateLimit(lim), dispatcher.WithLimit(1))
			for i := range 4 {
				record := st.task(fmt.Sprint(i))
				_ = d.RunAsync(func(s *scope.Scope) error {
					if n := running.Add(1); n > peak.Load() {
						peak.Store(n)
					}
					defer running.Add(-1)
					_ = record(s)
					time.Sleep(50 * time.Millisecond) // fake time: the task's work
					return nil
				}, nil)
			}
			return d.Shutdown(context.Background())
		})
		_, at := st.get()
		for i, d := range at {
			if want := time.Duration(i) * 50 * time.Millisecond; d != want {
				t.Errorf("task %d started at %v, want %v", i, d, want)
			}
		}
		if p := peak.Load(); p != 1 {
			t.Errorf("peak running = %d, want 1", p)
		}
	})
}

func TestRateLimitShutdownReportsWaitingTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newStarts()
		e := newErrs()
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			lim := rate.NewLimiter(rate.Every(time.Second), 1)
			d := dispatcher.New(s, dispatcher.WithRateLimit(lim))
			for i := range 10 {
				_ = d.RunAsync(st.task(fmt.Sprint(i)), e.onError)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
			defer cancel()
			if err := d.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Shutdown = %v, want DeadlineExceeded", err)
			}
			return nil
		})
		names, _ := st.get()
		if want := []string{"0", "1", "2"}; !slices.Equal(names, want) { // at 0, 1s and 2s
			t.Errorf("started %q before the deadline, want %q", names, want)
		}
		got := e.all()
		if len(got) != 7 {
			t.Errorf("%d tasks reported, want the 7 that never got a token", len(got))
		}
		for _, err := range got {
			if !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("reported %v, want ErrClosed", err)
			}
		}
	})
}

func TestRateLimitOuterEndDropsWaitingTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newStarts()
		var handles []*dispatcher.Task
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			lim := rate.NewLimiter(rate.Every(time.Second), 1)
			d := dispatcher.New(s, dispatcher.WithRateLimit(lim))
			for i := range 3 {
				handles = append(handles, d.Submit(st.task(fmt.Sprint(i))))
			}
			if err := handles[0].Wait(context.Background()); err != nil {
				t.Errorf("first task: Wait = %v, want nil (it had a token)", err)
			}
			return nil // the others still wait for their tokens
		})
		for _, h := range handles[1:] {
			if err := h.Wait(context.Background()); !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("waiting task: Wait = %v, want ErrClosed", err)
			}
		}
	})
}

func TestRateLimitZeroBurstFailsTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			lim := rate.NewLimiter(rate.Every(time.Second), 0)
			d := dispatcher.New(s, dispatcher.WithRateLimit(lim))
			var ran atomic.Bool
			h := d.Submit(func(*scope.Scope) error { ran.Store(true); return nil })
			if err := h.Wait(context.Background()); err == nil {
				t.Error("a task was started by a limiter that grants no token")
			}
			if ran.Load() {
				t.Error("the task ran")
			}
			return nil
		})
	})
}

func TestRateLimitCancelWaitingTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newStarts()
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			lim := rate.NewLimiter(rate.Every(time.Second), 1)
			d := dispatcher.New(s, dispatcher.WithRateLimit(lim))
			a := d.Submit(st.task("a"))
			b := d.Submit(st.task("b"))
			c := d.Submit(st.task("c"))
			b.Cancel()
			for _, h := range []*dispatcher.Task{a, c} {
				if err := h.Wait(context.Background()); err != nil {
					t.Errorf("Wait = %v", err)
				}
			}
			if err := b.Wait(context.Background()); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled: Wait = %v", err)
			}
			return nil
		})
		names, at := st.get()
		if !slices.Equal(names, []string{"a", "c"}) || at[1] != time.Second {
			t.Errorf("starts %q at %v, want a at 0s and c at 1s", names, at)
		}
	})
}
