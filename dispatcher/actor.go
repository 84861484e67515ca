package dispatcher

import (
	"context"
	"errors"
	"runtime/debug"
	"sync/atomic"

	"github.com/corral-go/corral/channel"
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
	done    chan struct{} // closed when the actor's goroutine has returned
}

// NewActor starts an actor for logic as a daemon fork of s (see
// [scope.Scope.GoDaemon]): it never keeps s open, and the end of s (its
// context's cancellation) stops it. Functions still waiting in its mailbox
// then never run, and later sends return [ErrClosed].
//
// A panic in a function run by the actor fails s, as a panic in any fork
// does, and stops the actor. An error returned by a function passed to [Ask]
// goes back to its caller only: the actor keeps running.
//
// The mailbox is unbounded unless [WithMailbox] bounds it; it is first-in
// first-out. NewActor panics if s is nil or has ended, or if given
// [WithMaxRunning].
func NewActor[T any](s *scope.Scope, logic T, opts ...Option) *Actor[T] {
	if s == nil {
		panic("dispatcher: NewActor called with nil s")
	}
	cfg := newConfig(opts)
	if cfg.maxRunning != 0 {
		panic("dispatcher: NewActor called with WithMaxRunning: an actor runs one function at a time")
	}
	capacity := channel.Unlimited
	if cfg.bounded {
		capacity = cfg.mailbox
	}
	a := &Actor[T]{
		logic:   logic,
		mailbox: channel.New[func(T)](capacity),
		block:   cfg.bounded && cfg.policy == Block,
		done:    make(chan struct{}),
	}
	s.GoDaemon(a.loop)
	return a
}

func (a *Actor[T]) loop(ctx context.Context) error {
	defer close(a.done)
	defer a.mailbox.Fail(ErrClosed) // wakes blocked senders; drops what waits
	for {
		f, err := a.mailbox.Receive(ctx)
		if err != nil || ctx.Err() != nil {
			return nil // the scope is ending
		}
		f(a.logic)
	}
}

// Tell sends f to the actor, which runs f(logic) on its goroutine after the
// functions sent before, and returns without waiting for it. It returns nil
// if f was accepted, [ErrClosed] if the actor has stopped, and, with a
// bounded mailbox that is full, [ErrFull] under the [Reject] policy; under
// the [Block] policy Tell waits for room or for the actor to stop (use
// [Actor.TellContext] to bound the wait). Tell panics if f is nil.
func (a *Actor[T]) Tell(f func(logic T)) error {
	if f == nil {
		panic("dispatcher: Tell called with nil f")
	}
	return a.send(context.Background(), f)
}

// TellContext is [Actor.Tell] for a mailbox with the [Block] policy: while the
// mailbox is full it waits for room, for the actor to stop, or for ctx to end,
// in which case it returns ctx.Err() and f is not sent.
func (a *Actor[T]) TellContext(ctx context.Context, f func(logic T)) error {
	if f == nil {
		panic("dispatcher: TellContext called with nil f")
	}
	if ctx == nil {
		panic("dispatcher: TellContext called with nil ctx")
	}
	return a.send(ctx, f)
}

// Done returns a channel that is closed when the actor has stopped: its
// scope ended, or a function it ran panicked.
func (a *Actor[T]) Done() <-chan struct{} { return a.done }

func (a *Actor[T]) send(ctx context.Context, f func(T)) error {
	var err error
	if a.block {
		err = a.mailbox.Send(ctx, f)
	} else {
		var ok bool
		if ok, err = a.mailbox.TrySend(f); err == nil && !ok {
			return ErrFull
		}
	}
	if err != nil && errors.Is(err, ErrClosed) {
		return ErrClosed // the mailbox failed with ErrClosed: say it plainly
	}
	return err
}

// Ask runs f(logic) on the actor's goroutine, like [Actor.Tell], and returns
// what f returns. An error from f goes back to the caller; the actor keeps
// running. If f panics, Ask returns the panic as a [*scope.PanicError] and
// the actor's scope fails with it.
//
// Ask returns ctx.Err() if ctx ends before f's result arrives, whether f is
// still waiting in the mailbox (it will then not run) or running (its result
// is then dropped); [ErrClosed] if the actor stops first; and, with a bounded
// mailbox that is full, [ErrFull] under the [Reject] policy, while under the
// [Block] policy it waits for room as long as ctx allows. Ask panics if a or
// f is nil.
func Ask[T, R any](ctx context.Context, a *Actor[T], f func(logic T) (R, error)) (R, error) {
	if a == nil {
		panic("dispatcher: Ask called with nil a")
	}
	if f == nil {
		panic("dispatcher: Ask called with nil f")
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
		defer func() {
			if v := recover(); v != nil {
				pe, ok := v.(*scope.PanicError)
				if !ok {
					pe = &scope.PanicError{Value: v, Stack: debug.Stack()}
				}
				replies <- reply{err: pe}
				panic(pe) // and fail the actor's scope
			}
		}()
		v, err := f(logic)
		replies <- reply{v, err}
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
