// Package goescape defines an analyzer that finds go statements in scope
// bodies and fork functions.
//
// # Analyzer goescape
//
// goescape: check for go statements that escape a scope
//
// Every goroutine corral starts belongs to a scope: the scope cancels it when
// it fails or ends, and does not return until it has returned. A plain go
// statement in a scope's body or in a fork starts a goroutine that belongs to
// nothing: the scope neither waits for it nor cancels it, its panic crashes
// the process, and it may still run after Supervised has returned.
//
//	scope.Supervised(ctx, func(s *scope.Scope) error {
//		go refresh(cache) // nobody waits for it or stops it
//		...
//	})
//
// Start it in the scope instead:
//
//	s.Go(func(ctx context.Context) error {
//		refresh(cache)
//		return nil
//	})
//
// The analyzer looks at the functions corral runs: scope bodies (the
// functions given to scope.Supervised, scope.Run, dispatcher tasks) and fork
// functions (those given to Scope.Go and its variants, fork.New and the other
// fork kinds, fork.Par and the other combinators, stream stages, retry and
// timeout operations, a scope.Job's Run method): any function passed to
// corral that receives a *scope.Scope or a context.Context first. It does not
// look into other functions, nor into function literals that a body or a
// fork defines but does not pass to corral.
//
// A goroutine that the same function waits for does not escape, and is not
// reported: one that calls Done on a sync.WaitGroup whose Wait the function
// calls after the go statement, or that sends on (or closes) a channel the
// function then receives from outside a select's cases. A receive that is a
// select case, next to ctx.Done(), does not wait for the goroutine when the
// context ends first, and does not count.
//
// When a *scope.Scope is in reach, the suggested fix starts the goroutine
// with its Go method instead.
package goescape
