package fork

import (
	"context"
	"errors"
	"sync"

	"github.com/corral-go/corral/scope"
)

// Race runs every task in its own goroutine, in a new scope, and returns the
// result of the first task to succeed; the context of the others is then
// cancelled, and Race waits for them to return before it returns. If every
// task fails, Race returns their errors joined with [errors.Join], in the
// order in which the tasks failed. A panic in a task is raised again by Race
// as a [*scope.PanicError].
//
// Race panics if tasks is empty or a task is nil.
func Race[T any](ctx context.Context, tasks ...func(ctx context.Context) (T, error)) (T, error) {
	return race(ctx, "Race", false, tasks)
}

// RaceResult is [Race] that settles on the first task to return, whether it
// succeeded or failed: its value and error are returned, and the other
// tasks are cancelled and awaited.
//
// RaceResult panics if tasks is empty or a task is nil.
func RaceResult[T any](ctx context.Context, tasks ...func(ctx context.Context) (T, error)) (T, error) {
	return race(ctx, "RaceResult", true, tasks)
}

func race[T any](ctx context.Context, fn string, anyResult bool, tasks []func(ctx context.Context) (T, error)) (T, error) {
	mustCtx(fn, ctx)
	if len(tasks) == 0 {
		panic("fork: " + fn + " called with no tasks")
	}
	checkTasks(fn, tasks)
	var (
		mu      sync.Mutex
		settled bool
		winner  T
		winErr  error
		errs    []error
		done    = make(chan struct{})
	)
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		for _, task := range tasks {
			// Daemon forks: once the body returns, the scope cancels the
			// losers and waits for them, and discards what they return.
			s.GoDaemon(func(ctx context.Context) error {
				returned := false
				defer func() {
					if !returned { // a panic: the scope fails and re-panics
						mu.Lock()
						if !settled {
							settled = true
							close(done)
						}
						mu.Unlock()
					}
				}()
				v, err := task(ctx)
				returned = true
				mu.Lock()
				defer mu.Unlock()
				if settled {
					return nil
				}
				if err == nil || anyResult {
					settled, winner, winErr = true, v, err
					close(done)
					return nil
				}
				errs = append(errs, err)
				if len(errs) == len(tasks) {
					settled, winErr = true, errors.Join(errs...)
					close(done)
				}
				return nil
			})
		}
		<-done
		return nil
	})
	if err != nil { // only a panic can fail the scope, and that re-panics
		var zero T
		return zero, err
	}
	return winner, winErr
}
