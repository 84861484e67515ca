// Package dropcancel defines an analyzer that finds register functions that
// return no cancel function although they hold one.
//
// # Analyzer dropcancel
//
// dropcancel: check that register functions return the cancel func they get
//
// dispatcher.Await turns a callback API into a call that honours ctx: the
// register function starts the operation and returns a func() that cancels
// it, which Await calls if ctx ends first. source.FromCallback's register
// returns its unregister func the same way. Returning nil says that the
// operation cannot be cancelled; when the operation did hand back a way to
// cancel it, nil leaves it running after Await has given up, the same leak
// that go vet's lostcancel finds for context.WithCancel:
//
//	v, err := dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
//		lib.Request(msg, complete) // returns a func() that cancels the request
//		return nil
//	})
//
// Return it:
//
//	v, err := dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
//		return lib.Request(msg, complete)
//	})
//
// The analyzer looks at every function passed to corral whose type has a
// func() result (the register functions of dispatcher.Await and
// source.FromCallback). It reports one whose every return statement returns
// nil in that position while its own statements get a canceller from a call:
// a func() value (a context.CancelFunc included), or a value with a Cancel()
// or Stop() method (a *time.Timer from time.AfterFunc, a subscription).
// A register function that calls the canceller itself (cancel(), defer
// cancel(), t.Stop()) manages it on purpose, and is not reported. The
// suggested fix returns the canceller from the return statements it is in
// reach of.
package dropcancel
