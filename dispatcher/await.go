package dispatcher

import (
	"context"
	"sync/atomic"
)

// Await turns a one-shot callback API into a blocking call that honours ctx,
// like Kotlin's suspendCancellableCoroutine. It calls register with a
// function complete, which the callback API must call once with the result;
// Await waits for that call and returns its arguments.
//
// register starts the operation and returns a function that cancels it, or
// nil if it cannot be cancelled. If ctx ends before complete is called,
// Await calls cancel (on its own goroutine) and returns ctx.Err() at once,
// without waiting for the operation to wind down. If ctx has already ended,
// register is not called.
//
// complete is safe to call from any goroutine, at any time, any number of
// times: the first call wins and the later ones are ignored, as is a call
// that comes after Await gave up. It may be called synchronously, inside
// register, and it never blocks. Await panics if ctx or register is nil.
func Await[T any](ctx context.Context, register func(complete func(v T, err error)) (cancel func())) (T, error) {
	if ctx == nil {
		panic("dispatcher: Await called with nil ctx; pass context.Background() or the caller's context")
	}
	if register == nil {
		panic("dispatcher: Await called with nil register")
	}
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		v   T
		err error
	}
	results := make(chan result, 1)
	var settled atomic.Bool // set by the first complete, or by Await giving up
	cancel := register(func(v T, err error) {
		if settled.CompareAndSwap(false, true) {
			results <- result{v, err}
		}
	})
	select {
	case r := <-results:
		return r.v, r.err
	case <-ctx.Done():
	}
	if !settled.CompareAndSwap(false, true) {
		// complete won the race against ctx: its result is on its way.
		r := <-results
		return r.v, r.err
	}
	if cancel != nil {
		cancel()
	}
	return zero, ctx.Err()
}
