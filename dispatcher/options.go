package dispatcher

import "fmt"

// An Option configures a [Dispatcher] (see [New]) or an [Actor] (see
// [NewActor]). Options are created by the With functions of this package; the
// set is sealed so that it can grow without breaking callers. A Dispatcher's
// or an Actor's configuration is fixed when it is created.
type Option interface {
	apply(*config)
}

type config struct {
	mailbox    int    // capacity of a mailbox; unbounded if !bounded
	bounded    bool   // WithMailbox was given
	policy     Policy // what a submission to a full mailbox does
	maxRunning int    // 0: no limit
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o == nil {
			panic("dispatcher: nil Option")
		}
		o.apply(&c)
	}
	return c
}

// A Policy says what a submission to a full mailbox does: wait for room
// ([Block]) or fail at once with [ErrFull] ([Reject]). See [WithMailbox].
type Policy uint8

const (
	// Block makes a submission to a full mailbox wait until there is room,
	// the dispatcher or actor closes (the submission then returns
	// [ErrClosed]), or the context of a ...Context variant ends (it then
	// returns the context's error). The variants without a context, such as
	// [Dispatcher.RunAsync] and [Actor.Tell], wait without a time limit:
	// avoid them in a callback that must not block, such as a network
	// library's event loop.
	Block Policy = iota + 1
	// Reject makes a submission to a full mailbox fail at once with
	// [ErrFull]. It never blocks, so it suits callbacks that must return
	// promptly; the caller decides what to do with the rejected work.
	Reject
)

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
// messages) that have been accepted but have not started yet. Without it the
// mailbox is unbounded, and submissions never wait and never fail with
// [ErrFull]. When the mailbox holds n entries, the next submission follows
// policy: [Block] waits for room, [Reject] returns [ErrFull].
//
// n may be 0: nothing waits in the mailbox, so a task is accepted only when
// it can start at once (with Reject, a try-start; with Block, a hand-off that
// waits for a running slot).
//
// A Dispatcher's tasks start at once unless [WithMaxRunning] limits them, so
// New panics if WithMailbox is given without WithMaxRunning: there would be
// no mailbox to bound. For a Dispatcher with [Lane]s, the bound applies to
// each lane separately, so that one flooding caller cannot fill the room the
// others need (see the package documentation on fairness).
//
// WithMailbox panics if n is negative or policy is not Block or Reject.
func WithMailbox(n int, policy Policy) Option {
	if n < 0 {
		panic(fmt.Sprintf("dispatcher: WithMailbox called with negative n (%d)", n))
	}
	if policy != Block && policy != Reject {
		panic(fmt.Sprintf("dispatcher: WithMailbox called with unknown policy %v", policy))
	}
	return optionFunc(func(c *config) {
		c.mailbox, c.bounded, c.policy = n, true, policy
	})
}

// WithMaxRunning limits a [Dispatcher] to n tasks running at once. A task
// submitted while n are running waits in the mailbox (see [WithMailbox]) and
// starts when one of them ends, in the fair order described in the package
// documentation. Without it, every accepted task starts at once.
//
// WithMaxRunning panics if n < 1; [NewActor] panics if given it, since an
// actor runs one function at a time.
func WithMaxRunning(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("dispatcher: WithMaxRunning called with n < 1 (%d)", n))
	}
	return optionFunc(func(c *config) { c.maxRunning = n })
}
