package dispatcher

import (
	"fmt"

	"golang.org/x/time/rate"
)

// An Option configures a [Dispatcher] (see [New]). Options are created by the
// With functions of this package; the set is sealed so that it can grow
// without breaking callers. A Dispatcher's configuration is fixed when it is
// created.
type Option interface {
	apply(*config)
}

// An ActorOption configures an [Actor] (see [NewActor]). Every ActorOption is
// also an Option, accepted by [New]; options that mean nothing to an actor,
// which runs one function at a time, such as [WithLimit], are plain Options,
// so passing one to NewActor does not compile.
type ActorOption interface {
	Option
	actorOption()
}

type config struct {
	mailbox int           // capacity of a lane's mailbox; unbounded if !bounded
	bounded bool          // WithMailbox was given
	policy  Policy        // what a submission to a full mailbox does
	limit   int           // running tasks at once; 0: no limit
	rate    *rate.Limiter // paces task starts; nil: no rate limit
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig[O Option](fn string, opts []O) config {
	var c config
	for _, o := range opts {
		if Option(o) == nil {
			panic("dispatcher: " + fn + " called with a nil option; pass options made by the With functions")
		}
		o.apply(&c)
	}
	return c
}

// A Policy says what a submission to a full mailbox does: wait for room
// ([Block], the zero value) or fail at once with [ErrFull] ([Reject]). See
// [WithMailbox].
type Policy uint8

const (
	// Block makes a submission to a full mailbox wait until there is room
	// or the dispatcher or actor closes (Shutdown, or the end of its scope),
	// when the submission returns [ErrClosed] and its task is not accepted.
	// Do not use it where a callback must not block, such as a network
	// library's event loop: use Reject there.
	Block Policy = iota
	// Reject makes a submission to a full mailbox fail at once with
	// [ErrFull]. It never blocks, so it suits callbacks that must return
	// promptly; the caller decides what to do with the rejected work.
	Reject
)

// String returns the policy's name: "Block", "Reject", or "Policy(n)" for
// any other value.
func (p Policy) String() string {
	switch p {
	case Block:
		return "Block"
	case Reject:
		return "Reject"
	}
	return fmt.Sprintf("Policy(%d)", uint8(p))
}

// WithMailbox bounds the mailbox: the tasks (or, for an [Actor], the
// functions) that have been accepted but have not started yet. Without it
// the mailbox is unbounded, and submissions never wait and never fail with
// [ErrFull]. When the mailbox holds n entries, the next submission follows
// policy: [Block] waits for room, [Reject] returns [ErrFull].
//
// n may be 0: nothing waits in the mailbox, so a task is accepted only when
// it can start at once (with Reject, a try-start; with Block, a hand-off that
// waits for a running slot).
//
// A Dispatcher's tasks start at once unless [WithLimit] or [WithRateLimit]
// holds them back, so [New] panics if WithMailbox is given without either:
// there would be no mailbox to bound. For a Dispatcher with lanes (see
// [Dispatcher.NewLane]), the bound applies to each lane separately, so that
// one flooding caller cannot fill the room the others need.
//
// WithMailbox panics if n is negative or policy is not Block or Reject.
func WithMailbox(n int, policy Policy) ActorOption {
	if n < 0 {
		panic(fmt.Sprintf("dispatcher: WithMailbox called with negative n (%d); pass 0 or more", n))
	}
	if policy != Block && policy != Reject {
		panic(fmt.Sprintf("dispatcher: WithMailbox called with unknown policy %v; pass Block or Reject", policy))
	}
	return mailboxOption{n, policy}
}

type mailboxOption struct {
	n      int
	policy Policy
}

func (o mailboxOption) apply(c *config) { c.mailbox, c.bounded, c.policy = o.n, true, o.policy }
func (mailboxOption) actorOption()      {}

// WithLimit limits a [Dispatcher] to n tasks running at once. A task
// submitted while n are running waits in the mailbox (see [WithMailbox]) and
// starts when one of them ends, in the fair order described in the package
// documentation. Without it, every accepted task starts at once.
//
// WithLimit panics if n < 1.
func WithLimit(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("dispatcher: WithLimit called with n < 1 (%d); pass 1 or more, or leave it out for no limit", n))
	}
	return optionFunc(func(c *config) { c.limit = n })
}

// WithMaxRunning is the former name of [WithLimit].
//
// Deprecated: use WithLimit, which does the same; WithMaxRunning goes away in
// v0.2.0.
func WithMaxRunning(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("dispatcher: WithMaxRunning called with n < 1 (%d); pass 1 or more, or leave it out for no limit", n))
	}
	return optionFunc(func(c *config) { c.limit = n })
}

// WithRateLimit paces the starts of a [Dispatcher]'s tasks with l: a task
// starts only once l grants it a token (one per task). Tasks waiting for a
// token wait in the mailbox, as tasks waiting for a running slot do (see
// [WithLimit]; the two combine), and start in the same fair order: one
// waiting task at a time reserves the next token, lane by lane in turn. A
// submission that finds nothing waiting and a token available starts its
// task at once.
//
// The dispatcher only calls l's methods (Allow and Wait); l may be shared
// with other users, and changing its limit or burst later takes effect for
// the next token. With a burst of 0 (and a limit other than [rate.Inf]) no
// token can ever be granted: each waiting task then fails, in turn, with the
// limiter's error. Shutdown treats tasks waiting for a token like any queued
// task: they run (at l's pace) while Shutdown waits, and are reported
// [ErrClosed] if its context ends first.
//
// WithRateLimit panics if l is nil.
func WithRateLimit(l *rate.Limiter) Option {
	if l == nil {
		panic("dispatcher: WithRateLimit called with nil limiter; pass rate.NewLimiter(r, burst)")
	}
	return optionFunc(func(c *config) { c.rate = l })
}
