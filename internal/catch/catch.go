// Package catch is corral's one place that calls recover: it runs a function
// and reports how it ended. Every package that must survive a panic or a
// runtime.Goexit in user code (a fork, a release, a task, a stream stage)
// goes through [Call], so that panics are captured the same way everywhere:
// with their value and the stack of the goroutine that panicked.
package catch

import "runtime/debug"

// A Panic is a recovered panic: the value passed to panic and the stack of
// the panicking goroutine, taken in the deferred call that recovered it, so
// that it still shows the frames that panicked.
type Panic struct {
	Value any
	Stack []byte
}

// Call calls f and reports how it ended.
//
// It returns nil if f returned, and the panic if f panicked.
//
// If f called runtime.Goexit (as testing's t.FailNow does), nothing can keep
// the goroutine from exiting, so Call does not return: it calls goexit, if
// not nil, from its deferred function, and the goroutine goes on exiting when
// goexit returns. goexit is where a caller records the outcome and finishes
// its bookkeeping (a fork marks itself ended, a release list runs the rest);
// it may block, and it may call Call again.
//
// The call to f does not make f escape, so a closure passed to Call can stay
// on the caller's stack.
func Call(f func(), goexit func()) (p *Panic) {
	returned := false
	defer func() {
		if returned {
			return
		}
		// Since Go 1.21 panic(nil) panics with a *runtime.PanicNilError,
		// so a nil recover means runtime.Goexit.
		if v := recover(); v != nil {
			p = &Panic{Value: v, Stack: debug.Stack()}
			return
		}
		if goexit != nil {
			goexit()
		}
	}()
	f()
	returned = true
	return nil
}
