package retry_test

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/retry"
)

// The test helpers of package retry, in one place.

const (
	ms   = time.Millisecond
	stop = backoff.Stop
)

var (
	errTemporary = errors.New("temporary failure")
	errFatal     = errors.New("fatal error")
)

// flaky returns an op that fails with errTemporary the first n times it is
// called, then succeeds, and a pointer to its call count.
func flaky(n int) (func(context.Context) error, *int) {
	calls := 0
	return func(context.Context) error {
		calls++
		if calls <= n {
			return errTemporary
		}
		return nil
	}, &calls
}

// failing is an op that always fails with errTemporary.
func failing(context.Context) error { return errTemporary }

// succeed is an op that always succeeds.
func succeed(context.Context) error { return nil }

// counter returns an op whose nth call returns n.
func counter() func(context.Context) (int, error) {
	n := 0
	return func(context.Context) (int, error) { n++; return n, nil }
}

// attemptsOf returns the Attempts of the *retry.Error in err, or 0.
func attemptsOf(err error) int {
	var re *retry.Error
	if errors.As(err, &re) {
		return re.Attempts
	}
	return 0
}

// att builds the Attempt a hook should see.
func att(n int, err error, d time.Duration) retry.Attempt {
	return retry.Attempt{Number: n, Err: err, Delay: d}
}

// delays returns the first n delays of b.
func delays(b backoff.BackOff, n int) []time.Duration {
	ds := make([]time.Duration, n)
	for i := range ds {
		ds[i] = b.NextBackOff()
	}
	return ds
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// panicValue calls f and returns what it panicked with, or nil.
func panicValue(f func()) any {
	if p := catch.Call(f, nil); p != nil {
		return p.Value
	}
	return nil
}
