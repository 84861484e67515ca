// Package retry retries operations that fail and repeats operations that
// succeed, on schedules that are [github.com/cenkalti/backoff/v4] BackOffs.
//
// [Do] calls an operation until it succeeds or the loop gives up; [Value]
// does the same for an operation that returns a value:
//
//	err := retry.Do(ctx, func(ctx context.Context) error {
//		return client.Ping(ctx)
//	})
//
// With no options, Do makes at most 3 attempts and waits an exponentially
// growing, randomised delay (from 100ms, doubling, up to 10s, full jitter)
// between them. The error returned after the last attempt is an [*Error]
// that wraps the last failure and says how many attempts were made:
//
//	retry: gave up after 3 attempts: dial tcp 10.0.0.7:443: connection refused
//
// errors.Is and errors.As see through it, so callers test for the failure
// itself.
//
// # Loops
//
// Five functions run the loop, on the calling goroutine:
//
//	                          retries failures   repeats successes
//	no value                  Do                 Repeat
//	a value                   Value
//	a value and a condition   Until              RepeatUntil
//
// [Until] and [RepeatUntil] take the condition a value must meet as an
// argument, so the compiler checks it against the op's value type. [Until]
// polls through failures ("until the job is done, whatever the network does
// in between"); [RepeatUntil] polls on a schedule and stops at the first
// failure.
//
// # Options
//
// Options fit the loop to the operation. The one from Ox's documentation,
// "retry 3 times with exponential backoff from 100ms capped at 5 minutes,
// equal jitter, unless the error is fatal", reads:
//
//	err := retry.Do(ctx, op,
//		retry.WithBackOff(retry.Exponential(100*time.Millisecond, 2, 5*time.Minute).
//			WithJitter(retry.EqualJitter)),
//		retry.MaxAttempts(4), // the first attempt and 3 retries
//		retry.If(func(err error) bool { return !errors.Is(err, errFatal) }),
//	)
//
// [MaxAttempts] counts every attempt, the first included. [If] decides which
// errors are worth another attempt; an operation can also mark one error as
// final by returning [Permanent](err) (or backoff.Permanent(err): they are
// the same). [AttemptTimeout] gives every attempt its own deadline,
// [InitialDelay] waits before the first one, and [AfterAttempt] reports each
// attempt, its error and the coming delay to a hook, for logs and metrics.
//
// Two rules keep the options predictable. A setting the loop has a default
// for is an option, and a setting it cannot do without is an argument: Do
// has a default schedule, so its schedule is the option [WithBackOff];
// Repeat has none, so its schedule is an argument. And an option that hands
// the loop an object it consults on every attempt is named With and the
// object ([WithBackOff], [WithBudget]); an option that sets a number, a
// duration, a condition, a hook or a mode is named for that setting
// ([MaxAttempts], [AttemptTimeout], [If], [AfterAttempt], [StartToStart]).
//
// Options that only make sense when failures are retried are [Option]s;
// options of every loop are [LoopOption]s, which [Repeat] accepts as
// [RepeatOption]s too. The compiler rejects If or WithBackOff given to
// Repeat.
//
// Options hold no per-call state (each call works on its own copy of a
// [*Schedule]), so a policy can be a package-level []retry.Option shared by
// every call.
//
// # Schedules
//
// [WithBackOff] takes any [backoff.BackOff]. This package adds a [*Schedule]
// for each of the usual shapes, every one a backoff.BackOff that also works
// with backoff.Retry:
//
//	Immediate()                   0, 0, 0, ...
//	Fixed(1s)                     1s, 1s, 1s, ...
//	Exponential(100ms, 2, 1s)     100ms, 200ms, 400ms, 800ms, 1s, 1s, ...
//	Fibonacci(100ms, 1s)          100ms, 100ms, 200ms, 300ms, 500ms, 800ms, 1s, ...
//	Decorrelated(100ms, 1s)       random in [100ms, 3 × the previous delay], capped at 1s
//
// [Schedule.WithJitter] randomises the delays ([FullJitter], [EqualJitter]),
// so that callers who failed together do not retry together.
// [Schedule.WithMaxTotalDelay] and [Schedule.WithMaxElapsed] stop a schedule
// when the sum of its delays, or the time since the loop started, would pass
// a limit. The guide docs/retry.md tabulates the delays of every schedule.
//
// # Cancellation
//
// Every wait honours ctx: cancelling ctx ends even an hour's wait at once,
// and Do returns ctx.Err(). An attempt during which ctx ended is never
// retried. The loop runs on the caller's goroutine and starts no other, so
// when Do returns, nothing it started is still running.
//
// # Retry budgets
//
// Retries multiply the load on a dependency that is already failing. A
// [TokenBucket] shared by all callers of that dependency, passed with
// [WithBudget], turns retries off when most calls fail: every retry costs
// tokens, every success earns some back, and a retry the bucket cannot pay
// for is not made (adaptive retry).
//
// # Rate limits
//
// [WithRateLimit] makes every attempt wait for a token of a
// golang.org/x/time/rate Limiter first. A limiter shared by every caller of
// a dependency keeps all their attempts, retries included, within its quota.
// With a circuit breaker (package breaker) and a timeout, the order is: the
// retry loop outside, then for each attempt the rate limit, the breaker, the
// timeout and the call; docs/resilience.md in the repository says why.
//
// # Repeating
//
// [Repeat] is the mirror image of Do: it runs an operation again after every
// success, on a schedule, until the schedule ends, ctx ends, or the operation
// fails. It runs heartbeats and polls; [RepeatUntil] polls until a value
// meets a condition. [StartToStart] measures delays from the start of each
// run, for a fixed rate.
//
// # Names
//
// A variable named retry would shadow the package: call a policy policy or
// retryOpts, and a count attempts.
package retry
