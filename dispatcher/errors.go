package dispatcher

import "errors"

// ErrClosed reports that a [Dispatcher] or an [Actor] has closed: the scope it
// was created in has ended (or is ending), so it accepts no more work. It is
// what submissions return after that, and what the handles of tasks that were
// still waiting to start report: those tasks never start.
var ErrClosed = errors.New("dispatcher: closed")

// ErrFull reports that a bounded mailbox was full and its policy is [Reject]
// (see [WithMailbox]). The task or message was not accepted.
var ErrFull = errors.New("dispatcher: mailbox full")

// errGoexit is the result of a task whose body called runtime.Goexit (as
// t.FailNow does) instead of returning.
var errGoexit = errors.New("dispatcher: task called runtime.Goexit instead of returning")
