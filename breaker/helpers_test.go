package breaker_test

import (
	"context"
	"errors"
	"sync"

	"github.com/corral-go/corral/breaker"
	"github.com/corral-go/corral/internal/catch"
)

// The test helpers of package breaker, in one place.

var errDown = errors.New("dependency down")

func fail(context.Context) error    { return errDown }
func succeed(context.Context) error { return nil }

// afterFailures opens a breaker after n consecutive failures.
func afterFailures(n uint32) breaker.Option {
	return breaker.TripIf(func(c breaker.Counts) bool { return c.ConsecutiveFailures >= n })
}

// recorder collects the transitions a breaker reports.
type recorder struct {
	mu sync.Mutex
	ts []breaker.Transition
}

func (r *recorder) hook(t breaker.Transition) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ts = append(r.ts, t)
}

func (r *recorder) got() []breaker.Transition {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]breaker.Transition(nil), r.ts...)
}

// tr builds the transition a hook should see.
func tr(from, to breaker.State) breaker.Transition {
	return breaker.Transition{Name: "dep", From: from, To: to}
}

// panicValue calls f and returns what it panicked with, or nil.
func panicValue(f func()) any {
	if p := catch.Call(f, nil); p != nil {
		return p.Value
	}
	return nil
}
