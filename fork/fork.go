package fork

import (
	"context"
	"sync/atomic"

	"github.com/corral-go/corral/internal/hook"
	"github.com/corral-go/corral/scope"
)

// A Fork is a computation of a T running in its own goroutine, started in a
// scope by [New], [Daemon] or [Unsupervised]. [Fork.Join] waits for it and
// returns its result.
//
// A Fork is safe for concurrent use: any number of goroutines may join it,
// and all of them get the same result.
type Fork[T any] struct {
	done     chan struct{}
	v        T
	err      error // f's error, or the *scope.PanicError that it panicked with
	panicked bool  // unsupervised and cancellable forks re-panic in Join
	joined   atomic.Bool
}

// New starts f in a new goroutine of scope s and returns its Fork. The scope
// waits for f before it ends, and an error or panic from f fails the scope
// and cancels its other forks (see [scope.Supervised]): New is the typed form
// of [scope.Scope.Go].
//
// New panics if f is nil or s has ended. Options such as [WithName] help
// diagnostics.
func New[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	if f == nil {
		panic("fork: New called with nil f")
	}
	return start(s, hook.User, forkName(opts), f, f)
}

// Daemon starts f as a daemon fork of scope s: like [New], except that the
// scope does not wait for f; when the scope's body and awaited forks are done
// the scope cancels f's context and waits for it to return (see
// [scope.Scope.GoDaemon]). Joining a daemon fork after the scope cancelled it
// returns whatever f returned then, typically [context.Canceled].
//
// Daemon panics if f is nil or s has ended.
func Daemon[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	if f == nil {
		panic("fork: Daemon called with nil f")
	}
	return start(s, hook.Daemon, forkName(opts), f, f)
}

// Unsupervised starts f in a new goroutine of scope s whose failure concerns
// only the code that joins it: an error from f does not fail the scope, and
// is returned by [Fork.Join]. The scope still waits for f before it ends.
//
// A panic in f is never lost: [Fork.Join] panics again with the
// [*scope.PanicError]; if nobody joins the fork, the panic fails the scope
// when it ends.
//
// Unsupervised panics if f is nil or s has ended.
func Unsupervised[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	if f == nil {
		panic("fork: Unsupervised called with nil f")
	}
	return start(s, hook.Unsupervised, forkName(opts), f, f)
}

func start[T any](s *scope.Scope, k hook.Kind, name string, fn any, f func(ctx context.Context) (T, error)) *Fork[T] {
	fk := &Fork[T]{done: make(chan struct{})}
	hook.Start(s, k, name, fn, func(ctx context.Context) error {
		return fk.run(s, k, ctx, f)
	})
	return fk
}

// run runs f and records its outcome. For supervised kinds it returns f's
// error (or panic) for the scope to act on; an unsupervised fork keeps it.
func (fk *Fork[T]) run(s *scope.Scope, k hook.Kind, ctx context.Context, f func(ctx context.Context) (T, error)) (err error) {
	returned := false
	defer func() {
		if !returned && fk.err == nil {
			fk.err = scope.ErrGoexit // replaced below if it was a panic
		}
		if v := recover(); v != nil {
			fk.err = hook.NewPanic(s, v)
			if k == hook.Unsupervised {
				fk.panicked = true
				pe := fk.err
				hook.AtEnd(s, func() error {
					if fk.joined.Load() {
						return nil
					}
					return pe
				})
				err = nil
			} else {
				err = fk.err
			}
		}
		close(fk.done)
	}()
	fk.v, fk.err = f(ctx)
	returned = true
	if k == hook.Unsupervised {
		return nil
	}
	return fk.err
}

// Join waits for the fork's function to return and returns its result.
//
// For a fork started with [New] or [Daemon], an error is also the scope's
// failure, and a panic is reported as a [*scope.PanicError] error (the scope
// panics again when it ends). For an [Unsupervised] fork, Join panics again
// with the *scope.PanicError if the function panicked.
//
// Join blocks until the function returns, which it does soon after the
// scope's context is cancelled if it honours the context.
func (fk *Fork[T]) Join() (T, error) {
	<-fk.done
	if fk.panicked {
		fk.joined.Store(true)
		panic(fk.err)
	}
	return fk.v, fk.err
}

// Done returns a channel that is closed when the fork's function has
// returned, so that a fork can be awaited in a select. After Done is closed,
// [Fork.Join] returns without blocking.
func (fk *Fork[T]) Done() <-chan struct{} { return fk.done }
