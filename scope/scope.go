package scope

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"unsafe"
)

// A Scope owns the forks started in it: it does not end until every one of
// them has returned. Create one with [Supervised] or [Run]; the *Scope is
// valid for starting forks only until that call returns.
//
// A Scope is safe for concurrent use: forks may start further forks in the
// scope that started them.
type Scope struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	bodyPC uintptr // the body function's code, to describe an unnamed scope
	cfg    config

	mu      sync.Mutex
	state   state
	users   int32     // running awaited forks (user and unsupervised)
	daemons int32     // running daemon forks
	waiting bool      // the scope's goroutine waits on wake
	wake    sync.Cond // signalled when what the waiting scope waits for happens
	out     *outcome  // nil until something fails or registers a release

	diag *diag      // nil unless diagnostics are on
	info *scopeInfo // diagnostics state, when diag is not nil
}

// outcome holds what a scope collects while it runs; most scopes need none of
// it, so it is allocated on first use.
type outcome struct {
	first    error       // the first failure
	rest     []error     // later failures that are not echoes of the first
	panicked *PanicError // the first panic
	releases []func()
	atEnd    []func() error
}

func (s *Scope) outcomeLocked() *outcome {
	if s.out == nil {
		s.out = new(outcome)
	}
	return s.out
}

type state uint8

const (
	running    state = iota // body running, forks may start
	ending                  // body returned; waiting for the awaited forks
	cancelling              // context cancelled; waiting for every fork
	ended                   // every fork has returned; no more forks
)

// Supervised runs body in a new scope and returns when body and every fork
// started in the scope have returned.
//
// body runs on the calling goroutine, with a scope whose [Scope.Context] is
// derived from ctx. When body returns nil, Supervised waits for the forks
// started with [Scope.Go], then cancels the scope's context with cause
// [ErrScopeEnded] so that daemon forks (started with [Scope.GoDaemon]) stop,
// and waits for those too. Errors returned by daemon forks after that
// cancellation are discarded. Then the functions registered with
// [Scope.Defer] run, last registered first, and Supervised returns nil.
//
// The first failure (body or an awaited fork returns an error, a daemon fork
// returns an error before the scope's normal end, or any of them panics)
// cancels the scope's context with that failure as the cause, so the other
// forks can stop early. Supervised still waits for every fork and runs the
// releases, then returns the first failure. Failures that arrive later and
// are not mere echoes of the cancellation ([context.Canceled],
// [ErrScopeEnded], or an error that wraps the first failure) are attached:
// the result's Error starts with the first failure, and [errors.Is] and
// [errors.As] find the later ones. With no later failures the first error is
// returned unchanged.
//
// If anything in the scope panicked, Supervised panics on the calling
// goroutine, after the forks have ended and the releases have run, with the
// first panic as a [*PanicError].
//
// Supervised panics if body is nil.
func Supervised(ctx context.Context, body func(s *Scope) error, opts ...Option) error {
	if body == nil {
		panic("scope: Supervised called with nil body")
	}
	s := newScope(ctx, funcPC(body), opts)
	return s.wait(s.runBody(body))
}

// Run is [Supervised] for a body that returns a value. It returns body's value
// when the scope ends without failure, and the zero T with the scope's error
// otherwise.
func Run[T any](ctx context.Context, body func(s *Scope) (T, error), opts ...Option) (T, error) {
	if body == nil {
		panic("scope: Run called with nil body")
	}
	var v T
	s := newScope(ctx, funcPC(body), opts)
	err := s.wait(s.runBody(func(s *Scope) error {
		var err error
		v, err = body(s)
		return err
	}))
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

func newScope(ctx context.Context, bodyPC uintptr, opts []Option) *Scope {
	if ctx == nil {
		panic("scope: nil context")
	}
	s := &Scope{bodyPC: bodyPC}
	for _, o := range opts {
		o.apply(&s.cfg)
	}
	if diagUsed.Load() {
		ctx = s.setupDiag(ctx)
	}
	s.ctx, s.cancel = context.WithCancelCause(ctx)
	s.wake.L = &s.mu
	if s.diag != nil {
		s.armOnCancel()
		s.register()
	}
	return s
}

// Context returns the scope's context. It is cancelled when the scope fails
// (the cause is the first failure) or when the scope ends normally (the cause
// is [ErrScopeEnded]), and when the parent context is cancelled.
func (s *Scope) Context() context.Context { return s.ctx }

// Defer registers release to run when the scope ends, after every fork has
// returned, whether the scope succeeded, failed or panicked. Releases run on
// the goroutine that called [Supervised], last registered first, like Go's
// defer. A release that panics fails the scope like a fork that panics; the
// other releases still run.
//
// Defer may be called from the body or from any fork. It panics if release is
// nil or if the scope has already ended.
func (s *Scope) Defer(release func()) {
	if release == nil {
		panic("scope: Defer called with nil release")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == ended {
		panic("scope: Defer called after " + s.describe() + " ended")
	}
	o := s.outcomeLocked()
	o.releases = append(o.releases, release)
}

// String describes the scope, by its name if it has one (see [WithName]) and
// otherwise by the name of its body function.
func (s *Scope) String() string { return s.describe() }

func (s *Scope) describe() string {
	if s.cfg.name != "" {
		return fmt.Sprintf("scope %q", s.cfg.name)
	}
	name := "?"
	if fn := runtime.FuncForPC(s.bodyPC); fn != nil {
		name = fn.Name()
	}
	return "unnamed scope (body " + name + ")"
}

// runBody runs body on the calling goroutine and returns its error; a panic
// in body is recorded as the scope's panic and reported as an error.
func (s *Scope) runBody(body func(s *Scope) error) (err error) {
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil {
			err = s.newPanic(v)
			return
		}
		// runtime.Goexit (t.FailNow, say): the goroutine is going away,
		// but the forks must not outlive the scope.
		_ = s.wait(ErrGoexit)
	}()
	err = body(s)
	returned = true
	return err
}

// wait ends the scope: it records the body's result, waits for the awaited
// forks, cancels the context, waits for every fork, runs the end checks and
// the releases, and returns the scope's result (or panics).
func (s *Scope) wait(bodyErr error) error {
	s.fail(bodyErr, false)
	s.mu.Lock()
	s.state = ending
	for s.users > 0 {
		s.waitLocked()
	}
	// Cancel under the lock, so that a daemon that fails now is either
	// before the normal end (a failure) or after it (discarded), never
	// in between.
	s.cancel(ErrScopeEnded) // no effect if a failure cancelled it first
	s.state = cancelling
	for s.users > 0 || s.daemons > 0 {
		s.waitLocked()
	}
	s.state = ended
	o := s.out
	s.mu.Unlock()
	if s.diag != nil {
		s.stopDiag()
	}
	if o == nil {
		return nil
	}
	s.mu.Lock()
	checks, releases := o.atEnd, o.releases
	o.atEnd, o.releases = nil, nil
	s.mu.Unlock()

	for _, check := range checks {
		s.fail(check(), false)
	}
	for i := len(releases) - 1; i >= 0; i-- {
		s.runRelease(releases[i])
	}

	// No fork is left, but a release may have started a goroutine of its
	// own that touches the scope: keep to the lock.
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.panicked != nil {
		panic(o.panicked)
	}
	if o.first == nil || len(o.rest) == 0 {
		return o.first
	}
	return errors.Join(append([]error{o.first}, o.rest...)...)
}

// waitLocked releases s.mu until a fork's end may have changed what the
// scope waits for.
func (s *Scope) waitLocked() {
	s.waiting = true // the fork that ends the wait clears it
	s.wake.Wait()
}

func (s *Scope) runRelease(release func()) {
	defer func() {
		if v := recover(); v != nil {
			s.fail(s.newPanic(v), false)
		}
	}()
	release()
}

// fail records err (nil is no failure) and cancels the scope's context if it
// is the first failure.
func (s *Scope) fail(err error, daemon bool) {
	if err == nil {
		return
	}
	s.mu.Lock()
	cause := s.failLocked(err, daemon)
	s.mu.Unlock()
	if cause != nil {
		s.cancel(cause)
	}
}

// failLocked records err and returns the cause to cancel the context with if
// err is the scope's first failure. It must be called with s.mu held.
func (s *Scope) failLocked(err error, daemon bool) (cancelCause error) {
	if err == nil {
		return nil
	}
	o := s.outcomeLocked()
	pe, isPanic := err.(*PanicError)
	if isPanic && o.panicked == nil {
		o.panicked = pe
	}
	if !isPanic && s.state >= cancelling && o.first == nil {
		// The scope is ending normally: daemon forks were told to stop,
		// and what they return now is discarded; an awaited fork started
		// during the shutdown that only reports the cancellation adds
		// nothing either.
		if daemon || isEcho(err, nil) {
			return nil
		}
	}
	if o.first == nil {
		o.first = err
		return err
	}
	if isPanic || !isEcho(err, o.first) {
		o.rest = append(o.rest, err)
	}
	return nil
}

func (s *Scope) newPanic(v any) *PanicError {
	if pe, ok := v.(*PanicError); ok {
		return pe // a re-panic from a nested scope or a Join: keep the original
	}
	return &PanicError{Value: v, Stack: debug.Stack(), Scope: s.describe()}
}

// funcPC returns the code pointer of the func value f, as
// reflect.Value.Pointer does, without making f escape: a scope keeps only
// this to describe itself, so a closure passed as a body can stay on its
// caller's stack. A func value points to a block whose first word is the
// code pointer.
func funcPC[F any](f F) uintptr {
	return **(**uintptr)(unsafe.Pointer(&f))
}
