package retry

import (
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// An Option configures one call of [Do], [Value], [Repeat] or [RepeatValue].
// Options are applied in order; when the same option is given twice, the
// last one wins.
//
// Options hold no per-call state, so a slice of them can be built once and
// shared by any number of concurrent calls (see [WithBackOff] for the one
// caveat).
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options build. It is private so that it can change
// without breaking anybody.
type config struct {
	backoff        backoff.BackOff // nil: defaultSchedule (and defaultAttempts)
	maxAttempts    int             // 0: no limit of its own
	retryable      func(error) bool
	until          any // a func(T) bool, checked against T by Value and RepeatValue
	after          func(Attempt)
	attemptTimeout time.Duration
	initialDelay   time.Duration
	startToStart   bool
	bucket         *TokenBucket
}

// Defaults used by Do and Value when no [WithBackOff] is given.
const defaultAttempts = 3

var defaultSchedule = Exponential(100*time.Millisecond, 2, 10*time.Second).WithJitter(FullJitter)

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		if o == nil {
			panic("retry: nil Option")
		}
		o.apply(c)
	}
	return c
}

// WithBackOff sets the schedule: after each failed attempt the loop waits
// b.NextBackOff(), and stops retrying when it returns [backoff.Stop]. Any
// [backoff.BackOff] works, from this package ([Exponential], [Fixed], ...)
// or from the cenkalti/backoff ecosystem.
//
// Without WithBackOff, [Do] and [Value] use an exponential schedule from
// 100ms, doubling up to 10s, with [FullJitter], and make at most 3 attempts
// unless [MaxAttempts] says otherwise. A schedule given with WithBackOff is
// used as it is: it retries until it stops, [MaxAttempts] is reached, or ctx
// ends, so a schedule with no limit of its own retries until ctx ends.
//
// A backoff.BackOff has state (the next delay depends on the previous ones)
// and is reset at the start of every call. A [*Schedule] from this package is
// never modified: each call works on a private copy, so one can be shared by
// concurrent calls. A BackOff from elsewhere is used as it is, so give each
// call its own.
//
// WithBackOff is an option of Do and Value; [Repeat] takes its schedule as
// an argument. WithBackOff panics if b is nil.
func WithBackOff(b backoff.BackOff) Option {
	if b == nil {
		panic("retry: WithBackOff called with nil BackOff")
	}
	return optionFunc(func(c *config) { c.backoff = b })
}

// MaxAttempts limits the number of attempts to n, counting the first one:
// MaxAttempts(1) never retries, MaxAttempts(4) retries at most 3 times. In
// [Repeat] it limits the number of runs.
//
// The limit works together with the schedule's own: the loop stops at
// whichever comes first. MaxAttempts panics if n is less than 1.
func MaxAttempts(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("retry: MaxAttempts(%d): n must be at least 1", n))
	}
	return optionFunc(func(c *config) { c.maxAttempts = n })
}

// If sets which errors are worth retrying: after an attempt fails with err,
// the loop retries only if retryable(err) reports true, and otherwise stops
// at once. Without If every error is retried, except [Permanent] ones.
//
// retryable is not asked about errors that have already decided the outcome:
// [Permanent] errors and errors returned after ctx ended always stop the
// loop. Nor is it asked about values rejected by [Until], which are always
// retried.
//
// If is an option of Do and Value; Repeat stops at the first error. If
// panics if retryable is nil.
func If(retryable func(err error) bool) Option {
	if retryable == nil {
		panic("retry: If called with nil retryable")
	}
	return optionFunc(func(c *config) { c.retryable = retryable })
}

// Until sets which values count as success. In [Value], an attempt that
// returns a nil error and a value v for which ok(v) is false counts as a
// failure ([ErrConditionNotMet]) and is retried. In [RepeatValue], the first
// run whose value satisfies ok ends the repetition.
//
// T must be the type of the value that Value or RepeatValue returns; Value
// and RepeatValue panic if it is not, and [Do] and [Repeat], which have no
// value, panic if given Until. Until panics if ok is nil.
func Until[T any](ok func(v T) bool) Option {
	if ok == nil {
		panic("retry: Until called with nil ok")
	}
	return optionFunc(func(c *config) { c.until = ok })
}

// An Attempt describes one finished attempt (or, in [Repeat], one run), as
// passed to an [AfterAttempt] hook.
type Attempt struct {
	// Number counts attempts from 1.
	Number int
	// Err is the attempt's error: nil if it succeeded, and
	// [ErrConditionNotMet] if it returned a value that [Until] rejected.
	Err error
	// Delay is the wait before the next attempt, or [backoff.Stop] if there
	// will be none.
	Delay time.Duration
}

// Last reports whether no attempt follows this one, so that a hook can log
// "retrying in ..." only when a retry comes.
func (a Attempt) Last() bool { return a.Delay == backoff.Stop }

// AfterAttempt calls hook after every attempt (every run, in [Repeat]),
// including the last, for logging and metrics. The hook runs on the calling
// goroutine before the wait that follows the attempt, so it should return
// quickly. AfterAttempt panics if hook is nil.
func AfterAttempt(hook func(a Attempt)) Option {
	if hook == nil {
		panic("retry: AfterAttempt called with nil hook")
	}
	return optionFunc(func(c *config) { c.after = hook })
}

// AttemptTimeout gives each attempt its own time limit d, with
// [timeout.Value]: the attempt's context ends d after the attempt starts,
// and an attempt that outlives it fails with an error matching
// [timeout.ErrTimeout]. Such a failure is retried like any other (unless [If]
// says otherwise); only the end of the caller's ctx stops the loop.
// AttemptTimeout panics if d is not positive.
func AttemptTimeout(d time.Duration) Option {
	if d <= 0 {
		panic(fmt.Sprintf("retry: AttemptTimeout(%v): d must be positive", d))
	}
	return optionFunc(func(c *config) { c.attemptTimeout = d })
}

// InitialDelay waits d before the first attempt (or run). The wait ends
// early, with ctx.Err(), if ctx ends. InitialDelay panics if d is negative.
func InitialDelay(d time.Duration) Option {
	if d < 0 {
		panic(fmt.Sprintf("retry: InitialDelay(%v): d must not be negative", d))
	}
	return optionFunc(func(c *config) { c.initialDelay = d })
}

// StartToStart measures each delay from the start of the previous attempt
// instead of from its end. With a 1s schedule and attempts that take 300ms,
// attempts start every second rather than every 1.3s, which is what a
// heartbeat or a poll at a fixed rate wants. An attempt that takes longer
// than the delay is followed by the next one at once; missed starts are not
// made up for.
func StartToStart() Option {
	return optionFunc(func(c *config) { c.startToStart = true })
}

// Adaptive makes retries draw on a shared [TokenBucket]: every retry takes
// tokens from b and every success puts some back, so when a dependency fails
// for many callers at once the bucket empties and the callers stop retrying
// (each still makes its first attempt). A loop stopped this way returns an
// [*Error] with Throttled set. Adaptive is an option of Do and Value. It
// panics if b is nil.
func Adaptive(b *TokenBucket) Option {
	if b == nil {
		panic("retry: Adaptive called with nil TokenBucket")
	}
	return optionFunc(func(c *config) { c.bucket = b })
}
