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
// The dispatcher runs as a daemon fork of the outer scope: it never keeps
// the scope open, and the scope's end closes it. Tasks that have not started
// then never start, running tasks see the outer context cancelled and are
// awaited, and later submissions return [ErrClosed].
//
// # Failures
//
// A failing task (an error or a panic) does not touch the outer scope or
// the other tasks: its error goes to the onError function given to RunAsync,
// or to the [Task] handle that Submit returns, and a panic arrives there as a
// [*scope.PanicError] with its stack, the way net/http keeps serving after a
// handler panics. With a nil onError, RunAsync's task fails the outer scope
// instead, as a fork would.
//
// # Mailbox and fairness
//
// By default every accepted task starts at once, and submissions never wait
// and never fail except with ErrClosed. [WithMaxRunning] limits how many
// tasks run at once; the others wait in a mailbox, which [WithMailbox]
// bounds, with a [Policy] for a full one: [Block] the submitter (the
// ...Context variants such as [Dispatcher.SubmitContext] bound the wait) or
// [Reject] with [ErrFull].
//
// Waiting tasks start fairly across [Lane]s: give each caller (a
// connection, a tenant) its own lane with [Dispatcher.NewLane]. When a
// running slot frees, it goes to the oldest waiting task of the next lane in
// round-robin order, so if L lanes have tasks waiting, each starts one within
// every L consecutive starts, however many tasks any one lane has queued. A
// bounded mailbox bounds each lane separately, so a flood fills only its own
// lane. Within a lane, and on the Dispatcher's own default lane, tasks start
// first-in first-out: a flood submitted earlier delays later tasks but cannot
// jump ahead of them.
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
// so the value needs no lock. An actor stops when its scope ends; a panic in
// it fails its scope.
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
