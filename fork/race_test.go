package fork_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/fork"
)

// An outcome is what a racing task returns, and when, unless it is cancelled
// first.
type outcome struct {
	after time.Duration
	v     string
	err   error
}

// racer is a task that returns o at o.after. If it is cancelled first, it
// takes another second (of bubble time) to stop, then records that it
// stopped: a Race that does not wait for its losers returns before that.
func racer(o outcome, stopped *atomic.Bool) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		timer := time.NewTimer(o.after)
		defer timer.Stop()
		select {
		case <-timer.C:
			return o.v, o.err
		case <-ctx.Done():
			time.Sleep(time.Second)
			stopped.Store(true)
			return "", ctx.Err()
		}
	}
}

// raceAPI is Race or RaceResult.
type raceAPI struct {
	name string
	run  func(ctx context.Context, tasks ...func(ctx context.Context) (string, error)) (string, error)
}

var (
	raceFirstSuccess = raceAPI{"Race", fork.Race[string]}
	raceFirstResult  = raceAPI{"RaceResult", fork.RaceResult[string]}
)

// runRace runs one task per outcome and checks that the tasks that would
// have returned after the winner were cancelled and had stopped before the
// call returned.
func runRace(t *testing.T, api raceAPI, give []outcome, winAfter time.Duration) (string, error) {
	t.Helper()
	stopped := make([]atomic.Bool, len(give))
	tasks := make([]func(ctx context.Context) (string, error), len(give))
	for i, o := range give {
		tasks[i] = racer(o, &stopped[i])
	}
	v, err := api.run(t.Context(), tasks...)
	for i, o := range give {
		if loser := o.after > winAfter; stopped[i].Load() != loser {
			t.Errorf("task %d (returns at %v, winner at %v): stopped on cancellation = %v, want %v",
				i, o.after, winAfter, stopped[i].Load(), loser)
		}
	}
	return v, err
}

func TestRaceFirstSuccessWins(t *testing.T) {
	e1, e2 := errors.New("e1"), errors.New("e2")
	tests := []struct {
		name     string
		give     []outcome
		want     string
		winAfter time.Duration
	}{
		{
			name: "single",
			give: []outcome{{after: time.Millisecond, v: "a"}},
			want: "a", winAfter: time.Millisecond,
		},
		{
			name: "fastest wins",
			give: []outcome{{after: 3 * time.Millisecond, v: "slow"}, {after: time.Millisecond, v: "fast"}, {after: 2 * time.Millisecond, v: "mid"}},
			want: "fast", winAfter: time.Millisecond,
		},
		{
			name: "failures before a success",
			give: []outcome{{after: time.Millisecond, err: e1}, {after: 4 * time.Millisecond, v: "late"}, {after: 3 * time.Millisecond, v: "ok"}, {after: 2 * time.Millisecond, err: e2}},
			want: "ok", winAfter: 3 * time.Millisecond,
		},
		{
			name: "failure after the success is not seen",
			give: []outcome{{after: 2 * time.Millisecond, err: e1}, {after: time.Millisecond, v: "ok"}},
			want: "ok", winAfter: time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				v, err := runRace(t, raceFirstSuccess, tt.give, tt.winAfter)
				if v != tt.want || err != nil {
					t.Errorf("Race() = (%q, %v), want (%q, nil)", v, err, tt.want)
				}
			})
		})
	}
}

func TestRaceAllFail(t *testing.T) {
	e0, e1, e2 := errors.New("e0"), errors.New("e1"), errors.New("e2")
	tests := []struct {
		name string
		give []outcome
		want []error // in order of failure
	}{
		{name: "single", give: []outcome{{after: 1, err: e0}}, want: []error{e0}},
		{name: "input order", give: []outcome{{after: 1, err: e0}, {after: 2, err: e1}, {after: 3, err: e2}}, want: []error{e0, e1, e2}},
		{name: "other order", give: []outcome{{after: 3, err: e0}, {after: 1, err: e1}, {after: 2, err: e2}}, want: []error{e1, e2, e0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				_, err := runRace(t, raceFirstSuccess, tt.give, time.Hour)
				for _, w := range tt.want {
					if !errors.Is(err, w) {
						t.Errorf("errors.Is(%v, %v) = false, want true", err, w)
					}
				}
				var msgs []string
				for _, w := range tt.want {
					msgs = append(msgs, w.Error())
				}
				if got, want := fmt.Sprint(err), strings.Join(msgs, "\n"); got != want {
					t.Errorf("Race() error = %q, want %q (first failure first)", got, want)
				}
			})
		})
	}
}

func TestRaceParentCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		wait := func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, ctx.Err() }
		v, err := fork.Race(ctx, wait, wait)
		if v != 0 || !errors.Is(err, context.Canceled) {
			t.Errorf("Race() = (%d, %v), want (0, context.Canceled)", v, err)
		}
	})
}

func TestRaceResultFirstToFinishWins(t *testing.T) {
	tests := []struct {
		name     string
		give     []outcome
		want     string
		wantErr  error
		winAfter time.Duration
	}{
		{
			name:    "first is a failure",
			give:    []outcome{{after: 2 * time.Millisecond, v: "ok"}, {after: time.Millisecond, err: errBoom}},
			wantErr: errBoom, winAfter: time.Millisecond,
		},
		{
			name: "first is a success",
			give: []outcome{{after: 2 * time.Millisecond, err: errBoom}, {after: time.Millisecond, v: "ok"}, {after: 3 * time.Millisecond, v: "late"}},
			want: "ok", winAfter: time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				v, err := runRace(t, raceFirstResult, tt.give, tt.winAfter)
				if v != tt.want || err != tt.wantErr {
					t.Errorf("RaceResult() = (%q, %v), want (%q, %v)", v, err, tt.want, tt.wantErr)
				}
			})
		})
	}
}

func TestRaceEmptyPanics(t *testing.T) {
	for _, api := range []raceAPI{raceFirstSuccess, raceFirstResult} {
		t.Run(api.name, func(t *testing.T) {
			msg := fmt.Sprint(catch(func() { _, _ = api.run(t.Context()) }))
			if !strings.Contains(msg, "fork: "+api.name) || !strings.Contains(msg, "no tasks") {
				t.Errorf("panic = %q, want it to name fork: %s and no tasks", msg, api.name)
			}
		})
	}
}

func TestRacePanic(t *testing.T) {
	panicking := func(context.Context) (string, error) {
		_, err := panicWith("kaboom")
		return "", err
	}
	tests := []struct {
		name string
		// give builds the tasks; wait is a task that returns only when
		// cancelled, and reports that it did.
		give func(wait func(ctx context.Context) (string, error)) []func(ctx context.Context) (string, error)
		// wantStopped is how many wait tasks must have stopped.
		wantStopped int64
	}{
		{
			name: "only task",
			give: func(func(ctx context.Context) (string, error)) []func(ctx context.Context) (string, error) {
				return []func(ctx context.Context) (string, error){panicking}
			},
		},
		{
			name: "others wait for cancellation",
			give: func(wait func(ctx context.Context) (string, error)) []func(ctx context.Context) (string, error) {
				return []func(ctx context.Context) (string, error){wait, panicking, wait}
			},
			wantStopped: 2,
		},
		{
			name: "after a failure",
			give: func(wait func(ctx context.Context) (string, error)) []func(ctx context.Context) (string, error) {
				return []func(ctx context.Context) (string, error){
					func(context.Context) (string, error) { return "", errBoom },
					func(ctx context.Context) (string, error) {
						time.Sleep(time.Millisecond) // after the failure
						return panicking(ctx)
					},
					wait,
				}
			},
			wantStopped: 1,
		},
		{
			// A panic is never swallowed, even a loser's after the race
			// was won.
			name: "loser panics when cancelled",
			give: func(wait func(ctx context.Context) (string, error)) []func(ctx context.Context) (string, error) {
				return []func(ctx context.Context) (string, error){
					func(context.Context) (string, error) { return "winner", nil },
					func(ctx context.Context) (string, error) {
						<-ctx.Done()
						return panicking(ctx)
					},
					wait,
				}
			},
			wantStopped: 1,
		},
	}
	for _, api := range []raceAPI{raceFirstSuccess, raceFirstResult} {
		for _, tt := range tests {
			t.Run(api.name+"/"+tt.name, func(t *testing.T) {
				// In a bubble, a Race that hangs fails the test as a deadlock.
				synctest.Test(t, func(t *testing.T) {
					var stopped atomic.Int64
					wait := func(ctx context.Context) (string, error) {
						<-ctx.Done()
						time.Sleep(time.Second)
						stopped.Add(1)
						return "", ctx.Err()
					}
					v := catch(func() { _, _ = api.run(t.Context(), tt.give(wait)...) })
					pe := asPanicError(t, v)
					if pe.Value != "kaboom" || !bytes.Contains(pe.Stack, []byte(panicFrame)) {
						t.Errorf("re-panic Value = %v, want kaboom with %s in its stack:\n%s", pe.Value, panicFrame, pe.Stack)
					}
					if n := stopped.Load(); n != tt.wantStopped {
						t.Errorf("%d waiting tasks had stopped when %s panicked, want %d", n, api.name, tt.wantStopped)
					}
				})
			})
		}
	}
}

func TestRaceAllFailUnwrapOrder(t *testing.T) {
	// errors.Join keeps its arguments: Unwrap shows the order directly.
	synctest.Test(t, func(t *testing.T) {
		e := []error{errors.New("a"), errors.New("b"), errors.New("c")}
		_, err := fork.Race(t.Context(),
			func(context.Context) (int, error) { time.Sleep(2 * time.Millisecond); return 0, e[0] },
			func(context.Context) (int, error) { time.Sleep(3 * time.Millisecond); return 0, e[1] },
			func(context.Context) (int, error) { time.Sleep(1 * time.Millisecond); return 0, e[2] },
		)
		u, ok := err.(interface{ Unwrap() []error })
		if !ok {
			t.Fatalf("Race() error %T does not unwrap to a list", err)
		}
		if got, want := u.Unwrap(), []error{e[2], e[0], e[1]}; !slices.Equal(got, want) {
			t.Errorf("Unwrap() = %v, want %v", got, want)
		}
	})
}
