package breaker

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/sony/gobreaker/v2"
)

// State is the state of a breaker: [Closed], [Open] or [HalfOpen]. It is
// gobreaker's type, so values convert freely between the two packages.
type State = gobreaker.State

// The states of a breaker.
const (
	// Closed lets every call through and counts their failures.
	Closed State = gobreaker.StateClosed
	// HalfOpen lets a few trial calls through (see [TrialCalls]) to find out
	// whether the dependency has recovered.
	HalfOpen State = gobreaker.StateHalfOpen
	// Open rejects every call with [ErrOpen] (see [OpenFor]).
	Open State = gobreaker.StateOpen
)

// Counts are the numbers of calls a breaker counted in its current state
// (and, when closed, in its current [Window]). It is gobreaker's type.
type Counts = gobreaker.Counts

// A Breaker is a circuit breaker: it lets calls to a dependency through
// while they succeed, and once they fail too often (see [TripIf]) it opens
// and rejects calls at once, without calling, until the dependency has had
// time to recover (see [OpenFor]). Then it lets a few trial calls through
// ([TrialCalls]) and closes again if they succeed.
//
//	         too many failures             OpenFor passed
//	Closed ─────────────────────► Open ─────────────────────► HalfOpen
//	   ▲                           ▲                            │
//	   │                           └──── a trial call fails ────┤
//	   └─────────────── TrialCalls successes in a row ──────────┘
//
// A Breaker wraps a [gobreaker.TwoStepCircuitBreaker], which does the
// counting and the state changes; this type adds contexts, errors that
// errors.Is can tell apart, and state changes reported outside the lock.
//
// Use one Breaker per dependency, shared by every caller: it is safe for
// concurrent use. Create it with [New]; the zero Breaker is not usable.
type Breaker struct {
	cb         *gobreaker.TwoStepCircuitBreaker[struct{}]
	name       string
	isFailure  func(error) bool
	errOpen    error // ErrOpen, with the name
	errTooMany error

	hook   func(Transition)
	logger *slog.Logger

	// State changes, queued by gobreaker's OnStateChange (which it calls
	// with its lock held) and delivered by deliver, after the lock.
	queued     atomic.Bool // pending is not empty
	mu         sync.Mutex
	pending    []Transition
	delivering bool // a goroutine is running the hooks
}

// Markers for gobreaker: which way a call counts.
var (
	errFailure  = errors.New("breaker: failure")
	errExcluded = errors.New("breaker: not counted")
)

// New returns a closed breaker configured by opts. With no options it opens
// after more than 5 consecutive failures, stays open for 60 seconds, then
// lets one trial call through.
func New(opts ...Option) *Breaker {
	var c config
	for _, o := range opts {
		if o == nil {
			panic("breaker: nil Option; leave it out, or pass one built by this package")
		}
		o.apply(&c)
	}
	b := &Breaker{
		name:       c.settings.Name,
		isFailure:  c.isFailure,
		errOpen:    newNamedRejection(c.settings.Name, ErrOpen),
		errTooMany: newNamedRejection(c.settings.Name, ErrTooManyRequests),
		hook:       c.hook,
		logger:     c.logger,
	}
	st := c.settings
	st.IsSuccessful = func(err error) bool { return err == nil }
	st.IsExcluded = func(err error) bool { return err == errExcluded }
	if b.hook != nil || b.logger != nil {
		st.OnStateChange = b.queue
	}
	b.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](st)
	return b
}

// Name returns the breaker's name (see [Name]).
func (b *Breaker) Name() string { return b.name }

// State returns the breaker's state now. An [Open] breaker whose [OpenFor]
// has passed becomes [HalfOpen] here, and the change is reported.
func (b *Breaker) State() State {
	s := b.cb.State()
	b.deliver()
	return s
}

// Counts returns the numbers of calls counted in the current state.
func (b *Breaker) Counts() Counts { return b.cb.Counts() }

// Do calls f with ctx if the breaker lets the call through, and returns f's
// error; if the breaker rejects the call, Do returns at once, without
// calling f, an error matching [ErrOpen] or [ErrTooManyRequests] (and
// [ErrRejected]).
//
// How a call counts:
//   - f returned nil: a success.
//   - f returned an error: a failure, unless [FailureIf] says otherwise.
//   - ctx was cancelled by the time f returned (ctx.Err() is
//     context.Canceled) and f returned an error: not counted. The caller
//     gave up — a hedged call won, the scope failed elsewhere, the user
//     left — which says nothing about the dependency. In [HalfOpen] it
//     frees its trial slot.
//   - ctx's deadline passed during the call: counted like any error, a
//     failure by default. A deadline is the caller saying how long an answer
//     is worth, and a dependency that misses it is failing for that caller;
//     slowness is what breakers are for.
//   - f panicked or called runtime.Goexit: a failure; the panic goes on.
//
// If ctx is already done, Do returns ctx.Err() without asking the breaker or
// calling f, so the call does not count and takes no trial slot.
//
// f runs on the calling goroutine. Do panics if b, ctx or f is nil.
func (b *Breaker) Do(ctx context.Context, f func(ctx context.Context) error) error {
	if b == nil {
		panic("breaker: Do called on a nil Breaker; create one with breaker.New")
	}
	checkCall("Do", ctx, f == nil)
	_, err := call(ctx, b, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, f(ctx)
	})
	return err
}

// Value is [Breaker.Do] for a call that returns a value: it returns f's
// value and error, or the zero T and the breaker's error if the call was
// rejected. Value panics if ctx, b or f is nil.
func Value[T any](ctx context.Context, b *Breaker, f func(ctx context.Context) (T, error)) (T, error) {
	if b == nil {
		panic("breaker: Value called with nil Breaker; create one with breaker.New")
	}
	checkCall("Value", ctx, f == nil)
	return call(ctx, b, f)
}

func checkCall(name string, ctx context.Context, nilF bool) {
	if ctx == nil {
		panic("breaker: " + name + " called with nil ctx; pass context.Background() or the caller's context")
	}
	if nilF {
		panic("breaker: " + name + " called with nil f; pass the call to protect")
	}
}

func call[T any](ctx context.Context, b *Breaker, f func(context.Context) (T, error)) (v T, err error) {
	if err := ctx.Err(); err != nil {
		return v, err
	}
	done, rejected := b.cb.Allow()
	b.deliver()
	if rejected != nil {
		return v, b.rejection(rejected)
	}
	returned := false
	defer func() {
		// f panicked or called runtime.Goexit: nothing to recover, only a
		// failure to count before the goroutine goes on unwinding.
		if !returned {
			done(errFailure)
			b.deliver()
		}
	}()
	v, err = f(ctx)
	returned = true
	done(b.outcome(ctx, err))
	b.deliver()
	return v, err
}

// outcome says how gobreaker should count a call that returned err.
func (b *Breaker) outcome(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() == context.Canceled:
		return errExcluded
	case b.isFailure != nil && !b.isFailure(err):
		return nil
	}
	return errFailure
}

func (b *Breaker) rejection(err error) error {
	switch err {
	case gobreaker.ErrOpenState:
		return b.errOpen
	case gobreaker.ErrTooManyRequests:
		return b.errTooMany
	}
	return err
}

// queue is gobreaker's OnStateChange. gobreaker calls it with its lock held,
// so it only records the change; a hook run here could not call the breaker
// (State would deadlock).
func (b *Breaker) queue(name string, from, to State) {
	b.mu.Lock()
	b.pending = append(b.pending, Transition{Name: name, From: from, To: to})
	b.queued.Store(true)
	b.mu.Unlock()
}

// deliver reports the queued state changes, one at a time and in order. If
// another goroutine is already reporting, it leaves the queue to that one,
// so a hook that calls the breaker does not recurse.
func (b *Breaker) deliver() {
	if !b.queued.Load() {
		return
	}
	b.mu.Lock()
	if b.delivering {
		b.mu.Unlock()
		return
	}
	b.delivering = true
	b.mu.Unlock()
	finished := false
	defer func() {
		if !finished { // a hook panicked: let the next call deliver the rest
			b.mu.Lock()
			b.delivering = false
			b.mu.Unlock()
		}
	}()
	for {
		b.mu.Lock()
		if len(b.pending) == 0 {
			b.pending = nil
			b.queued.Store(false)
			b.delivering = false
			b.mu.Unlock()
			finished = true
			return
		}
		t := b.pending[0]
		b.pending = b.pending[1:]
		b.mu.Unlock()
		b.report(t)
	}
}

func (b *Breaker) report(t Transition) {
	if b.hook != nil {
		b.hook(t)
	}
	if b.logger != nil {
		level := slog.LevelInfo
		if t.To == Open {
			level = slog.LevelWarn
		}
		b.logger.Log(context.Background(), level, "breaker state changed",
			"breaker", t.Name, "from", t.From.String(), "to", t.To.String())
	}
}
