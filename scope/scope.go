package scope

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/corral-go/corral/internal/catch"
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
	slots  chan struct{} // one element per running awaited fork, with WithLimit; nil without

	// state counts the running forks and holds the flags that say what the
	// scope waits for, in one word: a fork starts and ends with one atomic
	// operation on it, and takes mu only in the rare cases (a failure, a
	// scope waiting to be woken). See the stateXxx constants.
	state atomic.Uint64

	// Guarded by mu. The scope's state as [Info] shows it follows from the
	// flags: running until bodyDone, ending until cancelled, cancelling
	// until ended.
	mu       sync.Mutex
	bodyDone bool          // the body has returned
	wake     chan struct{} // the waiting scope sleeps on it; made when it first must
	out      *outcome      // nil until something fails or registers a release

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
}

func (s *Scope) outcomeLocked() *outcome {
	if s.out == nil {
		s.out = new(outcome)
	}
	return s.out
}

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
// returns an error before the scope's normal end, or any of them panics or
// calls [runtime.Goexit]) cancels the scope's context with that failure as
// the cause, in the same step that records it, so that the other forks can
// stop early and [context.Cause] always names the failure that Supervised
// returns. Supervised still waits for every fork and runs the releases, then
// returns the first failure. Failures that arrive later and are not mere
// echoes of the cancellation ([context.Canceled], [ErrScopeEnded], or an
// error that wraps the first failure) are attached: the result's Error starts
// with the first failure, and [errors.Is] and [errors.As] find the later
// ones. With no later failures the first error is returned unchanged.
//
// If anything in the scope panicked, Supervised panics on the calling
// goroutine, after the forks have ended and the releases have run, with the
// first panic as a [*PanicError].
//
// Supervised panics if ctx or body is nil.
func Supervised(ctx context.Context, body func(s *Scope) error, opts ...Option) error {
	if body == nil {
		panic("scope: Supervised called with nil body; pass the function to run in the scope")
	}
	s := newScope("Supervised", ctx, funcPC(body), opts)
	return s.wait(s.runBody(body))
}

// Run is [Supervised] for a body that returns a value. It returns body's value
// when the scope ends without failure, and the zero T with the scope's error
// otherwise.
//
// Run panics if ctx or body is nil.
func Run[T any](ctx context.Context, body func(s *Scope) (T, error), opts ...Option) (T, error) {
	if body == nil {
		panic("scope: Run called with nil body; pass the function to run in the scope")
	}
	var v T
	s := newScope("Run", ctx, funcPC(body), opts)
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

func newScope(fn string, ctx context.Context, bodyPC uintptr, opts []Option) *Scope {
	if ctx == nil {
		panic("scope: " + fn + " called with nil ctx; pass context.Background() or the caller's context")
	}
	s := &Scope{bodyPC: bodyPC}
	for _, o := range opts {
		if o == nil {
			panic("scope: " + fn + " called with a nil Option")
		}
		o.apply(&s.cfg)
	}
	if s.cfg.limit > 0 {
		s.slots = make(chan struct{}, s.cfg.limit)
	}
	if diagUsed.Load() {
		ctx = s.setupDiag(ctx)
	}
	s.ctx, s.cancel = context.WithCancelCause(ctx)
	if s.diag != nil {
		s.armOnCancel()
		s.register()
	}
	return s
}

// Context returns the scope's context. It is cancelled when the scope fails
// (the cause is the first failure) or when the scope ends normally (the cause
// is [ErrScopeEnded]), and when the parent context is cancelled.
func (s *Scope) Context() context.Context {
	if s == nil {
		panic("scope: Context called on a nil *Scope")
	}
	return s.ctx
}

// Defer registers release to run when the scope ends, after every fork has
// returned, whether the scope succeeded, failed or panicked. Releases run on
// the goroutine that called [Supervised], last registered first, like Go's
// defer. A release that panics fails the scope like a fork that panics; the
// other releases still run. A release that calls [runtime.Goexit] fails the
// scope with [ErrGoexit]; the releases registered before it still run, as
// Go's deferred calls do, before the goroutine exits.
//
// Defer may be called from the body or from any fork. It panics if release is
// nil or if the scope has already ended.
func (s *Scope) Defer(release func()) {
	if s == nil {
		panic("scope: Defer called on a nil *Scope")
	}
	if release == nil {
		panic("scope: Defer called with nil release")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.endedLocked() {
		panic("scope: Defer called after " + s.describe() + " ended; register releases from the body or a fork")
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
// in body is reported as a *PanicError.
func (s *Scope) runBody(body func(s *Scope) error) (err error) {
	p := catch.Call(func() { err = body(s) }, func() {
		// runtime.Goexit (t.FailNow, say): the goroutine is going away,
		// but the forks must not outlive the scope.
		_ = s.wait(ErrGoexit)
	})
	if p != nil {
		return s.newPanic(p)
	}
	return err
}

// The scope's state word: the running awaited forks in the low 24 bits, the
// running daemon forks in the next 24, and flags on top. Flags are set with
// s.mu held, so that code holding s.mu sees them settled; counts change
// without it.
const (
	stateAwaited   = 1               // one running awaited fork
	stateDaemon    = 1 << 24         // one running daemon fork
	stateCounts    = 1<<48 - 1       // both counts
	stateCancelled = 1 << 48         // the scope cancelled its context: a failure, or the normal end
	stateWaiting   = 1 << 49         // the scope's goroutine sleeps on s.wake
	stateEnded     = 1 << 50         // every fork has returned: no fork may start
	awaitedMask    = stateDaemon - 1 // the awaited count's bits
)

func awaitedOf(w uint64) uint64 { return w & awaitedMask }
func daemonsOf(w uint64) uint64 { return w & stateCounts >> 24 }

// settled reports whether, in state w, the scope's goroutine may go on:
// before the scope cancels its context it waits for the awaited forks only,
// after that for every fork.
func settled(w uint64) bool {
	return awaitedOf(w) == 0 && (w&stateCancelled == 0 || daemonsOf(w) == 0)
}

func (s *Scope) cancelledLocked() bool { return s.state.Load()&stateCancelled != 0 }
func (s *Scope) endedLocked() bool     { return s.state.Load()&stateEnded != 0 }

// wait ends the scope: it records the body's result, waits for the awaited
// forks, cancels the context, waits for every fork, runs the releases, and
// returns the scope's result (or panics).
func (s *Scope) wait(bodyErr error) error {
	s.mu.Lock()
	s.failLocked(bodyErr, false)
	s.bodyDone = true
	s.awaitLocked()
	if !s.cancelledLocked() {
		// The normal end. Cancelling under the lock puts a daemon fork
		// that fails now either before it (a failure) or after it
		// (discarded), never in between.
		s.state.Or(stateCancelled)
		s.cancel(ErrScopeEnded)
	}
	for {
		s.awaitLocked()
		// A fork may start between the wait and this: the CAS fails then.
		if w := s.state.Load(); settled(w) && s.state.CompareAndSwap(w, w|stateEnded) {
			break
		}
	}
	o := s.out
	s.mu.Unlock()
	if s.diag != nil {
		s.stopDiag()
	}
	if o == nil {
		return nil
	}
	s.mu.Lock()
	releases := o.releases
	o.releases = nil
	s.mu.Unlock()
	s.runReleases(releases)

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

// awaitLocked releases s.mu until the scope is settled. It sets the waiting
// flag, then looks at the counts again: a fork that ends before the flag is
// set is seen by that second look, and one that ends after it sees the flag
// and takes s.mu to signal, which it can do only once Wait has released it.
func (s *Scope) awaitLocked() {
	for yielded := false; ; {
		if settled(s.state.Load()) {
			return
		}
		if !yielded {
			// The forks still running were likely started by this
			// goroutine and are queued behind it on its processor:
			// yielding once lets them finish without a park and a
			// wake-up.
			yielded = true
			s.mu.Unlock()
			runtime.Gosched()
			s.mu.Lock()
			continue
		}
		if w := s.state.Or(stateWaiting) | stateWaiting; settled(w) {
			s.state.And(^uint64(stateWaiting))
			return
		}
		// The fork that settles the scope clears the flag and sends on
		// wake, under s.mu: it cannot before this goroutine has released
		// it, and the send does not block (one waiter, room for one).
		if s.wake == nil {
			s.wake = make(chan struct{}, 1)
		}
		wake := s.wake
		s.mu.Unlock()
		<-wake
		s.mu.Lock()
	}
}

// runReleases runs releases last first. A release that calls runtime.Goexit
// cannot be stopped from ending the goroutine, so the releases before it run
// from the deferred call that noticed it, as Go's own deferred calls would.
func (s *Scope) runReleases(releases []func()) {
	for i := len(releases) - 1; i >= 0; i-- {
		rest := releases[:i]
		p := catch.Call(releases[i], func() {
			s.fail(ErrGoexit, false)
			s.runReleases(rest)
		})
		if p != nil {
			s.fail(s.newPanic(p), false)
		}
	}
}

// fail records err (nil is no failure) and, if it is the first failure,
// cancels the scope's context with it.
func (s *Scope) fail(err error, daemon bool) {
	if err == nil {
		return
	}
	s.mu.Lock()
	s.failLocked(err, daemon)
	s.mu.Unlock()
}

// failLocked records err and, if it is the scope's first failure, cancels
// the context with it as the cause. Recording and cancelling are one step
// under s.mu, so that nobody can see the failure recorded and the context
// cancelled with another cause (the normal end's ErrScopeEnded, which wait
// also sets under s.mu).
func (s *Scope) failLocked(err error, daemon bool) {
	if err == nil {
		return
	}
	o := s.outcomeLocked()
	pe, isPanic := err.(*PanicError)
	if isPanic {
		if o.panicked == pe || pe == o.first {
			return // recorded already (a Job that reported its own panic)
		}
		if o.panicked == nil {
			o.panicked = pe
		}
	}
	if !isPanic && s.cancelledLocked() && o.first == nil {
		// The scope is ending normally: daemon forks were told to stop,
		// and what they return now is discarded; an awaited fork started
		// during the shutdown that only reports the cancellation adds
		// nothing either.
		if daemon || isEcho(err, nil) {
			return
		}
	}
	if o.first == nil {
		o.first = err
		if !s.cancelledLocked() {
			s.state.Or(stateCancelled)
			s.cancel(err)
		}
		return
	}
	if isPanic || !isEcho(err, o.first) {
		o.rest = append(o.rest, err)
	}
}

// newPanic returns the *PanicError for a panic caught in the scope, keeping
// one that was raised again by a nested scope or a Join as it is, so that
// the original value and stack survive.
func (s *Scope) newPanic(p *catch.Panic) *PanicError {
	if pe, ok := p.Value.(*PanicError); ok {
		return pe
	}
	return &PanicError{Value: p.Value, Stack: p.Stack, Scope: s.describe()}
}

// funcPC returns the code pointer of the func value f, as
// reflect.Value.Pointer does, without making f escape: a scope keeps only
// this to describe itself, so a closure passed as a body can stay on its
// caller's stack. A func value points to a block whose first word is the
// code pointer.
func funcPC[F any](f F) uintptr {
	return **(**uintptr)(unsafe.Pointer(&f))
}
