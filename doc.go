// Package corral is a structured-concurrency toolkit for Go. This package
// holds no code: it is the map of the toolkit, whose packages are below.
//
// # The one idea
//
// Every goroutine that corral starts belongs to a scope, and a scope does not
// return until all of its goroutines have returned. A goroutine cannot
// outlive the block of code that started it, so a function that uses corral
// leaves nothing running behind it, and a failure or a panic in any
// goroutine reaches the caller instead of being lost:
//
//	err := scope.Supervised(ctx, func(s *scope.Scope) error {
//		s.Go(func(ctx context.Context) error { return fetchUser(ctx, id) })
//		s.Go(func(ctx context.Context) error { return fetchOrders(ctx, id) })
//		return nil
//	}) // both fetches have returned here; if one failed, the other was cancelled
//
// Cancellation is Go's own: each scope owns a [context.Context], cancelled
// with a cause ([context.Cause]) when the scope fails or ends. Go cannot stop
// a goroutine from the outside, so code running in a scope must honour its
// ctx; corral waits for it, and helps find the goroutine that does not stop.
//
// # Packages
//
// [github.com/corral-go/corral/scope] is the foundation: scope.Supervised
// and scope.Run open a scope; scope.Scope.Go starts a fork that the scope
// awaits, scope.Scope.GoDaemon one that the scope cancels when it is done
// with it, and scope.Scope.Defer registers a release that runs after every
// fork has returned. The first failure cancels the others; a panic is raised
// again on the caller's goroutine as a *scope.PanicError with its stack.
//
// [github.com/corral-go/corral/fork] adds typed forks whose results are
// collected with Join (fork.New, fork.Daemon, fork.Unsupervised,
// fork.Cancellable), and combinators that open a scope of their own:
// fork.Par, fork.ParLimit and fork.Map run tasks side by side and keep
// the results in order; fork.Race returns the first success and
// fork.RaceResult the first result, cancelling the rest.
//
// [github.com/corral-go/corral/timeout] bounds how long an operation may run:
// timeout.Do and timeout.Value report timeout.ErrTimeout for their own
// deadline and the caller's error for the caller's cancellation, so the two
// can be told apart. timeout.Sleep is a time.Sleep that ctx can end.
//
// [github.com/corral-go/corral/retry] retries operations that fail
// (retry.Do, retry.Value) and repeats ones that succeed (retry.Repeat),
// on github.com/cenkalti/backoff/v4 schedules: fixed, exponential,
// Fibonacci, decorrelated, with jitter and limits.
//
// [github.com/corral-go/corral/channel] has channel.Chan, a channel that is
// either closed (done: buffered values are still received) or failed (with an
// error every sender and receiver sees), with context-aware Send and Receive
// and a channel.Select over its clauses.
//
// [github.com/corral-go/corral/source] builds lazy stream pipelines: a
// source.Source describes the stream, and nothing runs until a terminal
// Run call, which starts whatever goroutines the pipeline needs in a scope
// that ends before it returns.
//
// [github.com/corral-go/corral/dispatcher] bridges callbacks into structured
// code: a long-lived scope that runs tasks submitted from any goroutine, each
// in a scope of its own, and actors with Tell and Ask.
//
// [github.com/corral-go/corral/app] runs a program's main function in a
// root scope: the first SIGINT or SIGTERM cancels it, a grace period bounds
// the shutdown, and the way the scope ends becomes the exit code.
//
// # Where to start
//
// Run the tour from the repository root, which shows each package in a few
// lines:
//
//	go run ./examples/tour
//
// The guides in the repository's docs folder explain the semantics in detail:
// docs/scopes.md for scopes and forks, docs/glossary.md for the vocabulary,
// and docs/decisions for why corral works the way it does.
package corral
