package timeout_test

import (
	"context"
	"errors"
	"time"

	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/timeout"
)

// The test helpers of package timeout, in one place.

var (
	errBoom   = errors.New("boom")
	errParent = errors.New("parent gave up")
)

const limit = time.Second // the d passed to Do and Value

// panicValue calls f and returns the value it panicked with, or nil.
func panicValue(f func()) any {
	if p := catch.Call(f, nil); p != nil {
		return p.Value
	}
	return nil
}

// isTimeout reports whether err is a timeout of Do itself.
func isTimeout(err error) bool {
	return errors.Is(err, timeout.ErrTimeout) && errors.Is(err, context.DeadlineExceeded)
}
