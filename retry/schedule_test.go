package retry_test

import (
	"math"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/corral-go/corral/retry"
)

func TestScheduleSequences(t *testing.T) {
	tests := []struct {
		name string
		give *retry.Schedule
		want []time.Duration
	}{
		{"immediate", retry.Immediate(), []time.Duration{0, 0, 0}},
		{"fixed", retry.Fixed(time.Second), []time.Duration{time.Second, time.Second, time.Second}},
		{"fixed zero", retry.Fixed(0), []time.Duration{0, 0}},
		{"exponential x2", retry.Exponential(100*ms, 2, time.Second),
			[]time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second}},
		{"exponential x1.5", retry.Exponential(100*ms, 1.5, 400*ms),
			[]time.Duration{100 * ms, 150 * ms, 225 * ms, 337500 * time.Microsecond, 400 * ms}},
		{"exponential x1 is fixed", retry.Exponential(100*ms, 1, time.Second),
			[]time.Duration{100 * ms, 100 * ms, 100 * ms}},
		{"exponential max = initial", retry.Exponential(100*ms, 3, 100*ms),
			[]time.Duration{100 * ms, 100 * ms}},
		{"fibonacci", retry.Fibonacci(100*ms, time.Second),
			[]time.Duration{100 * ms, 100 * ms, 200 * ms, 300 * ms, 500 * ms, 800 * ms, time.Second, time.Second}},
		{"fibonacci capped early", retry.Fibonacci(time.Second, 1500*ms),
			[]time.Duration{time.Second, time.Second, 1500 * ms, 1500 * ms}},
		{"total delay limit", retry.Fixed(time.Second).WithMaxTotalDelay(2500 * ms),
			[]time.Duration{time.Second, time.Second, stop, stop}},
		{"total delay limit reached exactly", retry.Fixed(time.Second).WithMaxTotalDelay(2 * time.Second),
			[]time.Duration{time.Second, time.Second, stop}},
		{"total delay limit on exponential", retry.Exponential(100*ms, 2, time.Minute).WithMaxTotalDelay(750 * ms),
			[]time.Duration{100 * ms, 200 * ms, 400 * ms, stop}},
		{"limit shorter than the first delay", retry.Fixed(time.Second).WithMaxTotalDelay(ms),
			[]time.Duration{stop, stop}},
		{"decorrelated without randomness", retry.WithRand(retry.Decorrelated(100*ms, time.Second), func() float64 { return 0 }),
			[]time.Duration{100 * ms, 100 * ms, 100 * ms}},
		{"decorrelated halfway", retry.WithRand(retry.Decorrelated(100*ms, time.Second), func() float64 { return 0.5 }),
			// 100 + (3*prev - 100)/2, capped at 1000, from prev = 100.
			[]time.Duration{200 * ms, 350 * ms, 575 * ms, 912500 * time.Microsecond, time.Second, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := delays(tt.give, len(tt.want)); !equalDurations(got, tt.want) {
				t.Errorf("delays = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScheduleReset(t *testing.T) {
	s := retry.Exponential(time.Second, 2, time.Minute).WithMaxTotalDelay(3 * time.Second)
	want := []time.Duration{time.Second, 2 * time.Second, stop}
	if got := delays(s, 3); !equalDurations(got, want) {
		t.Fatalf("delays = %v, want %v", got, want)
	}
	s.Reset()
	if got := delays(s, 3); !equalDurations(got, want) {
		t.Errorf("after Reset, delays = %v, want %v", got, want)
	}
}

func TestScheduleWithReturnsCopies(t *testing.T) {
	base := retry.Fixed(time.Second)
	_ = base.WithMaxTotalDelay(time.Nanosecond)
	_ = base.WithJitter(retry.FullJitter)
	if got := delays(base, 2); !equalDurations(got, []time.Duration{time.Second, time.Second}) {
		t.Errorf("base schedule changed by With methods: delays = %v", got)
	}
}

func TestScheduleMaxElapsed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := retry.Fixed(time.Second).WithMaxElapsed(3500 * ms) // starts counting now
		if d := s.NextBackOff(); d != time.Second {
			t.Fatalf("at 0s: NextBackOff = %v, want 1s", d)
		}
		time.Sleep(time.Second)
		if d := s.NextBackOff(); d != time.Second {
			t.Fatalf("at 1s: NextBackOff = %v, want 1s", d)
		}
		time.Sleep(2 * time.Second) // the wait and a slow attempt
		if d := s.NextBackOff(); d != stop {
			t.Fatalf("at 3s: NextBackOff = %v, want Stop (4s > 3.5s)", d)
		}
		s.Reset()
		if d := s.NextBackOff(); d != time.Second {
			t.Fatalf("after Reset: NextBackOff = %v, want 1s", d)
		}
	})
}

func TestScheduleString(t *testing.T) {
	tests := []struct {
		give *retry.Schedule
		want string
	}{
		{retry.Immediate(), "immediate"},
		{retry.Fixed(time.Second), "fixed 1s"},
		{retry.Exponential(100*ms, 2, 5*time.Minute).WithJitter(retry.EqualJitter),
			"exponential 100ms x2 up to 5m0s, equal jitter"},
		{retry.Fibonacci(ms, time.Second).WithMaxTotalDelay(time.Minute).WithMaxElapsed(time.Hour),
			"fibonacci 1ms up to 1s, at most 1m0s of delays, at most 1h0m0s elapsed"},
		{retry.Decorrelated(ms, time.Second), "decorrelated jitter 1ms up to 1s"},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestScheduleHugeDurations(t *testing.T) {
	for _, s := range []*retry.Schedule{
		retry.Exponential(1, 10, math.MaxInt64),
		retry.Fibonacci(1, math.MaxInt64),
		retry.Decorrelated(1, math.MaxInt64),
		retry.Exponential(1, 10, math.MaxInt64).WithJitter(retry.EqualJitter),
		retry.WithRand(retry.Exponential(1, 10, math.MaxInt64).WithJitter(retry.FullJitter),
			func() float64 { return math.Nextafter(1, 0) }),
	} {
		prev := time.Duration(0)
		for i := range 2000 {
			d := s.NextBackOff()
			if d < 0 {
				t.Fatalf("%v: delay %d = %v, want >= 0", s, i, d)
			}
			prev = max(prev, d)
		}
		if prev < math.MaxInt64/2 {
			t.Errorf("%v: largest delay %v, want it to reach the cap", s, prev)
		}
	}
}

func TestScheduleInterop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A corral schedule drives cenkalti's own loop.
		calls := 0
		start := time.Now()
		err := backoff.Retry(func() error {
			calls++
			if calls < 4 {
				return errTemporary
			}
			return nil
		}, retry.Exponential(time.Second, 2, time.Minute))
		if err != nil || calls != 4 {
			t.Fatalf("backoff.Retry = %v after %d calls, want nil after 4", err, calls)
		}
		if got := time.Since(start); got != 7*time.Second {
			t.Errorf("backoff.Retry took %v, want 1s+2s+4s = 7s", got)
		}
	})
}

func TestSchedulePanics(t *testing.T) {
	tests := []struct {
		name string
		give func()
		want string
	}{
		{"fixed negative", func() { retry.Fixed(-1) }, "retry: Fixed called with -1ns; pass zero or more"},
		{"exponential zero initial", func() { retry.Exponential(0, 2, time.Second) }, "retry: Exponential called with initial delay 0s; pass a positive duration"},
		{"exponential small factor", func() { retry.Exponential(ms, 0.5, time.Second) }, "retry: Exponential called with factor 0.5; pass 1 or more"},
		{"exponential NaN factor", func() { retry.Exponential(ms, math.NaN(), time.Second) }, "retry: Exponential called with factor NaN; pass 1 or more"},
		{"exponential max below initial", func() { retry.Exponential(time.Second, 2, ms) }, "retry: Exponential called with max 1ms below the initial delay 1s; pass a max of at least the initial delay"},
		{"fibonacci negative", func() { retry.Fibonacci(-ms, time.Second) }, "retry: Fibonacci called with initial delay -1ms; pass a positive duration"},
		{"decorrelated max below base", func() { retry.Decorrelated(time.Second, ms) }, "retry: Decorrelated called with max 1ms below the initial delay 1s; pass a max of at least the initial delay"},
		{"unknown jitter", func() { retry.Fixed(ms).WithJitter(retry.Jitter(7)) }, "retry: WithJitter called with Jitter(7); pass NoJitter, FullJitter or EqualJitter"},
		{"zero total delay", func() { retry.Fixed(ms).WithMaxTotalDelay(0) }, "retry: WithMaxTotalDelay called with 0s; pass a positive duration"},
		{"negative elapsed", func() { retry.Fixed(ms).WithMaxElapsed(-time.Second) }, "retry: WithMaxElapsed called with -1s; pass a positive duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panicValue(tt.give); got != tt.want {
				t.Errorf("panic = %v, want %q", got, tt.want)
			}
		})
	}
}

// FuzzSchedule checks that no configuration yields a negative delay or one
// above the cap, whatever the random numbers.
func FuzzSchedule(f *testing.F) {
	f.Add(int64(ms), 2.0, int64(time.Second), uint8(0), uint8(1), 0.5)
	f.Add(int64(1), 1e300, int64(math.MaxInt64), uint8(1), uint8(2), 0.999)
	f.Add(int64(time.Second), 1.0, int64(time.Second), uint8(2), uint8(3), 0.0)
	f.Fuzz(func(t *testing.T, initial int64, factor float64, maxDelay int64, kind, jitter uint8, r float64) {
		if initial <= 0 || maxDelay < initial || !(factor >= 1) || !(r >= 0 && r < 1) {
			t.Skip()
		}
		var s *retry.Schedule
		switch kind % 4 {
		case 0:
			s = retry.Exponential(time.Duration(initial), factor, time.Duration(maxDelay))
		case 1:
			s = retry.Fibonacci(time.Duration(initial), time.Duration(maxDelay))
		case 2:
			s = retry.Decorrelated(time.Duration(initial), time.Duration(maxDelay))
		default:
			s = retry.Fixed(time.Duration(maxDelay))
		}
		s = retry.WithRand(s.WithJitter(retry.Jitter(jitter%3)), func() float64 { return r })
		for i := range 100 {
			if d := s.NextBackOff(); d < 0 || d > time.Duration(maxDelay) {
				t.Fatalf("%v: delay %d = %v, want within [0, %v]", s, i, d, time.Duration(maxDelay))
			}
		}
	})
}
