package channel_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/corral-go/corral/channel"
)

// The test helpers of this package, in one place.

var errBoom = errors.New("boom")

// capacities are the kinds of channel every behaviour is checked on.
var capacities = []struct {
	name     string
	capacity int
}{
	{"rendezvous", 0},
	{"buffered1", 1},
	{"buffered3", 3},
	{"unlimited", channel.Unlimited},
}

// mustPanic calls f and fails the test unless it panics with the message
// want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want %q", want)
		}
		if got := fmt.Sprint(r); got != want {
			t.Fatalf("panic %q, want %q", got, want)
		}
	}()
	f()
}

// checkFailure fails the test unless err, what `what` returned, is the
// failure of a channel failed with cause.
func checkFailure(t *testing.T, what string, err, cause error) {
	t.Helper()
	if !errors.Is(err, channel.ErrFailed) || !errors.Is(err, cause) {
		t.Fatalf("%s = %v, want an error matching ErrFailed and %v", what, err, cause)
	}
	if errors.Is(err, channel.ErrClosed) {
		t.Fatalf("%s = %v matches ErrClosed", what, err)
	}
}
