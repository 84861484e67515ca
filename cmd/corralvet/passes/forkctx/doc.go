// Package forkctx defines an analyzer that finds forks that block without
// ever reading their context.
//
// # Analyzer forkctx
//
// forkctx: check for fork functions that never read their ctx but block
//
// corral cannot stop a goroutine: when a scope fails or ends it cancels the
// context its forks received, and then waits for them. A fork that never
// looks at its ctx, yet blocks (sleeps, waits for a channel, a WaitGroup, a
// select), keeps waiting after the cancellation, and so keeps its scope, and
// the caller of Supervised, from ending. The stuck-fork report
// (scope.WithStuckReport) finds such forks at run time; this analyzer finds
// the plain cases at build time:
//
//	s.Go(func(context.Context) error {
//		for {
//			time.Sleep(time.Minute) // the scope's end waits up to a minute
//			refresh()
//		}
//	})
//
// Let the wait end with the context:
//
//	s.Go(func(ctx context.Context) error {
//		for {
//			if err := timeout.Sleep(ctx, time.Minute); err != nil {
//				return err
//			}
//			refresh()
//		}
//	})
//
// The analyzer looks at every function corral runs with a context: forks,
// combinator tasks, stream stages, retry and timeout operations, a
// scope.Job's Run method. It reports one that never refers to its context (a
// blank or unnamed parameter, or one it never uses), nor to any other context
// variable or field, nor calls Context() on a scope, and that blocks in its
// own statements: time.Sleep, a channel receive, a send on an unbuffered
// channel, a select without a default case, a range over a channel,
// sync.WaitGroup.Wait, sync.Cond.Wait, or a corral call that takes a
// context (it is then given one made on the spot, such as
// context.Background(), which the scope does not cancel).
//
// What the analyzer leaves alone, to avoid false reports:
//   - a function that reads its context anywhere, even if some of its waits
//     ignore it: the analyzer cannot tell which waits are short;
//   - a function that reads another context variable or field: the analyzer
//     cannot tell whether that context ends with the scope (a context derived
//     from the scope's and kept in a struct does; the context given to
//     Supervised does not when a sibling fails or a daemon's scope ends);
//   - a send on a channel made with a buffer (make(chan T, n)), the usual
//     way to collect one result per fork;
//   - a time.Sleep of a constant duration under 100ms outside any loop of
//     the function, the usual stand-in for work in examples: it delays the
//     scope's end by no more than that (in a loop it may repeat without end);
//   - code in function literals that the function defines, which may run at
//     another time;
//   - scope bodies and dispatcher tasks (functions that receive a
//     *scope.Scope): a body runs on its caller's goroutine and commonly waits
//     for a signal from its own forks, which the scope would wait for anyway.
package forkctx
