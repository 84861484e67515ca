package fork

import (
	"context"
	"runtime"
	"sync/atomic"

	"github.com/corral-go/corral/scope"
)

// A Fork is a computation of a T running in its own goroutine, started in a
// scope by [New], [Daemon] or [Unsupervised]. [Fork.Join] waits for it and
// returns its result.
//
// A Fork is safe for concurrent use: any number of goroutines may join it,
// and all of them get the same result.
type Fork[T any] struct {
	f func(ctx context.Context) (T, error)
	s *scope.Scope

	// Written by the fork's goroutine before it completes, read after.
	v   T
	err error // f's error, or the *scope.PanicError or ErrGoexit it ended with

	// done is nil while the fork runs and nobody waits, a channel that
	// Finish closes once someone waits, and closed once the fork has
	// completed: a fork that is joined after it completed, the common case,
	// never makes a channel.
	done   atomic.Pointer[chan struct{}]
	joined atomic.Bool // an unsupervised fork's panic was raised by Join

	unsupervised bool
	returned     bool // f returned (rather than panicking or calling Goexit)
	panicked     bool // an unsupervised fork panicked: Join panics again
}

// closed marks a completed fork; Done returns it when the fork completed
// before anyone asked for a channel.
var closed = func() *chan struct{} {
	c := make(chan struct{})
	close(c)
	return &c
}()

// New starts f in a new goroutine of scope s and returns its Fork. The scope
// waits for f before it ends, and an error or panic from f fails the scope
// and cancels its other forks (see [scope.Supervised]): New is the typed form
// of [scope.Scope.Go]. In a scope with a limit ([scope.WithLimit]) New waits
// for a free slot first; if the scope is cancelled meanwhile, f never runs and
// Join reports the scope's cancellation cause.
//
// New panics if s or f is nil, or if s has ended. Options such as [WithName]
// help diagnostics.
func New[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	mustStart("New", s, f)
	return start(s, scope.ForkSpec{}, f, f, opts)
}

// Daemon starts f as a daemon fork of scope s: like [New], except that the
// scope does not wait for f; when the scope's body and awaited forks are done
// the scope cancels f's context and waits for it to return (see
// [scope.Scope.GoDaemon]). Joining a daemon fork after the scope cancelled it
// returns whatever f returned then, typically [context.Canceled].
//
// Daemon panics if s or f is nil, or if s has ended.
func Daemon[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	mustStart("Daemon", s, f)
	return start(s, scope.ForkSpec{Daemon: true}, f, f, opts)
}

// Unsupervised starts f in a new goroutine of scope s whose failure concerns
// only the code that joins it: an error from f does not fail the scope, and
// is returned by [Fork.Join]. The scope still waits for f before it ends.
//
// A panic in f is never lost: [Fork.Join] panics again with the
// [*scope.PanicError]; if nobody joins the fork, the panic fails the scope
// when it ends.
//
// Unsupervised panics if s or f is nil, or if s has ended.
func Unsupervised[T any](s *scope.Scope, f func(ctx context.Context) (T, error), opts ...Option) *Fork[T] {
	mustStart("Unsupervised", s, f)
	return start(s, scope.ForkSpec{Unsupervised: true}, f, f, opts)
}

func mustStart[T any](fn string, s *scope.Scope, f func(ctx context.Context) (T, error)) {
	if s == nil {
		panic("fork: " + fn + " called with nil s; pass the *scope.Scope of the body or fork that starts it")
	}
	if f == nil {
		panic("fork: " + fn + " called with nil f")
	}
}

// start starts f as a fork of s; fn is the user's function, which
// diagnostics name.
func start[T any](s *scope.Scope, spec scope.ForkSpec, fn any, f func(ctx context.Context) (T, error), opts []Option) *Fork[T] {
	spec.Func = fn
	if len(opts) > 0 {
		spec.Name = forkName(opts)
	}
	fk := &Fork[T]{f: f, s: s, unsupervised: spec.Unsupervised}
	s.Start(spec, (*job[T])(fk))
	return fk
}

// job is the fork seen as a [scope.Job]: a distinct type, so that Run and
// Finish are not methods of Fork, and a conversion of the same pointer, so
// that it costs no allocation.
type job[T any] Fork[T]

func (j *job[T]) Run(ctx context.Context) error {
	v, err := j.f(ctx)
	j.v, j.returned = v, true
	return err
}

// Finish publishes the outcome, which the scope has recorded already: a
// joiner that sees a failure also sees the scope failed by it.
func (j *job[T]) Finish(err error) {
	fk := (*Fork[T])(j)
	fk.err = err
	if fk.unsupervised && !fk.returned {
		if pe, ok := err.(*scope.PanicError); ok {
			// Nobody but a joiner hears of an unsupervised fork's
			// failure; a panic, though, must reach someone: the
			// scope, at its end, unless Join raised it first.
			fk.panicked = true
			fk.s.Defer(func() {
				if !fk.joined.Load() {
					panic(pe)
				}
			})
		}
	}
	if c := fk.done.Swap(closed); c != nil {
		close(*c)
	}
}

// Join waits for the fork's function to return and returns its result.
//
// For a fork started with [New] or [Daemon], an error is also the scope's
// failure, and a panic is reported as a [*scope.PanicError] error (the scope
// panics again when it ends). For an [Unsupervised] fork, Join panics again
// with the *scope.PanicError if the function panicked. A function that
// called [runtime.Goexit] is reported as an error matching
// [scope.ErrGoexit].
//
// Join blocks until the function returns, which it does soon after the
// scope's context is cancelled if it honours the context.
func (fk *Fork[T]) Join() (T, error) {
	if fk.done.Load() != closed {
		// Not done yet. The forks a body just started are likely queued
		// on its own processor, behind it: yielding once lets them run as
		// a batch, where parking at once would cost a park and a wake-up
		// for each Join in turn (the woken joiner jumps the queue).
		runtime.Gosched()
		if fk.done.Load() != closed {
			<-fk.Done()
		}
	}
	if fk.panicked {
		fk.joined.Store(true)
		panic(fk.err)
	}
	return fk.v, fk.err
}

// Done returns a channel that is closed when the fork's function has
// returned, so that a fork can be awaited in a select. After Done is closed,
// [Fork.Join] returns without blocking.
func (fk *Fork[T]) Done() <-chan struct{} {
	if c := fk.done.Load(); c != nil {
		return *c
	}
	c := make(chan struct{})
	if fk.done.CompareAndSwap(nil, &c) {
		return c // Finish closes it
	}
	return *fk.done.Load() // Finish came first: closed, or another caller's
}
