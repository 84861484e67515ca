package fork

import (
	"context"
	"fmt"
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
// ParLimit panics if limit <= 0 or a task is nil.
func ParLimit[T any](ctx context.Context, limit int, tasks ...func(ctx context.Context) (T, error)) ([]T, error) {
	if limit <= 0 {
		panic(fmt.Sprintf("fork: ParLimit called with limit %d; limit must be positive", limit))
	}
	checkTasks("ParLimit", tasks)
	return Map(ctx, limit, tasks, func(ctx context.Context, task func(context.Context) (T, error)) (T, error) {
		return task(ctx)
	})
}

// Map calls f on every element of in, with at most limit calls running at
// once, and returns the results in the order of in. It starts at most limit
// goroutines in a new scope, which take the elements in order. The first
// failure cancels the calls in progress, no further calls start, and Map
// returns that failure (with later failures attached, as [scope.Supervised]
// does) and a nil slice.
//
// Map panics if limit <= 0 or f is nil.
func Map[In, Out any](ctx context.Context, limit int, in []In, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	if limit <= 0 {
		panic(fmt.Sprintf("fork: Map called with limit %d; limit must be positive", limit))
	}
	if f == nil {
		panic("fork: Map called with nil f")
	}
	out := make([]Out, len(in))
	workers := min(limit, len(in))
	var next atomic.Int64
	var failed atomic.Bool
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		work := func(ctx context.Context) error {
			for {
				if failed.Load() {
					return nil // the failing worker reports it
				}
				if err := ctx.Err(); err != nil {
					// Cancelled from outside; a failure of this scope
					// makes this an echo, which the scope drops.
					return err
				}
				i := int(next.Add(1) - 1)
				if i >= len(in) {
					return nil
				}
				v, err := f(ctx, in[i])
				if err != nil {
					// Stop the other workers at once: the scope cancels
					// them only after this fork has returned.
					failed.Store(true)
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

func checkTasks[T any](fn string, tasks []func(ctx context.Context) (T, error)) {
	for i, t := range tasks {
		if t == nil {
			panic(fmt.Sprintf("fork: %s called with nil task at index %d", fn, i))
		}
	}
}
