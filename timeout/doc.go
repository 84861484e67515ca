// Package timeout bounds how long an operation may run, with a timeout error
// that can be told apart from every other failure.
//
// [Do] and [Value] run a function with a context whose deadline is a given
// duration away. When that deadline passes first, they return an error that
// matches [ErrTimeout]; when the caller's own context ends first, they return
// the function's own result, so a caller can always tell "my deadline" from
// "somebody else's":
//
//	err := timeout.Do(ctx, time.Second, fetch)
//	switch {
//	case errors.Is(err, timeout.ErrTimeout): // fetch took over a second
//	case errors.Is(err, context.Canceled):   // the caller gave up
//	}
//
// [ErrTimeout] also matches [context.DeadlineExceeded], so code written against
// the standard library keeps working. The error of a timeout keeps the
// function's own error as well, so that the caller learns what timed out:
// errors.As finds the *url.Error of an HTTP request, and the message names
// the limit first:
//
//	timeout after 300ms: Get "http://users.internal/42": context deadline exceeded
//
// # Names
//
// A variable named timeout would shadow the package; call durations d,
// limit or callTimeout instead:
//
//	func fetch(ctx context.Context, limit time.Duration) error {
//		return timeout.Do(ctx, limit, get)
//	}
//
// # Cooperative cancellation
//
// Go cannot stop a goroutine from the outside. The function passed to Do must
// watch its context (pass it to I/O calls, check ctx.Done in loops); Do waits
// for it to return however late that is, so no goroutine is left behind.
//
// [Sleep] is a context-aware time.Sleep.
package timeout
