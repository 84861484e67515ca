package dispatcher

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/scope"
)

// A Dispatcher runs tasks, submitted from any goroutine, each in its own
// nested scope under a long-lived outer scope. It is the bridge from code
// that calls you back (a network library's handler, a message consumer, a
// timer) into structured concurrency: see the package documentation.
//
// Create one with [New]; the zero Dispatcher is not usable. A Dispatcher is
// safe for concurrent use. It lives as long as its outer scope, and closes
// when that scope's context is cancelled; [Dispatcher.Shutdown] closes it
// earlier, gracefully.
//
// Every Dispatcher is also a lane: a queue of its own into the runners it
// shares with the lanes made from it by [Dispatcher.NewLane]. Lanes matter
// only when tasks wait (see [WithLimit] and [WithRateLimit]): waiting tasks
// then start lane by lane in turn.
//
// Tasks run on runners, daemon forks of the outer scope that go from task to
// task, each task in a fresh nested scope; between tasks, a few of them
// (4 × GOMAXPROCS) wait for the next one until the dispatcher closes. No
// task ever waits for another task's body to end, and reusing goroutines
// makes [Dispatcher.RunAsync] cost about as much as a go statement,
// although each task gets a scope of its own.
type Dispatcher struct {
	c *core // shared by every lane of the dispatcher

	// The lane's list, guarded by c.mu: its waiting tasks, oldest first;
	// first the accepted ones (the mailbox), then those of blocked
	// submitters, from blocked on.
	head, tail *Task
	waiting    int         // accepted tasks in the list
	blocked    *Task       // the first task of a blocked submitter, or nil
	inRing     bool        // in c's ring of lanes that may have waiting tasks
	ringNext   *Dispatcher // the next lane in the ring
}

// Lane is the former type of a lane, which is a *Dispatcher now (see
// [Dispatcher.NewLane]).
//
// Deprecated: use *Dispatcher; Lane goes away in v0.2.0.
type Lane = Dispatcher

// core is what the lanes of a dispatcher share.
type core struct {
	outer *scope.Scope
	cfg   config
	gated bool // tasks may wait in mailboxes: WithLimit or WithRateLimit

	// ctx is the parent of every task's context: the outer scope's, also
	// cancelled, with cause ErrShutdown, when a Shutdown stops waiting or
	// has seen every task end. Once it is done no task starts.
	ctx    context.Context
	cancel context.CancelCauseFunc

	// The lifecycle (see shutdown.go). live counts the accepted tasks that
	// have not ended, plus the submitters that are still submitting;
	// drained is closed once the dispatcher is closing and live is 0.
	closing   atomic.Bool
	live      atomic.Int64
	drained   chan struct{}
	drainOnce sync.Once

	// inside holds the goroutines that run the dispatcher's user code
	// (runners, and the forks that report dropped tasks), so that a
	// Shutdown called from there does not wait for itself.
	inside goroutines

	// Runners: see runner.go.
	idle    chan *Task   // idle runners wait here for a task
	idlers  atomic.Int32 // runners waiting on idle
	maxIdle int32

	// Tasks' scopes derive their contexts from shards: children of ctx,
	// chosen at random. Deriving a context locks its parent to register
	// the child; with one parent, hundreds of runners starting tasks at
	// once queue on that one mutex.
	shards       []context.Context
	cancelShards []context.CancelCauseFunc

	// Tasks started but waiting for a runner, oldest first.
	pmu                  sync.Mutex
	pending, pendingTail *Task
	onWay                bool // a new runner has been started, not yet arrived

	// Guarded by mu: closed and forced (see shutdown.go), and, when gated,
	// running slots, the pacer (see rate.go) and the lanes' mailboxes.
	mu       sync.Mutex
	closed   bool        // no more admissions: closing, under mu
	forced   bool        // waiting tasks were dropped; no more start
	running  int         // tasks holding a running slot (WithLimit)
	pacing   bool        // a runner paces the starts (WithRateLimit)
	ring     *Dispatcher // lanes that may have waiting tasks, in turn order
	ringTail *Dispatcher
}

// taskKey marks the contexts of a dispatcher's tasks: its value is a
// *taskMark.
type taskKey struct{}

// A taskMark names the dispatcher whose task a context belongs to, and the
// mark of the context the dispatcher was created in, if any: a dispatcher
// created in a task of another one.
type taskMark struct {
	c     *core
	outer *taskMark
}

// New returns a Dispatcher whose tasks run under outer. It starts a daemon
// fork in outer (see [scope.Scope.GoDaemon]), as are the task runners; they
// never keep outer open.
//
// When outer's context is cancelled, because its body and awaited forks are
// done or because it failed, the Dispatcher closes at once: it drops the
// tasks that have not started (they are reported [ErrClosed]), and outer's
// cancellation reaches the running ones, which outer awaits. Later
// submissions return ErrClosed. To finish the accepted tasks first, call
// [Dispatcher.Shutdown] before outer's body returns.
//
// New panics if outer is nil or has ended, or if [WithMailbox] is given
// without [WithLimit] or [WithRateLimit].
func New(outer *scope.Scope, opts ...Option) *Dispatcher {
	if outer == nil {
		panic("dispatcher: New called with nil outer; pass the long-lived scope the tasks should run under")
	}
	cfg := newConfig("New", opts)
	if cfg.bounded && cfg.limit == 0 && cfg.rate == nil {
		panic("dispatcher: New called with WithMailbox but without WithLimit or WithRateLimit: " +
			"without them every task starts at once and no mailbox fills; add WithLimit(n)")
	}
	procs := runtime.GOMAXPROCS(0)
	c := &core{
		outer:   outer,
		cfg:     cfg,
		gated:   cfg.limit != 0 || cfg.rate != nil,
		drained: make(chan struct{}),
		idle:    make(chan *Task),
		maxIdle: int32(4 * procs),
		shards:  make([]context.Context, min(8*procs, 64)),
	}
	c.ctx, c.cancel = context.WithCancelCause(outer.Context())
	outerMark, _ := c.ctx.Value(taskKey{}).(*taskMark)
	marked := context.WithValue(c.ctx, taskKey{}, &taskMark{c, outerMark})
	c.cancelShards = make([]context.CancelCauseFunc, len(c.shards))
	for i := range c.shards {
		c.shards[i], c.cancelShards[i] = context.WithCancelCause(marked)
	}
	if p := catch.Call(func() { outer.GoDaemonNamed("dispatcher", c.watch) }, nil); p != nil {
		c.cancel(ErrClosed)
		panic(fmt.Sprintf("dispatcher: New called with a scope that has ended (%v); "+
			"create the dispatcher while its outer scope runs, e.g. in the scope's body", p.Value))
	}
	return &Dispatcher{c: c}
}

// NewLane returns a new lane into d: a Dispatcher that shares d's runners,
// limits and lifetime, and whose tasks wait in a queue of their own. Give
// each independent source of work (a connection, a tenant, a subscription)
// its own lane, and a source that floods the dispatcher delays only its own
// tasks.
//
// Lanes matter only when tasks wait, that is with [WithLimit] or
// [WithRateLimit]. Waiting tasks then start lane by lane in turn
// (round-robin), first-in first-out within a lane; a bounded mailbox
// ([WithMailbox]) bounds each lane separately. A lane holds nothing while it
// has no waiting task, so there is nothing to close: drop it when its caller
// goes away. [Dispatcher.Shutdown] on any lane shuts the whole dispatcher
// down.
func (d *Dispatcher) NewLane() *Dispatcher {
	if d == nil {
		panic("dispatcher: NewLane called on a nil *Dispatcher; create one with New")
	}
	return &Dispatcher{c: d.c}
}

// RunAsync submits task and returns without waiting for it. It is safe from
// any goroutine, including callbacks of libraries that know nothing of
// scopes.
//
// The task runs in a goroutine of the outer scope, in a nested scope of its
// own ([scope.Supervised] with a context derived from the outer scope's), so
// its forks are awaited and its daemon forks cancelled when it returns. A
// task's failure (an error; a panic, as a [*scope.PanicError]; or a call of
// [runtime.Goexit], as an error matching [scope.ErrGoexit]) is passed to
// onError, on the task's goroutine, and touches neither the outer scope nor
// the other tasks, the way net/http survives a handler's panic. If onError is
// nil, the failure fails the outer scope instead, which then ends and closes
// the Dispatcher; a panic then makes the outer [scope.Supervised] panic.
// Errors that only echo the cancellation of the tasks by the dispatcher's
// closing (such as [context.Canceled] once the outer scope's context is
// cancelled, or [ErrShutdown]) are not failures and are not reported. A task
// that was accepted but dropped before it started (see
// [Dispatcher.Shutdown]) is reported to onError (if not nil) as [ErrClosed],
// so that it can release what the task would have.
//
// RunAsync returns nil if the task was accepted, [ErrClosed] if the
// Dispatcher has closed or is shutting down, and, with a bounded mailbox
// (see [WithMailbox]) that is full, [ErrFull] under the [Reject] policy;
// under the [Block] policy it waits for room or for the Dispatcher to close.
// RunAsync panics if task is nil.
func (d *Dispatcher) RunAsync(task func(s *scope.Scope) error, onError func(err error)) error {
	if d == nil {
		panic("dispatcher: RunAsync called on a nil *Dispatcher; create one with New")
	}
	if task == nil {
		panic("dispatcher: RunAsync called with nil task")
	}
	return d.submit(&Task{body: task, onError: onError, lane: d})
}

// Submit submits task like [Dispatcher.RunAsync], and returns a handle to
// wait for its result or cancel it. The task's failure is reported only by
// the handle ([Task.Wait]); it never fails the outer scope, so a panic is
// returned by Wait as a [*scope.PanicError], with its stack. A task that was
// not accepted has a handle that is already done, and whose Wait reports
// why: [ErrClosed] or [ErrFull]. Like RunAsync, Submit waits for room in a
// full mailbox under the [Block] policy. Submit panics if task is nil.
func (d *Dispatcher) Submit(task func(s *scope.Scope) error) *Task {
	if d == nil {
		panic("dispatcher: Submit called on a nil *Dispatcher; create one with New")
	}
	if task == nil {
		panic("dispatcher: Submit called with nil task")
	}
	t := &Task{body: task, lane: d, done: make(chan struct{})}
	if err := d.submit(t); err != nil {
		t.state.Store(taskDone)
		t.complete(err)
	}
	return t
}
