package fork

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"

	"github.com/corral-go/corral/scope"
)

// Par runs every task in its own goroutine, in a new scope, and returns their
// results in the order of tasks. The first failure cancels the other tasks'
// context; Par waits for all of them and returns that failure (with later
// failures attached, as [scope.Supervised] does) and a nil slice. A panic in a
// task is raised again by Par as a [*scope.PanicError] once every task has
// returned.
//
// Par panics if a task is nil.
func Par[T any](ctx context.Context, tasks ...func(ctx context.Context) (T, error)) ([]T, error) {
	mustCtx("Par", ctx)
	checkTasks("Par", tasks)
	results := make([]T, len(tasks))
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		for i, task := range tasks {
			s.Go(func(ctx context.Context) error {
				v, err := task(ctx)
				results[i] = v
				return err
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// ParLimit is [Par] with at most limit tasks running at once. It starts at most
// limit goroutines, which take the tasks in order; once the scope fails,
// tasks that have not started are skipped.
//
// ParLimit panics if ctx is nil, limit <= 0 or a task is nil.
func ParLimit[T any](ctx context.Context, limit int, tasks ...func(ctx context.Context) (T, error)) ([]T, error) {
	mustCtx("ParLimit", ctx)
	if limit <= 0 {
		panic(fmt.Sprintf("fork: ParLimit called with limit %d; limit must be positive", limit))
	}
	checkTasks("ParLimit", tasks)
	return mapLimit(ctx, limit, tasks, func(ctx context.Context, task func(context.Context) (T, error)) (T, error) {
		return task(ctx)
	})
}

// Map calls f on every element of in, with at most limit calls running at
// once, and returns the results in the order of in. It starts at most limit
// goroutines in a new scope, which take the elements in order. The first
// failure cancels the calls in progress, no further call starts (a worker
// claims the next element and checks for a failure as one step, so no call
// can begin once a failure was seen), and Map returns that failure (with
// later failures attached, as [scope.Supervised] does) and a nil slice.
//
// Map panics if ctx or f is nil, or if limit <= 0.
func Map[In, Out any](ctx context.Context, limit int, in []In, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	mustCtx("Map", ctx)
	if limit <= 0 {
		panic(fmt.Sprintf("fork: Map called with limit %d; limit must be positive", limit))
	}
	if f == nil {
		panic("fork: Map called with nil f")
	}
	return mapLimit(ctx, limit, in, f)
}

func mapLimit[In, Out any](ctx context.Context, limit int, in []In, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	out := make([]Out, len(in))
	workers := min(limit, len(in))
	var c claimer
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		work := func(ctx context.Context) (err error) {
			ok := false
			defer func() {
				if !ok { // an error, a panic or a Goexit
					c.stop()
				}
			}()
			for {
				i, more := c.take(len(in))
				if !more {
					ok = true
					return nil
				}
				err := ctx.Err()
				c.started()
				if err != nil {
					// Cancelled from outside: the scope returns
					// this error (or drops it as an echo of a
					// failure that cancelled the context).
					ok = true
					return err
				}
				v, err := f(ctx, in[i])
				if err != nil {
					return err
				}
				out[i] = v
			}
		}
		for range workers {
			s.Go(work)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// A claimer hands out the indexes of Map's elements to its workers, and
// stops handing them out once a call has failed.
//
// A worker takes an index with one CAS that fails once the claimer is
// stopped, checks its context, and counts as starting until it calls
// [claimer.started], just before its call. A worker whose call failed calls
// stop before it returns the error that fails the scope and cancels the
// context; stop waits for the workers that are starting. So no index is taken
// once a failure was seen, and a call about to begin when it was seen begins
// before the context is cancelled. (Go cannot make the call's first line and
// the end of the wait one step: a worker's thread stopped by the OS between
// the two lets the cancellation overtake it.)
type claimer struct {
	// The next index in the low 40 bits, the number of starting workers
	// above them, and the stopped bit on top.
	word atomic.Int64
}

const (
	claimIndex    = 1<<40 - 1
	claimStarting = 1 << 40
	claimStopped  = 1 << 62
)

// take returns the next index below n, or false if there is none or the
// claimer is stopped. A worker that got an index must call started.
func (c *claimer) take(n int) (int, bool) {
	for {
		w := c.word.Load()
		if w&claimStopped != 0 || w&claimIndex >= int64(n) {
			return 0, false
		}
		if c.word.CompareAndSwap(w, w+1+claimStarting) {
			return int(w & claimIndex), true
		}
	}
}

// started marks the end of a take: the worker is about to call f.
func (c *claimer) started() { c.word.Add(-claimStarting) }

// stop makes every later take fail, and waits for the workers that took an
// index to call started.
func (c *claimer) stop() {
	for w := c.word.Or(claimStopped); (w&^claimStopped)>>40 != 0; w = c.word.Load() {
		runtime.Gosched() // a starting worker is a few instructions from started
	}
}

func mustCtx(fn string, ctx context.Context) {
	if ctx == nil {
		panic("fork: " + fn + " called with nil ctx; pass context.Background() or the caller's context")
	}
}

func checkTasks[T any](fn string, tasks []func(ctx context.Context) (T, error)) {
	for i, t := range tasks {
		if t == nil {
			panic(fmt.Sprintf("fork: %s called with nil task at index %d", fn, i))
		}
	}
}
