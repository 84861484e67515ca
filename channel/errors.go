package channel

import (
	"errors"
	"fmt"
)

// ErrClosed reports that a channel is done: [Chan.Close] was called, so no
// more values can be sent, and (for a receive) every buffered value has been
// received. It is also what [Chan.Close] and [Chan.Fail] return when the
// channel was already closed.
var ErrClosed = errors.New("channel: closed")

// ErrFailed matches every error a failed channel reports. After
// [Chan.Fail](cause), Send, Receive and the other operations return an error
// e for which both errors.Is(e, ErrFailed) and errors.Is(e, cause) hold, and
// whose message is "channel: failed: " followed by the cause's message.
var ErrFailed = errors.New("channel: failed")

// failure builds the error a channel failed with cause reports.
func failure(cause error) error {
	return fmt.Errorf("%w: %w", ErrFailed, cause)
}

// panicNilCtx is the panic of a function called with a nil ctx.
func panicNilCtx(fn string) {
	panic("channel: " + fn + " called with nil ctx; pass context.Background() or the caller's context")
}
