package breaker

import (
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/sony/gobreaker/v2"
)

// An Option configures a [Breaker] made by [New]. Options are applied in
// order; when the same option is given twice, the last one wins.
//
// Options follow the rule of package retry: an option that hands the
// breaker an object is With + the object ([WithLogger]); one that sets a
// value is named for that setting ([Name], [TrialCalls], [OpenFor], ...).
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options build.
type config struct {
	settings  gobreaker.Settings
	isFailure func(error) bool
	hook      func(Transition)
	logger    *slog.Logger
}

// Name names the breaker. The name is in the errors of the calls it rejects
// (breaker "payments": open), in every [Transition] and in log records.
func Name(name string) Option {
	return optionFunc(func(c *config) { c.settings.Name = name })
}

// TrialCalls sets how many calls a [HalfOpen] breaker lets through to test
// the dependency (default 1), and how many of them must succeed in a row to
// close it again. While n trial calls are under way, other calls fail with
// [ErrTooManyRequests]; the first trial call that fails opens the breaker
// again. TrialCalls panics if n is less than 1 or more than math.MaxUint32.
func TrialCalls(n int) Option {
	if n < 1 || n > math.MaxUint32 {
		panic(fmt.Sprintf("breaker: TrialCalls called with %d; pass a number from 1 to %d", n, math.MaxUint32))
	}
	return optionFunc(func(c *config) { c.settings.MaxRequests = uint32(n) })
}

// OpenFor sets how long an [Open] breaker rejects calls before it lets trial
// calls through (default 60s). The breaker does not keep a timer: it becomes
// [HalfOpen] at the first call, or call of State, once d has passed. OpenFor
// panics if d is not positive.
func OpenFor(d time.Duration) Option {
	if d <= 0 {
		panic(fmt.Sprintf("breaker: OpenFor called with %v; pass a positive duration", d))
	}
	return optionFunc(func(c *config) { c.settings.Timeout = d })
}

// Window makes a [Closed] breaker count only the calls of the last d, in
// buckets parts: with buckets 1 the counts are cleared every d (a fixed
// window); with more, the oldest part is dropped every d/buckets (a rolling
// window). By default the counts of a closed breaker are never cleared
// (consecutive counts still restart at every success or failure). Window
// panics if d is not positive, buckets is less than 1, or d/buckets is zero.
func Window(d time.Duration, buckets int) Option {
	if d <= 0 || buckets < 1 || d/time.Duration(buckets) == 0 {
		panic(fmt.Sprintf("breaker: Window called with %v and %d buckets; pass a positive duration and at least 1 bucket", d, buckets))
	}
	return optionFunc(func(c *config) {
		c.settings.Interval = d
		c.settings.BucketPeriod = 0
		if buckets > 1 {
			c.settings.BucketPeriod = d / time.Duration(buckets)
		}
	})
}

// TripIf sets when a [Closed] breaker opens: after each failed call, trip
// is called with the counts so far, and the breaker opens if it reports
// true. The default opens after more than 5 consecutive failures. trip is
// called while the breaker is locked: it must not call the breaker. TripIf
// panics if trip is nil.
func TripIf(trip func(c Counts) bool) Option {
	if trip == nil {
		panic("breaker: TripIf called with nil trip; pass a func(breaker.Counts) bool")
	}
	return optionFunc(func(c *config) { c.settings.ReadyToTrip = trip })
}

// FailureIf sets which errors count as failures of the dependency: a call
// whose error isFailure rejects counts as a success. By default every error
// counts, except those of calls whose context was cancelled (see
// [Breaker.Do]). A "not found" answer or a validation error says the
// dependency is working; leave such errors out. FailureIf panics if
// isFailure is nil.
func FailureIf(isFailure func(err error) bool) Option {
	if isFailure == nil {
		panic("breaker: FailureIf called with nil isFailure; pass a func(error) bool")
	}
	return optionFunc(func(c *config) { c.isFailure = isFailure })
}

// A Transition is a change of a breaker's state, as passed to an
// [OnStateChange] hook.
type Transition struct {
	Name     string // the breaker's name
	From, To State
}

// OnStateChange calls hook at every change of the breaker's state, for
// logs, metrics and alerts.
//
// The hook runs on the goroutine of a call to the breaker (Do, Value or
// State) that caused or noticed the change, after the breaker has released
// its lock, so it may call the breaker. Hooks run one at a time and in the
// order of the changes; a change caused by one goroutine may be reported by
// another that is already reporting. OnStateChange panics if hook is nil.
func OnStateChange(hook func(t Transition)) Option {
	if hook == nil {
		panic("breaker: OnStateChange called with nil hook; pass a func(breaker.Transition)")
	}
	return optionFunc(func(c *config) { c.hook = hook })
}

// WithLogger logs every change of the breaker's state to l, as an
// [OnStateChange] hook would: a record "breaker state changed" with the
// attributes breaker (the name), from and to, at level Warn when the breaker
// opens and Info otherwise. It works alongside OnStateChange. WithLogger
// panics if l is nil.
func WithLogger(l *slog.Logger) Option {
	if l == nil {
		panic("breaker: WithLogger called with nil Logger; pass one, such as slog.Default()")
	}
	return optionFunc(func(c *config) { c.logger = l })
}
