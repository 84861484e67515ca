package fork_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/fork"
)

type task = func(ctx context.Context) (int, error)

// A parAPI runs tasks with one of the Par family of combinators.
type parAPI struct {
	name string
	run  func(ctx context.Context, tasks []task) ([]int, error)
}

func parLimit(limit int) parAPI {
	return parAPI{fmt.Sprintf("ParLimit%d", limit), func(ctx context.Context, tasks []task) ([]int, error) {
		return fork.ParLimit(ctx, limit, tasks...)
	}}
}

func mapLimit(limit int) parAPI {
	return parAPI{fmt.Sprintf("Map%d", limit), func(ctx context.Context, tasks []task) ([]int, error) {
		return fork.Map(ctx, limit, tasks, func(ctx context.Context, t task) (int, error) { return t(ctx) })
	}}
}

var parAll = parAPI{"Par", func(ctx context.Context, tasks []task) ([]int, error) {
	return fork.Par(ctx, tasks...)
}}

// updateMax raises m to at least n.
func updateMax(m *atomic.Int64, n int64) {
	for {
		cur := m.Load()
		if n <= cur || m.CompareAndSwap(cur, n) {
			return
		}
	}
}

func TestParKeepsOrder(t *testing.T) {
	tests := []struct {
		name string
		give []time.Duration // when each task returns its index
		want []int
	}{
		{name: "one", give: []time.Duration{1}, want: []int{0}},
		{name: "in order", give: []time.Duration{1, 2, 3}, want: []int{0, 1, 2}},
		{name: "reverse order", give: []time.Duration{5, 4, 3, 2, 1}, want: []int{0, 1, 2, 3, 4}},
		{name: "shuffled", give: []time.Duration{3, 1, 4, 2, 6, 5}, want: []int{0, 1, 2, 3, 4, 5}},
	}
	for _, api := range []parAPI{parAll, parLimit(2), mapLimit(3)} {
		for _, tt := range tests {
			t.Run(api.name+"/"+tt.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					tasks := make([]task, len(tt.give))
					for i, d := range tt.give {
						tasks[i] = func(context.Context) (int, error) {
							time.Sleep(d * time.Millisecond)
							return i, nil
						}
					}
					got, err := api.run(t.Context(), tasks)
					if err != nil || !slices.Equal(got, tt.want) {
						t.Errorf("got (%v, %v), want (%v, nil)", got, err, tt.want)
					}
				})
			})
		}
	}
}

func TestMapKeepsOrder(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		give  []string
		want  []int
	}{
		{name: "limit 1", limit: 1, give: []string{"ccc", "a", "bb"}, want: []int{3, 1, 2}},
		{name: "limit 2", limit: 2, give: []string{"dddd", "a", "ccc", "bb", "a"}, want: []int{4, 1, 3, 2, 1}},
		{name: "limit above len", limit: 10, give: []string{"bb", "a"}, want: []int{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// Longer strings take longer, so results arrive out of order.
				got, err := fork.Map(t.Context(), tt.limit, tt.give, func(_ context.Context, v string) (int, error) {
					time.Sleep(time.Duration(len(v)) * time.Millisecond)
					return len(v), nil
				})
				if err != nil || !slices.Equal(got, tt.want) {
					t.Errorf("Map() = (%v, %v), want (%v, nil)", got, err, tt.want)
				}
			})
		})
	}
}

func TestParFirstFailure(t *testing.T) {
	tests := []struct {
		name string
		// onCancel is what the other tasks return once cancelled.
		onCancel func(ctx context.Context) error
		wantIs   []error
		wantSame bool // the error is errBoom itself
	}{
		{
			name:     "echoes dropped",
			onCancel: func(ctx context.Context) error { return ctx.Err() },
			wantIs:   []error{errBoom},
			wantSame: true,
		},
		{
			name:     "later failures attached",
			onCancel: func(context.Context) error { return errOther },
			wantIs:   []error{errBoom, errOther},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				started := make(chan struct{}, 2)
				var causes [3]error
				other := func(i int) task {
					return func(ctx context.Context) (int, error) {
						started <- struct{}{}
						<-ctx.Done()
						causes[i] = context.Cause(ctx)
						return i, tt.onCancel(ctx)
					}
				}
				got, err := fork.Par(t.Context(),
					other(0),
					func(context.Context) (int, error) {
						<-started
						<-started
						return 1, errBoom
					},
					other(2),
				)
				if got != nil {
					t.Errorf("results = %v, want nil on failure", got)
				}
				if tt.wantSame && err != errBoom {
					t.Errorf("Par() error = %v, want %v", err, errBoom)
				}
				if !strings.HasPrefix(fmt.Sprint(err), errBoom.Error()) {
					t.Errorf("Par() error = %q, want it to start with the first failure %q", err, errBoom)
				}
				for _, w := range tt.wantIs {
					if !errors.Is(err, w) {
						t.Errorf("errors.Is(%v, %v) = false, want true", err, w)
					}
				}
				for _, i := range []int{0, 2} {
					if causes[i] != errBoom {
						t.Errorf("task %d: context.Cause = %v, want %v", i, causes[i], errBoom)
					}
				}
			})
		})
	}
}

func TestParPanic(t *testing.T) {
	for _, api := range []parAPI{parAll, parLimit(3), mapLimit(3)} {
		t.Run(api.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var started, returned atomic.Int64
				waiter := func(ctx context.Context) (int, error) {
					started.Add(1)
					<-ctx.Done()
					time.Sleep(time.Second) // slow to stop: Par must still wait
					returned.Add(1)
					return 0, ctx.Err()
				}
				v := catch(func() {
					_, _ = api.run(t.Context(), []task{
						waiter,
						func(context.Context) (int, error) { return panicWith("kaboom") },
						waiter,
					})
				})
				pe := asPanicError(t, v)
				if pe.Value != "kaboom" {
					t.Errorf("re-panic Value = %v, want kaboom", pe.Value)
				}
				// A limited run may skip tasks once the scope fails, but
				// every task it started must have returned.
				if r, s := returned.Load(), started.Load(); r != s || (api.name == "Par" && s != 2) {
					t.Errorf("%d of %d started tasks had returned when %s panicked", r, s, api.name)
				}
			})
		})
	}
}

func TestParEmpty(t *testing.T) {
	// An empty success is an empty, non-nil slice: nil means failure.
	for _, api := range []parAPI{parAll, parLimit(1), parLimit(4), mapLimit(2)} {
		t.Run(api.name, func(t *testing.T) {
			got, err := api.run(t.Context(), nil)
			if got == nil || len(got) != 0 || err != nil {
				t.Errorf("got (%#v, %v), want ([]int{}, nil)", got, err)
			}
		})
	}
}

func TestNilTaskPanics(t *testing.T) {
	var ran atomic.Int64
	ok := func(context.Context) (int, error) { ran.Add(1); return 0, nil }
	tests := []struct {
		name string
		give func(tasks ...task)
	}{
		{name: "Par", give: func(tasks ...task) { _, _ = fork.Par(t.Context(), tasks...) }},
		{name: "ParLimit", give: func(tasks ...task) { _, _ = fork.ParLimit(t.Context(), 2, tasks...) }},
		{name: "Race", give: func(tasks ...task) { _, _ = fork.Race(t.Context(), tasks...) }},
		{name: "RaceResult", give: func(tasks ...task) { _, _ = fork.RaceResult(t.Context(), tasks...) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran.Store(0)
			msg := fmt.Sprint(catch(func() { tt.give(ok, ok, nil, ok) }))
			for _, w := range []string{"fork: " + tt.name, "nil", "index 2"} {
				if !strings.Contains(msg, w) {
					t.Errorf("panic = %q, want it to contain %q", msg, w)
				}
			}
			if n := ran.Load(); n != 0 {
				t.Errorf("%d tasks ran before the panic, want 0", n)
			}
		})
	}
}

func TestLimitNeverExceeded(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		n     int
	}{
		{name: "limit 1", limit: 1, n: 4},
		{name: "limit 3 of 10", limit: 3, n: 10},
		{name: "limit equals n", limit: 5, n: 5},
		{name: "limit above n", limit: 8, n: 3},
	}
	for _, tt := range tests {
		for _, api := range []parAPI{parLimit(tt.limit), mapLimit(tt.limit)} {
			t.Run(api.name+"/"+tt.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					var running, maxRunning atomic.Int64
					release := make(chan struct{})
					tasks := make([]task, tt.n)
					for i := range tasks {
						tasks[i] = func(context.Context) (int, error) {
							updateMax(&maxRunning, running.Add(1))
							<-release // hold the slot until the test lets go
							running.Add(-1)
							return i, nil
						}
					}
					var (
						got []int
						err error
					)
					done := make(chan struct{})
					go func() {
						defer close(done)
						got, err = api.run(t.Context(), tasks)
					}()
					// Release one task at a time; before each, every task
					// that can start has started and is holding its slot.
					for released := range tt.n {
						synctest.Wait()
						want := int64(min(tt.limit, tt.n-released))
						if r := running.Load(); r != want {
							t.Errorf("after %d released: %d running, want %d", released, r, want)
						}
						release <- struct{}{}
					}
					<-done
					if m, want := maxRunning.Load(), int64(min(tt.limit, tt.n)); m != want {
						t.Errorf("at most %d ran at once, want %d", m, want)
					}
					if err != nil || len(got) != tt.n {
						t.Errorf("got (%v, %v), want %d results", got, err, tt.n)
					}
				})
			})
		}
	}
}

func TestLimitMustBePositive(t *testing.T) {
	var ran atomic.Int64
	ok := func(context.Context) (int, error) { ran.Add(1); return 0, nil }
	for _, limit := range []int{0, -1, math.MinInt} {
		for _, api := range []parAPI{parLimit(limit), mapLimit(limit)} {
			t.Run(api.name, func(t *testing.T) {
				ran.Store(0)
				msg := fmt.Sprint(catch(func() { _, _ = api.run(t.Context(), []task{ok}) }))
				if !strings.Contains(msg, "limit") || !strings.HasPrefix(msg, "fork: ") {
					t.Errorf("panic = %q, want a fork: message about the limit", msg)
				}
				if n := ran.Load(); n != 0 {
					t.Errorf("%d tasks ran, want 0", n)
				}
			})
		}
	}
	t.Run("empty input", func(t *testing.T) {
		if v := catch(func() { _, _ = fork.ParLimit[int](t.Context(), 0) }); v == nil {
			t.Error("ParLimit with limit 0 and no tasks did not panic")
		}
	})
}

func TestMapNilFuncPanics(t *testing.T) {
	var f func(context.Context, int) (int, error)
	msg := fmt.Sprint(catch(func() { _, _ = fork.Map(t.Context(), 2, []int{1, 2}, f) }))
	if !strings.Contains(msg, "fork: Map") || !strings.Contains(msg, "nil f") {
		t.Errorf("panic = %q, want it to name fork: Map and nil f", msg)
	}
}

func TestLimitStopsAfterFailure(t *testing.T) {
	const n = 10
	for _, limit := range []int{1, 2, 4} {
		for _, api := range []parAPI{parLimit(limit), mapLimit(limit)} {
			t.Run(api.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					var starts atomic.Int64
					tasks := make([]task, n)
					for i := range tasks {
						tasks[i] = func(ctx context.Context) (int, error) {
							switch s := starts.Add(1); {
							case s == int64(limit):
								// The last of the first batch fails, with
								// the others of the batch in flight.
								return i, errBoom
							case s > int64(limit):
								t.Errorf("task %d started after the failure", i)
							}
							<-ctx.Done()
							return i, nil // ignores the cancellation: no task may start anyway
						}
					}
					got, err := api.run(t.Context(), tasks)
					if got != nil || err != errBoom {
						t.Errorf("got (%v, %v), want (nil, %v)", got, err, errBoom)
					}
					if s := starts.Load(); s != int64(limit) {
						t.Errorf("%d tasks started, want %d", s, limit)
					}
				})
			})
		}
	}
}

func TestLimitParentCancelled(t *testing.T) {
	tests := []struct {
		name   string
		before bool // cancel before the call, else while the first tasks run
		honour bool // tasks return ctx.Err() once cancelled, else succeed
	}{
		{name: "before, tasks honour ctx", before: true, honour: true},
		{name: "before, tasks ignore ctx", before: true},
		{name: "during, tasks honour ctx", honour: true},
		{name: "during, tasks ignore ctx"},
	}
	const limit, n = 2, 6
	for _, tt := range tests {
		for _, api := range []parAPI{parLimit(limit), mapLimit(limit)} {
			t.Run(api.name+"/"+tt.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					ctx, cancel := context.WithCancel(t.Context())
					defer cancel()
					if tt.before {
						cancel()
					}
					var starts atomic.Int64
					tasks := make([]task, n)
					for i := range tasks {
						tasks[i] = func(ctx context.Context) (int, error) {
							starts.Add(1)
							<-ctx.Done()
							if tt.honour {
								return i, ctx.Err()
							}
							return i, nil
						}
					}
					if !tt.before {
						go func() {
							synctest.Wait() // the first batch is running
							cancel()
						}()
					}
					got, err := api.run(ctx, tasks)
					if got != nil || !errors.Is(err, context.Canceled) {
						t.Errorf("got (%v, %v), want (nil, context.Canceled)", got, err)
					}
					if s := starts.Load(); s > limit {
						t.Errorf("%d tasks started, want at most %d", s, limit)
					}
				})
			})
		}
	}
}
