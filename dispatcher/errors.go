package dispatcher

import (
	"context"
	"errors"
)

// ErrClosed reports that a [Dispatcher] or an [Actor] accepts no more work:
// its scope has ended (or is ending), or Shutdown was called. It is what
// submissions return from then on, and what is reported (to onError, or by a
// [Task] handle) for each accepted task that was dropped before it started.
var ErrClosed = errors.New("dispatcher: closed")

// ErrFull reports that a bounded mailbox was full and its policy is [Reject]
// (see [WithMailbox]). The task or message was not accepted.
var ErrFull = errors.New("dispatcher: mailbox full")

// ErrShutdown is the cancellation cause of a task's context when
// [Dispatcher.Shutdown] stopped waiting for it: Shutdown's own context ended
// while the task was running. Like [context.Canceled], which it matches with
// [errors.Is], a task that returns it (or returns ctx.Err()) only echoes the
// cancellation: this is not reported as the task's failure.
var ErrShutdown error = shutdownError{}

type shutdownError struct{}

func (shutdownError) Error() string { return "dispatcher: shut down before the task ended" }
func (shutdownError) Unwrap() error { return context.Canceled }
