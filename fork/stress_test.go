package fork_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// A behaviour is what a stress task does.
type behaviour uint8

const (
	succeed    behaviour = iota // returns its index at once
	succeedLag                  // yields a few times, returns ctx.Err() if cancelled meanwhile
	fail                        // returns its own error
	crash                       // panics
)

// A stressRun is one randomly planned call to a combinator, with what its
// tasks actually did.
type stressRun struct {
	plan     []behaviour
	errs     []error
	running  atomic.Int64 // tasks inside their function now
	max      atomic.Int64 // most tasks inside at once
	failed   atomic.Int64 // tasks that returned their own error
	panicked atomic.Int64 // tasks that panicked
}

func newStressRun(rng *rand.Rand, crashes bool) *stressRun {
	r := &stressRun{}
	n := 1 + rng.IntN(8)
	for i := range n {
		b := behaviour(rng.IntN(3))
		if crashes && rng.IntN(20) == 0 {
			b = crash
		}
		r.plan = append(r.plan, b)
		r.errs = append(r.errs, fmt.Errorf("task %d failed", i))
	}
	return r
}

func (r *stressRun) tasks() []task {
	tasks := make([]task, len(r.plan))
	for i, b := range r.plan {
		tasks[i] = func(ctx context.Context) (int, error) {
			updateMax(&r.max, r.running.Add(1))
			defer r.running.Add(-1)
			switch b {
			case succeedLag:
				for range 3 {
					runtime.Gosched()
					if err := ctx.Err(); err != nil {
						return i, err
					}
				}
			case fail:
				runtime.Gosched()
				r.failed.Add(1)
				return i, r.errs[i]
			case crash:
				r.panicked.Add(1)
				panic(i)
			}
			return i, nil
		}
	}
	return tasks
}

// A stressResult is what a combinator returned, or the *scope.PanicError it
// panicked with.
type stressResult struct {
	got []int
	err error
	pe  *scope.PanicError
}

// call runs f, turning a re-panic into its *scope.PanicError.
func (r *stressRun) call(f func() ([]int, error)) stressResult {
	var res stressResult
	if v := catch(func() { res.got, res.err = f() }); v != nil {
		pe, ok := v.(*scope.PanicError)
		if !ok {
			panic(v)
		}
		res.pe = pe
	}
	return res
}

func (r *stressRun) check(t *testing.T, what string, res stressResult) {
	t.Helper()
	got, err, pe := res.got, res.err, res.pe
	if n := r.running.Load(); n != 0 {
		t.Fatalf("%s %v: returned with %d tasks still running", what, r.plan, n)
	}
	switch {
	case r.panicked.Load() > 0:
		if pe == nil {
			t.Fatalf("%s %v: a task panicked, got (%v, %v) and no re-panic", what, r.plan, got, err)
		}
		if i, ok := pe.Value.(int); !ok || r.plan[i] != crash {
			t.Fatalf("%s %v: re-panicked with %v, want a crashing task's index", what, r.plan, pe.Value)
		}
	case pe != nil:
		t.Fatalf("%s %v: re-panicked with %v though no task panicked", what, r.plan, pe.Value)
	}
}

func TestStressPar(t *testing.T) {
	iterations := 500
	if testing.Short() {
		iterations = 100
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	ctx := t.Context()
	for i := range iterations {
		r := newStressRun(rng, i%10 == 0)
		limit := 1 + rng.IntN(len(r.plan)+1)
		what := "Par"
		res := r.call(func() ([]int, error) {
			switch i % 3 {
			case 0:
				return fork.Par(ctx, r.tasks()...)
			case 1:
				what = fmt.Sprintf("ParLimit(%d)", limit)
				return fork.ParLimit(ctx, limit, r.tasks()...)
			default:
				what = fmt.Sprintf("Map(%d)", limit)
				return fork.Map(ctx, limit, r.tasks(), func(ctx context.Context, t task) (int, error) { return t(ctx) })
			}
		})
		r.check(t, what, res)
		got, err, pe := res.got, res.err, res.pe
		if m := r.max.Load(); i%3 != 0 && m > int64(limit) {
			t.Fatalf("%s %v: %d tasks ran at once", what, r.plan, m)
		}
		if pe != nil {
			continue
		}
		if r.failed.Load() == 0 {
			if err != nil || len(got) != len(r.plan) {
				t.Fatalf("%s %v: got (%v, %v), want every result", what, r.plan, got, err)
			}
			for j, v := range got {
				if v != j {
					t.Fatalf("%s %v: result %d = %d, want %d", what, r.plan, j, v, j)
				}
			}
			continue
		}
		// The first failure is a task's own error, never a cancellation.
		if got != nil || err == nil || !strings.HasPrefix(err.Error(), "task ") {
			t.Fatalf("%s %v: got (%v, %v), want nil and a task's error first", what, r.plan, got, err)
		}
		for j, e := range r.errs {
			if errors.Is(err, e) && r.plan[j] != fail {
				t.Fatalf("%s %v: error %v names task %d, which does not fail", what, r.plan, err, j)
			}
		}
	}
}

func TestStressRace(t *testing.T) {
	iterations := 500
	if testing.Short() {
		iterations = 100
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	ctx := t.Context()
	for i := range iterations {
		r := newStressRun(rng, i%10 == 0)
		anyResult := i%2 == 1
		what := "Race"
		if anyResult {
			what = "RaceResult"
		}
		res := r.call(func() ([]int, error) {
			var v int
			var err error
			if anyResult {
				v, err = fork.RaceResult(ctx, r.tasks()...)
			} else {
				v, err = fork.Race(ctx, r.tasks()...)
			}
			return []int{v}, err
		})
		r.check(t, what, res)
		got, err, pe := res.got, res.err, res.pe
		if pe != nil {
			continue
		}
		v := got[0]
		switch {
		case err == nil:
			if r.plan[v] == fail || r.plan[v] == crash {
				t.Fatalf("%s %v: won by task %d, which does not succeed", what, r.plan, v)
			}
		case anyResult:
			// RaceResult returns the winner's result as it is.
			if err != r.errs[v] {
				t.Fatalf("%s %v: got (%d, %v), want a task's own error", what, r.plan, v, err)
			}
		default:
			// Race fails only if every task failed, with every error.
			for j, b := range r.plan {
				if b != fail || !errors.Is(err, r.errs[j]) {
					t.Fatalf("%s %v: error %v, but task %d (%d) did not fail with it", what, r.plan, err, j, b)
				}
			}
		}
	}
}

func TestStressCancellable(t *testing.T) {
	iterations := 500
	if testing.Short() {
		iterations = 100
	}
	err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
		for i := range iterations {
			cf := fork.Cancellable(s, func(ctx context.Context) (int, error) {
				if i%2 == 0 {
					runtime.Gosched()
				}
				return i, nil
			})
			// Two Cancels race with completion: either outcome, nothing else.
			s.Go(func(context.Context) error { cf.Cancel(); return nil })
			cf.Cancel()
			v, err := cf.Join()
			if !(v == i && err == nil) && !(v == 0 && errors.Is(err, context.Canceled)) {
				return fmt.Errorf("iteration %d: Join() = (%d, %v), want (%d, nil) or (0, context.Canceled)", i, v, err, i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
