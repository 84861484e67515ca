package dispatcher

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/corral-go/corral/scope"
)

// A Dispatcher runs tasks, submitted from any goroutine, each in its own
// nested scope under a long-lived outer scope. It is the bridge from code
// that calls you back (a network library's handler, a message consumer, a
// timer) into structured concurrency: see the package documentation.
//
// Create one with [New]; the zero Dispatcher is not usable. A Dispatcher is
// safe for concurrent use, and it lives as long as its outer scope: it
// closes when that scope's context is cancelled, and needs no Close of its
// own.
//
// Tasks run on runners, daemon forks of the outer scope that go from task to
// task, each task in a fresh nested scope; between tasks, a few of them
// (4 × GOMAXPROCS) wait for the next one until the outer scope ends. No
// task ever waits for another task's body to end, and reusing goroutines
// makes [Dispatcher.RunAsync] cost about as much as a go statement,
// although each task gets a scope of its own.
type Dispatcher struct {
	outer *scope.Scope
	cfg   config
	lane  Lane // the default lane, used by the Dispatcher's own methods

	// Closing: closeAtEnd sets closing, then waits until no submitter is
	// between its check of closing and the start of its task's fork, so
	// that no fork starts once the outer scope may have ended.
	closing    atomic.Bool
	submitting atomic.Int64
	drained    chan struct{} // a submitter left while closing

	// Runners: see runner.go.
	idle    chan *Task   // idle runners wait here for a task
	idlers  atomic.Int32 // runners waiting on idle
	maxIdle int32
	newRun  func(ctx context.Context) error // d.runPending, allocated once

	// Tasks' scopes derive their contexts from shards: children of the
	// outer scope's context, chosen at random. Deriving a context locks its
	// parent to register the child; with one parent, hundreds of runners
	// starting tasks at once queue on that one mutex.
	shards       []context.Context
	cancelShards []context.CancelCauseFunc

	// Tasks started but waiting for a runner (see runner.go), oldest first.
	pmu                  sync.Mutex
	pending, pendingTail *Task
	onWay                bool // a new runner has been started, not yet arrived

	// Closed state, and, with WithMaxRunning, running slots and the lanes'
	// mailboxes.
	mu       sync.Mutex
	closed   bool
	running  int   // tasks holding a running slot
	ring     *Lane // lanes that may have waiting tasks, in turn order
	ringTail *Lane
}

// New returns a Dispatcher whose tasks run under outer. It starts a daemon
// fork in outer (see [scope.Scope.GoDaemon]), as are the task runners; they
// never keep outer open:
// when outer's context is cancelled, because its body and awaited forks are
// done or because it failed, the Dispatcher closes. It then drops the tasks
// that have not started (their handles report [ErrClosed]), and outer's
// cancellation reaches the running ones, which outer awaits. Later
// submissions return ErrClosed.
//
// New panics if outer is nil or has ended, or if [WithMailbox] is given
// without [WithMaxRunning].
func New(outer *scope.Scope, opts ...Option) *Dispatcher {
	if outer == nil {
		panic("dispatcher: New called with nil outer")
	}
	cfg := newConfig(opts)
	if cfg.bounded && cfg.maxRunning == 0 {
		panic("dispatcher: New called with WithMailbox but without WithMaxRunning: " +
			"without a limit on running tasks every task starts at once and no mailbox fills")
	}
	procs := runtime.GOMAXPROCS(0)
	d := &Dispatcher{
		outer:   outer,
		cfg:     cfg,
		drained: make(chan struct{}, 1),
		idle:    make(chan *Task),
		maxIdle: int32(4 * procs),
		shards:  make([]context.Context, min(8*procs, 64)),
	}
	d.cancelShards = make([]context.CancelCauseFunc, len(d.shards))
	for i := range d.shards {
		d.shards[i], d.cancelShards[i] = context.WithCancelCause(outer.Context())
	}
	d.newRun = d.runPending
	d.lane.d = d
	outer.GoDaemon(d.closeAtEnd)
	return d
}

// NewLane returns a new lane into d: a queue of its own, served in turn with
// the other lanes when tasks have to wait (see [Lane]).
func (d *Dispatcher) NewLane() *Lane { return &Lane{d: d} }

// RunAsync submits task and returns without waiting for it. It is safe from
// any goroutine, including callbacks of libraries that know nothing of
// scopes.
//
// The task runs in a goroutine of the outer scope, in a nested scope of its
// own ([scope.Supervised] with a context derived from the outer scope's), so
// its forks are awaited and its daemon forks cancelled when it returns. A
// task's failure (an error, or a panic as a [*scope.PanicError]) is passed to
// onError, on the task's goroutine, and touches neither the outer scope nor
// the other tasks, the way net/http survives a handler's panic. If onError is
// nil, the failure fails the outer scope instead, which then ends and closes
// the Dispatcher; a panic then makes the outer [scope.Supervised] panic.
// Errors that only echo the outer scope's end (such as [context.Canceled]
// once its context is cancelled) are not failures and are not reported. A
// task that was accepted but dropped at close, before it started, is
// reported to onError (if not nil) as [ErrClosed], so that it can release
// what the task would have.
//
// RunAsync returns nil if the task was accepted, [ErrClosed] if the
// Dispatcher has closed, and, with a bounded mailbox (see [WithMailbox])
// that is full, [ErrFull] under the [Reject] policy; under the [Block]
// policy it waits for room or for the Dispatcher to close. RunAsync panics if
// task is nil.
func (d *Dispatcher) RunAsync(task func(s *scope.Scope) error, onError func(err error)) error {
	return d.lane.RunAsync(task, onError)
}

// RunAsyncContext is [Dispatcher.RunAsync] for a mailbox with the [Block]
// policy: while the mailbox is full it waits for room, for the Dispatcher to
// close, or for ctx to end, in which case it returns ctx.Err() and the task
// is not accepted. Once accepted, the task does not depend on ctx (its
// context derives from the outer scope's). Under other policies ctx is not
// used.
func (d *Dispatcher) RunAsyncContext(ctx context.Context, task func(s *scope.Scope) error, onError func(err error)) error {
	return d.lane.RunAsyncContext(ctx, task, onError)
}

// Submit submits task like [Dispatcher.RunAsync], and returns a handle to
// wait for its result or cancel it. The task's failure is reported only by
// the handle ([Task.Wait]); it never fails the outer scope, so a panic is
// returned by Wait as a [*scope.PanicError], with its stack. A task that was
// not accepted has a handle that is already done, and whose Wait reports
// why: [ErrClosed] or [ErrFull]. Submit panics if task is nil.
func (d *Dispatcher) Submit(task func(s *scope.Scope) error) *Task {
	return d.lane.Submit(task)
}

// SubmitContext is [Dispatcher.Submit] for a mailbox with the [Block]
// policy: while the mailbox is full it waits for room, for the Dispatcher to
// close, or for ctx to end; if ctx ends first, the task is not accepted and
// its handle reports ctx.Err(). Once accepted, the task does not depend on
// ctx.
func (d *Dispatcher) SubmitContext(ctx context.Context, task func(s *scope.Scope) error) *Task {
	return d.lane.SubmitContext(ctx, task)
}
