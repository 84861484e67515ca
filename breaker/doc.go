// Package breaker is a circuit breaker on [github.com/sony/gobreaker/v2],
// made to work with contexts and with corral's retry and timeout.
//
// A [Breaker] stands in front of one dependency. While calls succeed it lets
// them through; when they fail too often it opens and fails calls at once,
// without calling, so that a dependency that is down is not buried under
// requests and callers do not wait for answers that will not come. After a
// while it lets a few trial calls through, and closes if they succeed:
//
//	payments := breaker.New(breaker.Name("payments"), breaker.OpenFor(30*time.Second))
//
//	err := payments.Do(ctx, func(ctx context.Context) error {
//		return charge(ctx, order)
//	})
//	if errors.Is(err, breaker.ErrOpen) {
//		// payments is down; we did not even try
//	}
//
// gobreaker does the counting and the state machine. This package adds:
//
//   - contexts: a call whose ctx is already done is not made and not
//     counted, and a call whose ctx was cancelled while it ran is not counted
//     either, while one whose deadline passed counts as a failure
//     ([Breaker.Do] says why);
//   - errors that errors.Is tells apart: [ErrOpen] and [ErrTooManyRequests],
//     both matching [ErrRejected] and gobreaker's own sentinels;
//   - state changes reported to a hook ([OnStateChange]) or a
//     [*slog.Logger] ([WithLogger]) outside the breaker's lock;
//   - [Value], a generic call, so that one breaker serves calls of any
//     result type (gobreaker's CircuitBreaker[T] is tied to one).
//
// # With retry and timeout
//
// Put the breaker inside the retry loop, around each attempt, and the
// timeout inside the breaker:
//
//	err := retry.Do(ctx, func(ctx context.Context) error {
//		return payments.Do(ctx, func(ctx context.Context) error {
//			return timeout.Do(ctx, 300*time.Millisecond, charge)
//		})
//	}, retry.If(breaker.Retryable))
//
// Each attempt is then one call for the breaker, so it sees failures as
// they happen and opens after the attempts of all callers together, not
// after whole retry loops; the attempt's timeout is a failure it counts; and
// when it opens, [Retryable] makes retry.If stop the loop at once, instead
// of spending the remaining attempts on rejections. docs/resilience.md in
// the repository explains the whole order: limit, then retry, then breaker,
// then timeout, then the call.
//
// # Time
//
// gobreaker reads time.Now and keeps no timers, so a breaker works in a
// testing/synctest bubble with fake time, and starts no goroutine.
package breaker
