// Package lostresult defines an analyzer that finds failures of forks and
// dispatcher tasks that nobody can see.
//
// # Analyzer lostresult
//
// lostresult: check for dropped fork and task results that alone report a
// failure
//
// Most of corral's failures cannot be lost: a fork started with Scope.Go or
// fork.New fails its scope. Three kinds of work report their failure only to
// a handle, and the failure is lost if the handle's result is dropped:
//
//   - an unsupervised fork (fork.Unsupervised) and a cancellable fork
//     (fork.Cancellable) report their error only by Join;
//   - a task submitted with Dispatcher.Submit (or Lane.Submit,
//     SubmitContext) reports its error only by Task.Wait.
//
// So the analyzer reports a call whose results are all dropped (an
// expression statement, a go or defer statement) of
//
//   - Join on an unsupervised or cancellable fork;
//   - Task.Wait;
//   - fork.Unsupervised or fork.Cancellable (the fork can never be joined,
//     nor, for a cancellable one, cancelled);
//   - Submit or SubmitContext (the task can never be waited for).
//
// Join on a fork started with fork.New or fork.Daemon, as a statement, is
// not reported: it only waits, since the fork's failure fails the scope
// anyway (a daemon's error after the scope's normal end is a reply to the
// cancellation, discarded by design). Assigning a result to _ says on
// purpose that it is ignored, and is not reported either. Errors that
// every Go linter checks (a dropped error from RunAsync, say) are left to
// errcheck.
package lostresult
