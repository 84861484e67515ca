package fork

import (
	"context"
	"sync/atomic"

	"github.com/corral-go/corral/scope"
)

// A CancellableFork is an [Unsupervised] fork that can be cancelled on its
// own, without failing or cancelling its scope. Create one with [Cancellable].
type CancellableFork[T any] struct {
	fk     *Fork[T]
	cancel context.CancelCauseFunc
	state  atomic.Uint32 // forkRunning, forkCompleted or forkCancelled
}

const (
	forkRunning uint32 = iota
	forkCompleted
	forkCancelled
)

// Cancellable starts f like [Unsupervised] (awaited by the scope; its failure
// reported only through Join), with a context of its own, derived from the
// scope's, that [CancellableFork.Cancel] cancels.
//
// Cancellable panics if s or f is nil, or if s has ended.
func Cancellable[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *CancellableFork[T] {
	mustStart("Cancellable", s, f)
	ctx, cancel := context.WithCancelCause(s.Context())
	cf := &CancellableFork[T]{cancel: cancel}
	cf.fk = start(s, scope.ForkSpec{Unsupervised: true}, f, func(context.Context) (T, error) {
		defer cancel(context.Canceled) // release the context's resources
		v, err := f(ctx)
		if !cf.state.CompareAndSwap(forkRunning, forkCompleted) {
			var zero T
			return zero, context.Canceled
		}
		return v, err
	}, opts)
	return cf
}

// Cancel cancels the fork's context, if the fork has not completed yet, and
// returns at once; [CancellableFork.Join] then waits for the function to
// return and reports [context.Canceled], whatever the function returned.
// Cancelling a fork that has already completed, or cancelling twice, has no
// effect. Cancel is safe to call from any goroutine.
func (cf *CancellableFork[T]) Cancel() {
	if cf.state.CompareAndSwap(forkRunning, forkCancelled) {
		cf.cancel(context.Canceled)
	}
}

// Join waits for the fork's function to return and returns its result, or
// [context.Canceled] if [CancellableFork.Cancel] was called first. If the
// function panicked, Join panics again with the [*scope.PanicError].
func (cf *CancellableFork[T]) Join() (T, error) { return cf.fk.Join() }

// Done returns a channel that is closed when the fork's function has
// returned.
func (cf *CancellableFork[T]) Done() <-chan struct{} { return cf.fk.Done() }
