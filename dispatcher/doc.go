// Package dispatcher brings work that arrives through callbacks into
// structured concurrency: a [Dispatcher] runs tasks, submitted from any
// goroutine, in nested scopes under one long-lived scope; an [Actor] owns a
// value and runs the functions sent to it one at a time; [Await] turns a
// one-shot callback into a blocking call that honours a context.
//
// # The callback/structure mismatch
//
// A scope ([scope.Supervised]) is a block of code: it starts forks, and it
// does not return until they have. That fits code that owns its control
// flow, such as a request handler that fans out and joins. It does not fit
// code that is called back: a network library calls OnMessage on one of its
// goroutines, whenever it likes, as often as it likes, and expects it to
// return promptly. There is no block around those calls to hold a scope, and
// the callback cannot run a scope itself without blocking the library until
// the work is done.
//
// # Two scopes
//
// The answer, from the OxDispatcher of the Scala library [Ox] (described in
// the article "Integrating callbacks with structured concurrency in Scala"),
// is two scopes:
//
//   - An outer, long-lived scope around the whole service: created where the
//     server starts, it ends when the server stops. A Dispatcher is created
//     in it with [New], and its tasks run as its forks, so none outlives it.
//   - A nested scope per task: each task submitted with
//     [Dispatcher.RunAsync] or [Dispatcher.Submit] runs in a
//     [scope.Supervised] of its own, whose context derives from the outer
//     scope's. The task's forks live and die with the task, and its failure
//     stays with the task.
//
// A callback then only submits:
//
//	err := scope.Supervised(ctx, func(s *scope.Scope) error {
//		d := dispatcher.New(s)
//		lib.OnMessage(func(m Message) { // called on the library's goroutines
//			_ = d.RunAsync(func(s *scope.Scope) error {
//				return handle(s, m) // may fork: s is the task's own scope
//			}, func(err error) { log.Print(err) })
//		})
//		return lib.Serve(s.Context())
//	})
//
// # Shutting down
//
// The dispatcher runs as daemon forks of the outer scope: it never keeps
// the scope open, and the scope's end closes it at once. Tasks that have not
// started then never start (they are reported [ErrClosed]), running tasks
// see the outer context cancelled and are awaited, and later submissions
// return ErrClosed.
//
// To lose no accepted work, call [Dispatcher.Shutdown] first, before the
// outer scope's context is cancelled, as one calls net/http's
// Server.Shutdown: it refuses new submissions, lets every accepted task,
// waiting or running, run to its end, and returns nil; if its context ends
// first, it drops the tasks still waiting (reporting each ErrClosed, once),
// cancels the running ones (their context's cause is [ErrShutdown]), waits
// for them and returns the context's error. A task that calls Shutdown does
// not wait for itself: it starts the shutdown and returns at once.
//
// A server that stops on a signal therefore keeps the signal's context out
// of the outer scope, and turns it into a Shutdown with a grace period:
//
//	// ctx ends at SIGTERM; the outer scope outlives it by the grace period.
//	err := scope.Supervised(context.WithoutCancel(ctx), func(s *scope.Scope) error {
//		d := dispatcher.New(s)
//		lib.OnMessage(func(m Message) { _ = d.RunAsync(handler(m), logError) })
//		serveErr := lib.Serve(ctx) // stops taking messages when ctx ends
//		grace, cancel := context.WithTimeout(context.Background(), 10*time.Second)
//		defer cancel()
//		return errors.Join(serveErr, d.Shutdown(grace)) // finish what was accepted
//	})
//
// # Failures
//
// A failing task (an error, a panic, or a call of [runtime.Goexit], as
// testing's t.FailNow makes) does not touch the outer scope or the other
// tasks: its error goes to the onError function given to RunAsync, or to the
// [Task] handle that Submit returns. A panic arrives there as a
// [*scope.PanicError] with its stack, the way net/http keeps serving after a
// handler panics, and a Goexit as an error matching [scope.ErrGoexit]. With a
// nil onError, RunAsync's task fails the outer scope instead, as a fork
// would; an onError that itself panics fails the outer scope with that panic.
//
// # Mailbox and fairness
//
// By default every accepted task starts at once, and submissions never wait
// and never fail except with ErrClosed. [WithLimit] limits how many tasks
// run at once, and [WithRateLimit] paces their starts with a
// golang.org/x/time/rate limiter; the tasks that must wait do so in a
// mailbox, which [WithMailbox] bounds, with a [Policy] for a full one:
// [Block] the submitter (until there is room, or the dispatcher closes) or
// [Reject] with [ErrFull].
//
// Waiting tasks start fairly across lanes: give each caller (a connection,
// a tenant) its own lane with [Dispatcher.NewLane], which returns a
// Dispatcher with a queue of its own. When a running slot (or a token) frees,
// it goes to the oldest waiting task of the next lane in round-robin order,
// so if L lanes have tasks waiting, each starts one within every L
// consecutive starts, however many tasks any one lane has queued. A bounded
// mailbox bounds each lane separately, so a flood fills only its own lane.
// Within a lane tasks start first-in first-out: a flood submitted earlier
// delays later tasks but cannot jump ahead of them.
//
// # Cancellable tasks
//
// [Dispatcher.Submit] returns a [Task]: [Task.Cancel] cancels that task
// alone, even before it has started (it then never starts), [Task.Wait]
// returns its result, and [Task.Done] is a channel for select.
//
// # Actors
//
// An [Actor] is the other shape of the same bridge: a value owned by one
// goroutine of a scope. [Actor.Tell] sends it a function to run and returns
// at once; [Ask] waits for a result. Functions run one at a time, in order,
// so the value needs no lock. When the actor's scope ends normally, the
// actor runs every function it accepted before it stops; when the scope
// fails or is cancelled from outside, the functions still waiting are
// dropped. [Actor.Shutdown] stops it earlier, gracefully. A panic in a
// function fails the actor's scope. A function cannot Ask its own actor,
// which would wait for itself forever: Ask panics at once instead.
//
// # Await
//
// [Await] goes the other way: it turns a callback API that reports one
// result (start an operation, get called back once) into a call that blocks
// until the result arrives or the context ends, and that cancels the
// operation in the latter case. Completing twice, completing after the
// caller gave up, and completing synchronously inside the registration are
// all safe.
//
// [Ox]: https://github.com/softwaremill/ox
package dispatcher
