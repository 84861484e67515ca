// Package fork starts typed computations in a [scope.Scope] and combines
// them: a [Fork] is a goroutine with a result, and [Par], [ParLimit], [Map],
// [Race] and [RaceResult] are the usual ways to run many of them.
//
//	err := scope.Supervised(ctx, func(s *scope.Scope) error {
//		user := fork.New(s, func(ctx context.Context) (User, error) { return findUser(ctx, id) })
//		orders := fork.New(s, func(ctx context.Context) ([]Order, error) { return findOrders(ctx, id) })
//		u, err := user.Join()
//		if err != nil {
//			return err
//		}
//		os, err := orders.Join()
//		...
//	})
//
// # Fork kinds
//
// The kind decides whether the scope waits for the fork and what its
// failure does:
//
//	kind            awaited   failure fails the scope   panic
//	[New]           yes       yes                       fails the scope
//	[Daemon]        no        yes, until the scope ends fails the scope
//	[Unsupervised]  yes       no: only Join reports it  Join re-panics; fails the scope if never joined
//	[Cancellable]   yes       no: only Join reports it  as Unsupervised; Cancel stops it alone
//
// A daemon fork is cancelled when its scope's body and awaited forks are
// done: use it for work that serves the scope, not for results the scope
// needs.
//
// # Combinators
//
// Each combinator runs its tasks in a scope of its own, under the context
// it is given, and returns when every task it started has returned.
// Results keep the order of the input; the first failure cancels the other
// tasks and is returned; a panic in a task is raised again by the combinator
// as a [*scope.PanicError]. [ParLimit] and [Map] start at most limit
// goroutines, however many tasks there are, and no task starts once one has
// failed.
//
// # Tail latency and thundering herds
//
// [Hedge] calls a function again when the first call is slow, and keeps the
// first success; [Shared] runs one call per key on behalf of every caller
// that asks meanwhile, and cancels it only when they have all gone. Both run
// their calls as forks, so nothing they start outlives its scope.
//
// # Results after the scope has seen them
//
// A fork's outcome is published to [Fork.Join] only after its scope has
// recorded it: a Join that returns a failure also sees the scope failed by
// it, so returning that error from the body, wrapped or not, only echoes
// the first failure. A fork whose function called [runtime.Goexit] (as
// t.FailNow does) reports [scope.ErrGoexit].
//
// A Fork costs one allocation besides its goroutine; joining it after it
// has completed costs none.
package fork
