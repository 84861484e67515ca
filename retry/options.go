package retry

import (
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"
	"golang.org/x/time/rate"
)

// An Option configures one call of [Do], [Value] or [Until]. Options are
// applied in order; when the same option is given twice, the last one wins.
//
// Options hold no per-call state, so a slice of them can be built once and
// shared by any number of concurrent calls (see [WithBackOff] for the one
// caveat).
//
// Some options only make sense when the loop retries failures ([WithBackOff],
// [MaxAttempts], [If], [WithBudget]); they are plain Options, and
// [Repeat] does not accept them. Options that make sense in every loop are
// [LoopOption]s.
type Option interface {
	applyRetry(*config)
}

// A RepeatOption configures one call of [Repeat] or [RepeatUntil]. As with
// [Option], the last of two identical options wins, and options can be
// shared.
type RepeatOption interface {
	applyRepeat(*config)
}

// A LoopOption configures any loop of this package: it is both an [Option]
// and a [RepeatOption]. In [Repeat] and [RepeatUntil], an "attempt" is a
// run.
type LoopOption interface {
	Option
	RepeatOption
}

// retryOption is an Option for Do, Value and Until only.
type retryOption func(*config)

func (f retryOption) applyRetry(c *config) { f(c) }

// repeatOption is an option for Repeat and RepeatUntil only.
type repeatOption func(*config)

func (f repeatOption) applyRepeat(c *config) { f(c) }

// loopOption is an option of every loop.
type loopOption func(*config)

func (f loopOption) applyRetry(c *config)  { f(c) }
func (f loopOption) applyRepeat(c *config) { f(c) }

// config is what the options build. It is private so that it can change
// without breaking anybody.
type config struct {
	backoff        backoff.BackOff // nil: defaultSchedule (and defaultAttempts)
	maxAttempts    int             // 0: no limit of its own
	retryable      func(error) bool
	after          func(Attempt)
	attemptTimeout time.Duration
	initialDelay   time.Duration
	startToStart   bool
	budget         *TokenBucket
	limiter        *rate.Limiter
}

// Defaults used by Do, Value and Until when no [WithBackOff] is given.
const defaultAttempts = 3

var defaultSchedule = Exponential(100*time.Millisecond, 2, 10*time.Second).WithJitter(FullJitter)

func retryConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		if o == nil {
			panic("retry: nil Option; leave it out, or pass one built by this package")
		}
		o.applyRetry(c)
	}
	return c
}

func repeatConfig(opts []RepeatOption) *config {
	c := &config{}
	for _, o := range opts {
		if o == nil {
			panic("retry: nil RepeatOption; leave it out, or pass one built by this package")
		}
		o.applyRepeat(c)
	}
	return c
}

// WithBackOff sets the schedule: after each failed attempt the loop waits
// b.NextBackOff(), and stops retrying when it returns [backoff.Stop]. Any
// [backoff.BackOff] works, from this package ([Exponential], [Fixed], ...)
// or from the cenkalti/backoff ecosystem.
//
// Without WithBackOff, [Do], [Value] and [Until] use an exponential schedule
// from 100ms, doubling up to 10s, with [FullJitter], and make at most 3
// attempts unless [MaxAttempts] says otherwise. A schedule given with
// WithBackOff is used as it is: it retries until it stops, [MaxAttempts] is
// reached, or ctx ends, so a schedule with no limit of its own retries until
// ctx ends.
//
// A backoff.BackOff has state (the next delay depends on the previous ones)
// and is reset at the start of every call. A [*Schedule] from this package is
// never modified: each call works on a private copy, so one can be shared by
// concurrent calls. A BackOff from elsewhere is used as it is, so give each
// call its own.
//
// [Repeat] has no default schedule, so it takes its schedule as an argument
// and does not accept WithBackOff. WithBackOff panics if b is nil.
func WithBackOff(b backoff.BackOff) Option {
	if b == nil {
		panic("retry: WithBackOff called with nil BackOff; pass a schedule such as retry.Exponential(...)")
	}
	return retryOption(func(c *config) { c.backoff = b })
}

// MaxAttempts limits the number of attempts to n, counting the first one:
// MaxAttempts(1) never retries, MaxAttempts(4) retries at most 3 times.
//
// The limit works together with the schedule's own: the loop stops at
// whichever comes first. [Repeat] counts runs with [MaxRuns] instead.
// MaxAttempts panics if n is less than 1.
func MaxAttempts(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("retry: MaxAttempts called with %d; pass at least 1 (1 means no retry)", n))
	}
	return retryOption(func(c *config) { c.maxAttempts = n })
}

// MaxRuns limits [Repeat] and [RepeatUntil] to n runs, counting the first.
// The limit works together with the schedule's own: the repetition stops at
// whichever comes first. MaxRuns panics if n is less than 1.
func MaxRuns(n int) RepeatOption {
	if n < 1 {
		panic(fmt.Sprintf("retry: MaxRuns called with %d; pass at least 1", n))
	}
	return repeatOption(func(c *config) { c.maxAttempts = n })
}

// If sets which errors are worth retrying: after an attempt fails with err,
// the loop retries only if retryable(err) reports true, and otherwise stops
// at once. Without If every error is retried, except [Permanent] ones.
//
// retryable is not asked about errors that have already decided the outcome:
// [Permanent] errors and errors returned after ctx ended always stop the
// loop. Nor is it asked about values rejected by [Until]'s condition, which
// are always retried.
//
// [Repeat] stops at the first error, so it does not accept If. If panics if
// retryable is nil.
func If(retryable func(err error) bool) Option {
	if retryable == nil {
		panic("retry: If called with nil retryable; pass a func(error) bool, or leave If out to retry every error")
	}
	return retryOption(func(c *config) { c.retryable = retryable })
}

// An Attempt describes one finished attempt (or, in [Repeat], one run), as
// passed to an [AfterAttempt] hook.
type Attempt struct {
	// Number counts attempts from 1.
	Number int
	// Err is the attempt's error: nil if it succeeded, and
	// [ErrConditionNotMet] if it returned a value that the condition of
	// [Until] or [RepeatUntil] rejected.
	Err error
	// Delay is the wait before the next attempt, or [backoff.Stop] if there
	// will be none. It does not include a wait for a [WithRateLimit] token.
	Delay time.Duration
}

// Last reports whether no attempt follows this one, so that a hook can log
// "retrying in ..." only when a retry comes.
func (a Attempt) Last() bool { return a.Delay == backoff.Stop }

// AfterAttempt calls hook after every attempt (every run, in [Repeat]),
// including the last, for logging and metrics. The hook runs on the calling
// goroutine before the wait that follows the attempt, so it should return
// quickly. AfterAttempt panics if hook is nil.
func AfterAttempt(hook func(a Attempt)) LoopOption {
	if hook == nil {
		panic("retry: AfterAttempt called with nil hook; pass a func(retry.Attempt)")
	}
	return loopOption(func(c *config) { c.after = hook })
}

// AttemptTimeout gives each attempt its own time limit d, with
// [timeout.Value]: the attempt's context ends d after the attempt starts,
// and an attempt that outlives it fails with an error matching
// [timeout.ErrTimeout] that keeps the op's own error (see [timeout.Do]).
// Such a failure is retried like any other (unless [If] says otherwise);
// only the end of the caller's ctx stops the loop. In [Repeat], a run that
// times out fails, and ends the repetition. AttemptTimeout panics if d is
// not positive.
//
// [timeout.Value]: https://pkg.go.dev/github.com/corral-go/corral/timeout#Value
// [timeout.ErrTimeout]: https://pkg.go.dev/github.com/corral-go/corral/timeout#ErrTimeout
// [timeout.Do]: https://pkg.go.dev/github.com/corral-go/corral/timeout#Do
func AttemptTimeout(d time.Duration) LoopOption {
	if d <= 0 {
		panic(fmt.Sprintf("retry: AttemptTimeout called with %v; pass a positive duration", d))
	}
	return loopOption(func(c *config) { c.attemptTimeout = d })
}

// InitialDelay waits d before the first attempt (or run). The wait ends
// early, with ctx.Err(), if ctx ends. InitialDelay panics if d is negative.
func InitialDelay(d time.Duration) LoopOption {
	if d < 0 {
		panic(fmt.Sprintf("retry: InitialDelay called with %v; pass zero or more", d))
	}
	return loopOption(func(c *config) { c.initialDelay = d })
}

// StartToStart measures each delay from the start of the previous attempt
// instead of from its end. With a 1s schedule and attempts that take 300ms,
// attempts start every second rather than every 1.3s, which is what a
// heartbeat or a poll at a fixed rate wants. An attempt that takes longer
// than the delay is followed by the next one at once; missed starts are not
// made up for.
func StartToStart() LoopOption {
	return loopOption(func(c *config) { c.startToStart = true })
}

// WithBudget makes retries draw on a shared [TokenBucket], a retry budget:
// every retry takes tokens from b and every success puts some back, so when
// a dependency fails for many callers at once the bucket empties and the
// callers stop retrying (each still makes its first attempt). A loop stopped
// this way returns an [*Error] with Throttled set. This is "adaptive retry"
// in Ox and the AWS SDKs. WithBudget panics if b is nil.
func WithBudget(b *TokenBucket) Option {
	if b == nil {
		panic("retry: WithBudget called with nil TokenBucket; pass one from retry.NewTokenBucket")
	}
	return retryOption(func(c *config) { c.budget = b })
}

// WithRateLimit puts a rate limiter in front of every attempt (every run, in
// [Repeat]): before each attempt, the first included, the loop waits for a
// token from l. Share one limiter among every caller of a dependency to keep
// all their attempts, retries included, within its quota: with
// rate.NewLimiter(10, 1), no more than 10 attempts a second start, however
// many loops run.
//
// The wait comes after the schedule's delay, and [StartToStart] measures
// from the attempt's start, after the wait. The wait honours ctx: when ctx
// ends, the token is given back to the limiter and the loop returns
// ctx.Err(), as it does for any other wait. (rate.Limiter.Wait would fail at
// once, with an error of its own, when the token comes after ctx's deadline;
// the loop waits for the deadline instead, like its other waits.)
//
// This paces attempts; it does not count them. To stop retrying when a
// dependency fails for everybody, use [WithBudget]; to fail fast while it is
// down, a circuit breaker (package breaker).
//
// A limiter that can never grant a token panics the loop: one whose burst
// is less than 1 while its limit is finite (give it a burst of at least 1).
// A limiter whose limit is 0 and whose burst is spent blocks the attempt
// until ctx ends, since it allows no more events. WithRateLimit panics if l
// is nil.
func WithRateLimit(l *rate.Limiter) LoopOption {
	if l == nil {
		panic("retry: WithRateLimit called with nil Limiter; pass one from rate.NewLimiter")
	}
	return loopOption(func(c *config) { c.limiter = l })
}
