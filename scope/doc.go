// Package scope gives goroutines an owner. A scope is a block of code,
// run by [Supervised] or [Run], that starts goroutines (forks) and does not
// return until every one of them has returned: no goroutine outlives the
// scope that started it.
//
//	err := scope.Supervised(ctx, func(s *scope.Scope) error {
//		s.Go(func(ctx context.Context) error { return fetchUser(ctx, id) })
//		s.Go(func(ctx context.Context) error { return fetchOrders(ctx, id) })
//		return nil
//	})
//
// # Lifetime
//
// The body runs on the calling goroutine. When it returns, the scope ends in
// four steps:
//
//  1. It waits for the forks started with [Scope.Go]: like everything named Go
//     in Go (errgroup, conc, sync.WaitGroup.Go), forks are awaited.
//  2. It cancels its context with cause [ErrScopeEnded], so that daemon forks,
//     started with [Scope.GoDaemon], stop.
//  3. It waits for the daemon forks, discarding what they return now.
//  4. It runs the releases registered with [Scope.Defer], last first.
//
// # Failure
//
// The first failure, an error returned by the body or a fork or a panic in
// any of them, cancels the scope's context with that failure as the cause
// ([context.Cause]), so that the other forks can stop early. The scope still
// waits for all of them, then returns the first failure, with later failures
// attached. Nothing is swallowed: a panic is raised again by [Supervised] on
// the caller's goroutine, as a [*PanicError] that keeps the original value and
// stack, once every fork has returned.
//
// # Cancellation is cooperative
//
// Go cannot stop a goroutine from the outside. A fork receives the scope's
// context and must return soon after it is cancelled; one that does not keeps
// its scope, and the caller, waiting.
//
// # Limits
//
// [WithLimit] lets at most n awaited forks of a scope run at once: [Scope.Go]
// waits for a free slot, [Scope.TryGo] starts a fork only if one is free.
//
// # Building forks of your own
//
// [Scope.Start] runs a [Job]: a fork's work and what to do with its outcome,
// which the scope hands over only after it has recorded it. Package fork's
// typed forks and the dispatcher's runners are Jobs.
//
// # Nesting
//
// Scopes nest: a fork, or a body, may run a scope of its own with the
// context it was given. The inner scope's failure is an ordinary error for
// the code that ran it; the outer scope's cancellation reaches the inner one
// through the context.
//
// Typed forks with results, and combinators such as Par and Race, are in
// package [github.com/corral-go/corral/fork].
package scope
