package dispatcher

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/scope"
)

// An Actor owns a value of type T, its logic, and runs the functions sent to
// it ([Actor.Tell], [Ask]) one at a time, in the order they arrive, on a
// goroutine of its own. Only that goroutine touches the logic, so the logic
// needs no locks of its own, however many goroutines send to the actor.
//
// Create one with [NewActor]. An Actor is safe for concurrent use.
type Actor[T any] struct {
	logic   T
	mailbox *channel.Chan[func(logic T)]
	block   bool          // a bounded mailbox with the Block policy
	scope   *scope.Scope  // for the panics of Ask's functions
	done    chan struct{} // closed when the actor's goroutine has returned

	// The actor's goroutine, to recognise calls from its own functions:
	// gid is written by loop before busy is first set, and busy is set
	// while a function runs.
	gid  uint64
	busy atomic.Bool

	dropping atomic.Bool // Shutdown gave up waiting: run nothing more
}

// NewActor starts an actor for logic as a daemon fork of s (see
// [scope.Scope.GoDaemon]): it never keeps s open, and the end of s (its
// context's cancellation) stops it, in one of two ways:
//
//   - On the normal end of s (cause [scope.ErrScopeEnded]: its body and
//     awaited forks are done), the actor stops accepting functions (later
//     sends return [ErrClosed]) and runs every function it has accepted,
//     then stops. s waits for that, as for any daemon fork. Those functions
//     run after the scope's context was cancelled: the other forks of s may
//     have stopped.
//   - When s fails, or its context is cancelled from outside, the functions
//     still waiting in the mailbox are dropped: they never run, and the
//     pending [Ask] calls return ErrClosed.
//
// [Actor.Shutdown] stops the actor earlier, in the first way.
//
// A panic in a function run by the actor fails s, as a panic in any fork
// does, and stops the actor. An error returned by a function passed to Ask
// goes back to its caller only: the actor keeps running.
//
// The mailbox is unbounded unless [WithMailbox] bounds it; it is first-in
// first-out. NewActor panics if s is nil or has ended.
func NewActor[T any](s *scope.Scope, logic T, opts ...ActorOption) *Actor[T] {
	if s == nil {
		panic("dispatcher: NewActor called with nil s; pass the scope the actor should live in")
	}
	cfg := newConfig("NewActor", opts)
	capacity := channel.Unlimited
	if cfg.bounded {
		capacity = cfg.mailbox
	}
	a := &Actor[T]{
		logic:   logic,
		mailbox: channel.New[func(T)](capacity),
		block:   cfg.bounded && cfg.policy == Block,
		scope:   s,
		done:    make(chan struct{}),
	}
	if p := catch.Call(func() { s.GoDaemonNamed("actor", a.loop) }, nil); p != nil {
		panic(fmt.Sprintf("dispatcher: NewActor called with a scope that has ended (%v); "+
			"create actors while their scope runs, e.g. in the scope's body", p.Value))
	}
	return a
}

// loop is the actor's fork: it runs the functions sent to it until the
// mailbox is closed and empty, or the scope's context ends.
func (a *Actor[T]) loop(ctx context.Context) error {
	defer close(a.done)
	// Fail wakes blocked senders and makes later sends return ErrClosed,
	// whether the loop ends by a panic or by dropping the queue; it has no
	// effect once Close has made every send return ErrClosed.
	defer a.mailbox.Fail(ErrClosed)
	a.gid = goid()
	for !a.dropping.Load() {
		f, err := a.mailbox.Receive(ctx)
		if err != nil {
			break
		}
		a.run(f)
	}
	if ctx.Err() == nil {
		// Shutdown closed the mailbox, and it is empty, or it gave up.
		return nil
	}
	if context.Cause(ctx) != scope.ErrScopeEnded {
		return nil // the scope failed or was cancelled from outside: drop the queue
	}
	// The scope's normal end: run what was accepted, accept nothing more.
	_ = a.mailbox.Close()
	for !a.dropping.Load() {
		f, err := a.mailbox.Receive(context.Background()) // never waits: closed
		if err != nil {
			break
		}
		a.run(f)
	}
	return nil
}

func (a *Actor[T]) run(f func(T)) {
	a.busy.Store(true)
	f(a.logic)
	a.busy.Store(false)
}

// onLoop reports whether the caller is one of the actor's own functions,
// running on its goroutine. goid is costly, but it runs only while a
// function is running.
func (a *Actor[T]) onLoop() bool { return a.busy.Load() && goid() == a.gid }

// Tell sends f to the actor, which runs f(logic) on its goroutine after the
// functions sent before, and returns without waiting for it. It returns nil
// if f was accepted, [ErrClosed] if the actor has stopped or is stopping,
// and, with a bounded mailbox that is full, [ErrFull] under the [Reject]
// policy; under the [Block] policy Tell waits for room or for the actor to
// stop. One of the actor's own functions cannot wait for room in its own
// mailbox (only it can make some): Tell then returns ErrFull at once.
//
// Tell panics if a is nil or f is nil.
func (a *Actor[T]) Tell(f func(logic T)) error {
	if a == nil {
		panic("dispatcher: Tell called on a nil *Actor; create actors with NewActor")
	}
	if f == nil {
		panic("dispatcher: Tell called with nil f")
	}
	return a.send(context.Background(), f)
}

func (a *Actor[T]) send(ctx context.Context, f func(T)) error {
	ok, err := a.mailbox.TrySend(f)
	switch {
	case err != nil:
		return ErrClosed // the mailbox is closed, or failed with ErrClosed
	case ok:
		return nil
	case !a.block, a.onLoop():
		return ErrFull
	}
	if err := a.mailbox.Send(ctx, f); err != nil {
		if errors.Is(err, channel.ErrClosed) || errors.Is(err, channel.ErrFailed) {
			return ErrClosed
		}
		return err // ctx ended
	}
	return nil
}

// Done returns a channel that is closed when the actor has stopped: its
// scope ended (once the actor ran what it had to run), Shutdown stopped it,
// or a function it ran panicked.
func (a *Actor[T]) Done() <-chan struct{} {
	if a == nil {
		panic("dispatcher: Done called on a nil *Actor; create actors with NewActor")
	}
	return a.done
}

// Shutdown stops the actor gracefully, as [Dispatcher.Shutdown] does a
// dispatcher: from the call on, [Actor.Tell] and [Ask] return [ErrClosed];
// the functions accepted before run, in order; and Shutdown returns nil once
// the last has returned and the actor has stopped. If ctx ends first, the
// functions still waiting are dropped (they never run; their Ask callers
// get ErrClosed), Shutdown waits for the running function to return (it
// cannot be interrupted), and returns ctx.Err().
//
// Shutdown may be called any number of times, from any goroutine. Called
// from one of the actor's own functions, which cannot wait for itself, it
// stops the actor's intake and returns nil at once: the functions accepted
// before run after the caller returns (or, if ctx has already ended, are
// dropped, and Shutdown returns ctx.Err()). Shutdown panics if ctx is nil.
func (a *Actor[T]) Shutdown(ctx context.Context) error {
	if a == nil {
		panic("dispatcher: Shutdown called on a nil *Actor; create actors with NewActor")
	}
	if ctx == nil {
		panic("dispatcher: Shutdown called with nil ctx; pass context.Background() or the caller's context")
	}
	_ = a.mailbox.Close() // an error only says it is closed or failed already
	if a.onLoop() {
		if err := ctx.Err(); err != nil {
			a.dropping.Store(true)
			return err
		}
		return nil
	}
	select {
	case <-a.done:
		return nil
	default:
	}
	select {
	case <-a.done:
		return nil
	case <-ctx.Done():
	}
	a.dropping.Store(true)
	<-a.done
	return ctx.Err()
}

// errAskGoexit is the result of an Ask whose function called
// runtime.Goexit, which also ends the actor.
var errAskGoexit = fmt.Errorf("dispatcher: Ask's function: %w", scope.ErrGoexit)

// Ask runs f(logic) on the actor's goroutine, like [Actor.Tell], and returns
// what f returns. An error from f goes back to the caller; the actor keeps
// running. If f panics, Ask returns the panic as a [*scope.PanicError] and
// the actor's scope fails with it; if f calls [runtime.Goexit], Ask returns
// an error matching [scope.ErrGoexit], and the actor's scope fails too.
//
// Ask returns ctx.Err() if ctx ends before f's result arrives, whether f is
// still waiting in the mailbox (it will then not run) or running (its result
// is then dropped); [ErrClosed] if the actor stops first; and, with a bounded
// mailbox that is full, [ErrFull] under the [Reject] policy, while under the
// [Block] policy it waits for room as long as ctx allows.
//
// An actor runs one function at a time, so one of its own functions that
// Asks it would wait for itself forever: Ask panics at once instead, and the
// panic fails the actor's scope. Ask also panics if ctx, a or f is nil.
func Ask[T, R any](ctx context.Context, a *Actor[T], f func(logic T) (R, error)) (R, error) {
	if ctx == nil {
		panic("dispatcher: Ask called with nil ctx; pass context.Background() or the caller's context")
	}
	if a == nil {
		panic("dispatcher: Ask called with nil a; create actors with NewActor")
	}
	if f == nil {
		panic("dispatcher: Ask called with nil f")
	}
	if a.onLoop() {
		panic("dispatcher: Ask called from a function running on the same actor, which would wait for itself forever " +
			"(an actor runs one function at a time); call the code on logic directly, or use Tell")
	}
	var zero R
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type reply struct {
		v   R
		err error
	}
	replies := make(chan reply, 1)
	var state atomic.Uint32 // askWaiting, askStarted or askAbandoned
	msg := func(logic T) {
		if !state.CompareAndSwap(askWaiting, askStarted) {
			return // the caller gave up before f started
		}
		var r reply
		p := catch.Call(func() { r.v, r.err = f(logic) }, func() {
			replies <- reply{err: errAskGoexit}
		})
		a.busy.Store(false) // before the reply: the caller may Ask again at once
		if p != nil {
			pe, ok := p.Value.(*scope.PanicError)
			if !ok {
				pe = &scope.PanicError{Value: p.Value, Stack: p.Stack, Scope: a.scope.String()}
			}
			replies <- reply{err: pe}
			panic(pe) // and fail the actor's scope, which keeps pe as it is
		}
		replies <- r
	}
	if err := a.send(ctx, msg); err != nil {
		return zero, err
	}
	select {
	case r := <-replies:
		return r.v, r.err
	case <-ctx.Done():
		state.CompareAndSwap(askWaiting, askAbandoned)
		return zero, ctx.Err()
	case <-a.done:
		select {
		case r := <-replies: // f ran (or panicked) just before the actor stopped
			return r.v, r.err
		default:
			return zero, ErrClosed
		}
	}
}

const (
	askWaiting uint32 = iota
	askStarted
	askAbandoned
)
