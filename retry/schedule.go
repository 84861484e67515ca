package retry

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// A Schedule is a sequence of delays between attempts: [Immediate], [Fixed],
// [Exponential], [Fibonacci] or [Decorrelated], optionally randomised with a
// [Jitter] and limited in total delay or elapsed time. Pass it to
// [WithBackOff] or [Repeat].
//
// A Schedule implements [backoff.BackOff], so it also works with
// [backoff.Retry], [backoff.NewTicker] and the rest of that ecosystem. Like
// every BackOff it has state: NextBackOff advances it and Reset rewinds it,
// and neither is safe for concurrent use. Its configuration, though, never
// changes: the With methods return a new Schedule, and [Do], [Value] and
// [Repeat] work on a private copy, so one Schedule can be shared by any number
// of concurrent calls.
//
// Create Schedules with the functions above; the zero Schedule is not
// usable.
type Schedule struct {
	sp *spec // never modified after construction

	cur, next time.Duration // the state of the kind's sequence
	total     time.Duration // sum of the delays returned, when limited
	start     time.Time     // when the schedule was reset, when limited
	stopped   bool
}

type kind uint8

const (
	kindFixed kind = iota
	kindExponential
	kindFibonacci
	kindDecorrelated
)

// spec is a Schedule's configuration.
type spec struct {
	kind       kind
	initial    time.Duration
	factor     float64
	max        time.Duration
	jitter     Jitter
	maxTotal   time.Duration  // 0: no limit
	maxElapsed time.Duration  // 0: no limit
	rnd        func() float64 // nil: math/rand/v2; replaced by tests
}

func newSchedule(sp *spec) *Schedule {
	s := &Schedule{sp: sp}
	s.Reset()
	return s
}

// Immediate returns a schedule with no delay at all: every retry follows the
// failure at once. Combine it with [MaxAttempts] or a limit.
func Immediate() *Schedule {
	return newSchedule(&spec{kind: kindFixed})
}

// Fixed returns a schedule that waits d before every retry. Fixed panics if
// d is negative.
func Fixed(d time.Duration) *Schedule {
	if d < 0 {
		panic(fmt.Sprintf("retry: Fixed called with %v; pass zero or more", d))
	}
	return newSchedule(&spec{kind: kindFixed, initial: d})
}

// Exponential returns a schedule whose delays start at initial and grow by
// factor after each retry, up to max: the nth delay is
// min(initial * factor^(n-1), max). Exponential(100*time.Millisecond, 2,
// time.Second) waits 100ms, 200ms, 400ms, 800ms, 1s, 1s, ...
//
// Exponential panics if initial is not positive, if factor is less than 1,
// or if max is less than initial.
func Exponential(initial time.Duration, factor float64, max time.Duration) *Schedule {
	checkGrowth("Exponential", initial, max)
	if !(factor >= 1) {
		panic(fmt.Sprintf("retry: Exponential called with factor %v; pass 1 or more", factor))
	}
	return newSchedule(&spec{kind: kindExponential, initial: initial, factor: factor, max: max})
}

// Fibonacci returns a schedule whose delays follow the Fibonacci sequence in
// units of initial, up to max: initial, initial, 2*initial, 3*initial,
// 5*initial, 8*initial, ... It grows more gently than doubling. Fibonacci
// panics if initial is not positive or max is less than initial.
func Fibonacci(initial, max time.Duration) *Schedule {
	checkGrowth("Fibonacci", initial, max)
	return newSchedule(&spec{kind: kindFibonacci, initial: initial, max: max})
}

// Decorrelated returns the "decorrelated jitter" schedule of the AWS
// Architecture Blog: each delay is uniformly random between base and three
// times the previous delay (base, for the first), capped at max:
//
//	delay = min(max, uniform(base, 3*previous))
//
// It is randomised by construction; adding a [Jitter] with WithJitter
// randomises each delay again, which is rarely what you want. Decorrelated
// panics if base is not positive or max is less than base.
func Decorrelated(base, max time.Duration) *Schedule {
	checkGrowth("Decorrelated", base, max)
	return newSchedule(&spec{kind: kindDecorrelated, initial: base, max: max})
}

func checkGrowth(name string, initial, max time.Duration) {
	if initial <= 0 {
		panic(fmt.Sprintf("retry: %s called with initial delay %v; pass a positive duration", name, initial))
	}
	if max < initial {
		panic(fmt.Sprintf("retry: %s called with max %v below the initial delay %v; pass a max of at least the initial delay", name, max, initial))
	}
}

// with returns a new Schedule whose spec is a copy of s's, changed by f.
func (s *Schedule) with(f func(sp *spec)) *Schedule {
	sp := *s.sp
	f(&sp)
	return newSchedule(&sp)
}

// WithJitter returns a new Schedule like s (at its first delay) whose delays
// are randomised with j. It panics if j is not one of the Jitter constants.
func (s *Schedule) WithJitter(j Jitter) *Schedule {
	if !j.valid() {
		panic(fmt.Sprintf("retry: WithJitter called with %v; pass NoJitter, FullJitter or EqualJitter", j))
	}
	return s.with(func(sp *spec) { sp.jitter = j })
}

// WithMaxTotalDelay returns a new Schedule like s that stops (returns [backoff.Stop])
// instead of returning a delay that would bring the sum of its delays above
// d. Time spent in attempts does not count; see WithMaxElapsed for that.
// WithMaxTotalDelay panics if d is not positive.
func (s *Schedule) WithMaxTotalDelay(d time.Duration) *Schedule {
	if d <= 0 {
		panic(fmt.Sprintf("retry: WithMaxTotalDelay called with %v; pass a positive duration", d))
	}
	return s.with(func(sp *spec) { sp.maxTotal = d })
}

// WithMaxElapsed returns a new Schedule like s that stops (returns [backoff.Stop])
// instead of returning a delay that would end more than d after the schedule
// was last reset, that is, after the loop started. Time spent in attempts
// counts, as with [backoff.ExponentialBackOff]'s MaxElapsedTime; an attempt
// already running is never cut short (use ctx or [AttemptTimeout] for that).
// WithMaxElapsed panics if d is not positive.
func (s *Schedule) WithMaxElapsed(d time.Duration) *Schedule {
	if d <= 0 {
		panic(fmt.Sprintf("retry: WithMaxElapsed called with %v; pass a positive duration", d))
	}
	return s.with(func(sp *spec) { sp.maxElapsed = d })
}

// Reset rewinds s to its first delay and restarts its elapsed-time limit.
func (s *Schedule) Reset() {
	s.cur, s.next, s.total, s.stopped = s.sp.initial, s.sp.initial, 0, false
	if s.sp.maxElapsed > 0 {
		s.start = time.Now()
	}
}

// NextBackOff returns the next delay, or [backoff.Stop] once a limit is
// reached; after Stop it keeps returning Stop until Reset.
func (s *Schedule) NextBackOff() time.Duration {
	if s.stopped {
		return backoff.Stop
	}
	sp := s.sp
	d := s.advance()
	if sp.jitter != NoJitter {
		d = sp.jitter.apply(d, sp.rand())
	}
	if (sp.maxTotal > 0 && d > sp.maxTotal-s.total) ||
		(sp.maxElapsed > 0 && d > sp.maxElapsed-time.Since(s.start)) {
		s.stopped = true
		return backoff.Stop
	}
	if sp.maxTotal > 0 {
		s.total += d
	}
	return d
}

// advance returns the kind's next delay, before jitter and limits.
func (s *Schedule) advance() time.Duration {
	sp := s.sp
	switch sp.kind {
	case kindExponential:
		d := s.cur
		if float64(s.cur) >= float64(sp.max)/sp.factor {
			s.cur = sp.max
		} else {
			s.cur = time.Duration(float64(s.cur) * sp.factor)
		}
		return d
	case kindFibonacci:
		d := s.cur
		if s.next > sp.max-s.cur {
			s.cur, s.next = s.next, sp.max
		} else {
			s.cur, s.next = s.next, s.cur+s.next
		}
		return d
	case kindDecorrelated:
		lo, hi := float64(sp.initial), 3*float64(s.cur)
		if f := lo + sp.rand()*(hi-lo); f < float64(sp.max) {
			s.cur = time.Duration(f)
		} else {
			s.cur = sp.max
		}
		return s.cur
	}
	return sp.initial
}

func (sp *spec) rand() float64 {
	if sp.rnd != nil {
		return sp.rnd()
	}
	return rand.Float64()
}

// String describes the schedule, such as
// "exponential 100ms x2 up to 5m0s, equal jitter".
func (s *Schedule) String() string {
	sp := s.sp
	var b strings.Builder
	switch {
	case sp.kind == kindFixed && sp.initial == 0:
		b.WriteString("immediate")
	case sp.kind == kindFixed:
		fmt.Fprintf(&b, "fixed %v", sp.initial)
	case sp.kind == kindExponential:
		fmt.Fprintf(&b, "exponential %v x%v up to %v", sp.initial, sp.factor, sp.max)
	case sp.kind == kindFibonacci:
		fmt.Fprintf(&b, "fibonacci %v up to %v", sp.initial, sp.max)
	case sp.kind == kindDecorrelated:
		fmt.Fprintf(&b, "decorrelated jitter %v up to %v", sp.initial, sp.max)
	}
	if sp.jitter != NoJitter {
		fmt.Fprintf(&b, ", %v", sp.jitter)
	}
	if sp.maxTotal > 0 {
		fmt.Fprintf(&b, ", at most %v of delays", sp.maxTotal)
	}
	if sp.maxElapsed > 0 {
		fmt.Fprintf(&b, ", at most %v elapsed", sp.maxElapsed)
	}
	return b.String()
}
