package fork

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/corral-go/corral/scope"
)

// Hedge calls f and returns its first success, hedging against a slow call:
// if no call has succeeded delay after the last one started, it starts
// another, in parallel, up to n calls in all. A call that fails starts the
// next one at once, without waiting for the delay. The first call to succeed
// wins: the others' contexts are cancelled, and Hedge waits for them to
// return before it returns.
//
// This is the "hedged request" of The Tail at Scale (Dean and Barroso): with
// delay near the 95th percentile of f's latency, a few percent more calls cut
// the slowest tail. f must be safe to call more than once at a time (an
// idempotent read, say).
//
// If every call fails, Hedge returns their errors joined with [errors.Join],
// in the order they failed, as [Race] does. Once ctx is done no further call
// starts, and Hedge returns when the calls running have returned. A panic in
// a call is raised again by Hedge as a [*scope.PanicError] once every call
// has returned.
//
// Hedge panics if ctx or f is nil, if n < 1, or if delay is negative.
func Hedge[T any](ctx context.Context, delay time.Duration, n int, f func(ctx context.Context) (T, error)) (T, error) {
	mustCtx("Hedge", ctx)
	switch {
	case f == nil:
		panic("fork: Hedge called with nil f")
	case n < 1:
		panic(fmt.Sprintf("fork: Hedge called with n = %d; n counts every call, the first included, so it must be at least 1", n))
	case delay < 0:
		panic(fmt.Sprintf("fork: Hedge called with negative delay %v", delay))
	}
	type result struct {
		v   T
		err error
	}
	var (
		winner T
		winErr error
	)
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		// Every call sends exactly one result, even if it panics, so the
		// body can count them.
		results := make(chan result, n)
		call := func(ctx context.Context) error {
			r := result{err: errHedgePanicked}
			defer func() { results <- r }()
			r.v, r.err = f(ctx)
			return nil
		}
		timer := time.NewTimer(delay)
		defer timer.Stop()
		started, ended := 0, 0
		var errs []error
		start := func() {
			started++
			// Daemon forks: when the body returns, the scope cancels
			// the calls still running and waits for them.
			s.GoDaemon(call)
			timer.Reset(delay)
		}
		start()
		for {
			var next <-chan time.Time
			if started < n && s.Context().Err() == nil {
				next = timer.C
			}
			select {
			case <-next:
				start()
			case r := <-results:
				ended++
				if r.err == nil {
					winner = r.v
					return nil
				}
				if r.err != errHedgePanicked { // the scope has the panic
					errs = append(errs, r.err)
				}
				if started < n && s.Context().Err() == nil {
					start()
				} else if ended == started {
					winErr = errors.Join(errs...)
					return nil
				}
			}
		}
	}, hedgeScope)
	if err != nil { // only a panic fails the scope, and that re-panics
		var zero T
		return zero, err
	}
	return winner, winErr
}

var (
	hedgeScope = scope.WithName("fork.Hedge")
	// errHedgePanicked stands for the result of a call that panicked; the
	// scope reports the panic itself.
	errHedgePanicked = errors.New("fork: Hedge: call panicked")
)
