package retry_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/corral-go/corral/retry"
)

func TestDoRetriesUntilSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		op, calls := flaky(2)
		start := time.Now()
		if err := retry.Do(t.Context(), op, retry.WithBackOff(retry.Fixed(time.Second))); err != nil {
			t.Fatalf("Do = %v, want nil", err)
		}
		if *calls != 3 || time.Since(start) != 2*time.Second {
			t.Errorf("%d calls in %v, want 3 calls in 2s", *calls, time.Since(start))
		}
	})
}

func TestDoAttemptLimits(t *testing.T) {
	tests := []struct {
		name string
		give []retry.Option
		want int // attempts
	}{
		{"MaxAttempts(1) never retries", []retry.Option{retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(1)}, 1},
		{"MaxAttempts(5)", []retry.Option{retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(5)}, 5},
		{"last MaxAttempts wins", []retry.Option{retry.MaxAttempts(9), retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(2)}, 2},
		{"default schedule makes 3 attempts", nil, retry.DefaultAttempts},
		{"default schedule with MaxAttempts", []retry.Option{retry.MaxAttempts(5)}, 5},
		{"the schedule stops first", []retry.Option{retry.WithBackOff(backoff.WithMaxRetries(&backoff.ZeroBackOff{}, 2)), retry.MaxAttempts(5)}, 3},
		{"a given schedule has no attempt limit of ours", []retry.Option{retry.WithBackOff(backoff.WithMaxRetries(&backoff.ZeroBackOff{}, 7))}, 8},
		{"total delay limit", []retry.Option{retry.WithBackOff(retry.Fixed(time.Second).WithMaxTotalDelay(3 * time.Second))}, 4},
		{"elapsed limit", []retry.Option{retry.WithBackOff(retry.Fixed(time.Second).WithMaxElapsed(2500 * ms))}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				calls := 0
				err := retry.Do(t.Context(), func(context.Context) error { calls++; return errTemporary }, tt.give...)
				if calls != tt.want || attemptsOf(err) != tt.want || !errors.Is(err, errTemporary) {
					t.Errorf("%d calls, err = %v; want %d attempts wrapping errTemporary", calls, err, tt.want)
				}
			})
		})
	}
}

func TestDoDefaultSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var waits []time.Duration
		err := retry.Do(t.Context(), failing, retry.AfterAttempt(func(a retry.Attempt) { waits = append(waits, a.Delay) }))
		if attemptsOf(err) != 3 || len(waits) != 3 {
			t.Fatalf("err = %v after %d attempts, want 3", err, len(waits))
		}
		// Exponential from 100ms, doubling, with full jitter.
		if waits[0] < 0 || waits[0] > 100*ms || waits[1] < 0 || waits[1] > 200*ms || waits[2] != stop {
			t.Errorf("waits = %v, want [0,100ms], [0,200ms], Stop", waits)
		}
		if got := retry.DefaultSchedule.String(); got != "exponential 100ms x2 up to 10s, full jitter" {
			t.Errorf("default schedule is %q", got)
		}
	})
}

func TestDoIf(t *testing.T) {
	notFatal := retry.If(func(err error) bool { return !errors.Is(err, errFatal) })
	calls := 0
	err := retry.Do(context.Background(), func(context.Context) error {
		calls++
		if calls < 3 {
			return errTemporary
		}
		return fmt.Errorf("disk: %w", errFatal)
	}, notFatal, retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(10))
	if calls != 3 || attemptsOf(err) != 3 || !errors.Is(err, errFatal) {
		t.Fatalf("%d calls, err = %v; want 3 calls ending in errFatal", calls, err)
	}
}

func TestDoPermanent(t *testing.T) {
	wrapped := fmt.Errorf("load: %w", retry.Permanent(errFatal))
	tests := []struct {
		name string
		give error
		want error // the *Error's Err
	}{
		{"retry.Permanent", retry.Permanent(errFatal), errFatal},
		{"backoff.Permanent", backoff.Permanent(errFatal), errFatal},
		{"wrapped", wrapped, wrapped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := retry.Do(context.Background(), func(context.Context) error { calls++; return tt.give },
				retry.If(func(error) bool { return true }), retry.WithBackOff(retry.Immediate()))
			var re *retry.Error
			if calls != 1 || !errors.As(err, &re) || re.Attempts != 1 || !errors.Is(err, errFatal) {
				t.Fatalf("%d calls, err = %v; want 1 call, an *Error after 1 attempt wrapping errFatal", calls, err)
			}
			if re.Err != tt.want {
				t.Errorf("Err = %#v, want %#v (no Permanent wrapper at the top)", re.Err, tt.want)
			}
		})
	}
	if retry.Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
}

func TestDoHook(t *testing.T) {
	tests := []struct {
		name     string
		failures int
		give     []retry.Option
		want     []retry.Attempt
	}{
		{"success at once", 0, nil, []retry.Attempt{att(1, nil, stop)}},
		{"success on the third", 2, nil, []retry.Attempt{att(1, errTemporary, 10*ms), att(2, errTemporary, 10*ms), att(3, nil, stop)}},
		{"gives up", 5, []retry.Option{retry.MaxAttempts(2)}, []retry.Attempt{att(1, errTemporary, 10*ms), att(2, errTemporary, stop)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var got []retry.Attempt
				op, _ := flaky(tt.failures)
				opts := append([]retry.Option{
					retry.WithBackOff(retry.Fixed(10 * ms)),
					retry.AfterAttempt(func(a retry.Attempt) { got = append(got, a) }),
				}, tt.give...)
				_ = retry.Do(t.Context(), op, opts...)
				if !slices.Equal(got, tt.want) {
					t.Errorf("hook saw %v, want %v", got, tt.want)
				}
			})
		})
	}
}

func TestValue(t *testing.T) {
	immediate := retry.WithBackOff(retry.Immediate())
	v, err := retry.Value(context.Background(), counter(), immediate)
	if v != 1 || err != nil {
		t.Errorf("Value = %d, %v; want the first value 1, nil", v, err)
	}

	n := 0
	v, err = retry.Value(context.Background(), func(context.Context) (int, error) {
		n++
		return n, errTemporary
	}, immediate, retry.MaxAttempts(3))
	if v != 3 || attemptsOf(err) != 3 || !errors.Is(err, errTemporary) {
		t.Errorf("Value = %d, %v; want the last value 3 and errTemporary after 3 attempts", v, err)
	}
}

func TestUntil(t *testing.T) {
	immediate := retry.WithBackOff(retry.Immediate())
	retryNothing := retry.If(func(error) bool { return false }) // rejections are retried anyway

	v, err := retry.Until(context.Background(), counter(), func(v int) bool { return v >= 3 },
		immediate, retryNothing, retry.MaxAttempts(5))
	if v != 3 || err != nil {
		t.Errorf("Until = %d, %v; want 3, nil", v, err)
	}

	var hooked []error
	v, err = retry.Until(context.Background(), counter(), func(v int) bool { return v > 10 },
		immediate, retry.MaxAttempts(4),
		retry.AfterAttempt(func(a retry.Attempt) { hooked = append(hooked, a.Err) }))
	if v != 4 || attemptsOf(err) != 4 || !errors.Is(err, retry.ErrConditionNotMet) {
		t.Errorf("Until = %d, %v; want the last value 4 and ErrConditionNotMet after 4 attempts", v, err)
	}
	if len(hooked) != 4 || hooked[0] != retry.ErrConditionNotMet {
		t.Errorf("hook saw %v, want ErrConditionNotMet 4 times", hooked)
	}

	// Failures of op are retried like in Value, and If applies to them.
	calls := 0
	s, err := retry.Until(context.Background(), func(context.Context) (string, error) {
		switch calls++; calls {
		case 1:
			return "", errTemporary
		case 2:
			return "pending", nil
		}
		return "ready", nil
	}, func(s string) bool { return s == "ready" }, immediate, retry.MaxAttempts(5))
	if s != "ready" || err != nil || calls != 3 {
		t.Errorf("Until = %q, %v after %d calls; want ready, nil after 3", s, err, calls)
	}
	_, err = retry.Until(context.Background(), func(context.Context) (string, error) { return "", errFatal },
		func(string) bool { return true }, immediate, retry.If(func(err error) bool { return err != errFatal }))
	if attemptsOf(err) != 1 || !errors.Is(err, errFatal) {
		t.Errorf("Until = %v, want to give up after 1 attempt on errFatal", err)
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		give *retry.Error
		want string
	}{
		{&retry.Error{Attempts: 1, Err: errTemporary}, "retry: gave up after 1 attempt: temporary failure"},
		{&retry.Error{Attempts: 3, Err: errTemporary}, "retry: gave up after 3 attempts: temporary failure"},
		{&retry.Error{Attempts: 2, Err: errTemporary, Throttled: true}, "retry: gave up after 2 attempts (retry tokens exhausted): temporary failure"},
		{&retry.Error{Attempts: 2}, "retry: gave up after 2 attempts"},
	}
	for _, tt := range tests {
		if got := tt.give.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if err := (&retry.Error{Attempts: 1, Err: errTemporary}); errors.Unwrap(err) != errTemporary {
		t.Errorf("Unwrap = %v, want errTemporary", errors.Unwrap(err))
	}
}

func TestSharedScheduleIsNotAdvanced(t *testing.T) {
	// One schedule and one option slice, shared by concurrent calls: each call
	// sees the whole sequence, and the shared schedule stays at its start.
	synctest.Test(t, func(t *testing.T) {
		s := retry.Exponential(time.Second, 2, time.Minute)
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				var waits []time.Duration
				_ = retry.Do(t.Context(), failing, retry.WithBackOff(s), retry.MaxAttempts(4),
					retry.AfterAttempt(func(a retry.Attempt) { waits = append(waits, a.Delay) }))
				mu.Lock()
				seen[fmt.Sprint(waits)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if want := fmt.Sprint([]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, stop}); seen[want] != 10 {
			t.Errorf("calls saw %v, want %s 10 times", seen, want)
		}
		if d := s.NextBackOff(); d != time.Second {
			t.Errorf("shared schedule advanced to %v", d)
		}
	})
}

// countingBackOff is a foreign BackOff that records its Resets.
type countingBackOff struct {
	resets int
	next   time.Duration
}

func (b *countingBackOff) Reset()                     { b.resets++ }
func (b *countingBackOff) NextBackOff() time.Duration { return b.next }

func TestForeignBackOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := &countingBackOff{next: -5} // nonsense delays count as none
		start := time.Now()
		err := retry.Do(t.Context(), failing, retry.WithBackOff(b), retry.MaxAttempts(3))
		if attemptsOf(err) != 3 || b.resets != 1 || time.Since(start) != 0 {
			t.Errorf("err = %v, %d resets, took %v; want 3 attempts, 1 reset, no wait", err, b.resets, time.Since(start))
		}

		// cenkalti's ExponentialBackOff, with its own elapsed-time limit:
		// waits 1s, 1.5s, 2.25s, 3.375s, then 5.06s would pass 10s.
		e := backoff.NewExponentialBackOff(backoff.WithInitialInterval(time.Second),
			backoff.WithRandomizationFactor(0), backoff.WithMaxElapsedTime(10*time.Second))
		start = time.Now()
		err = retry.Do(t.Context(), failing, retry.WithBackOff(e))
		if attemptsOf(err) != 5 || time.Since(start) != 8125*ms {
			t.Errorf("err = %v after %v, want 5 attempts in 8.125s", err, time.Since(start))
		}
	})
}

func TestAttemptLast(t *testing.T) {
	var last []bool
	_ = retry.Do(context.Background(), failing,
		retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(3),
		retry.AfterAttempt(func(a retry.Attempt) { last = append(last, a.Last()) }))
	if len(last) != 3 || last[0] || last[1] || !last[2] {
		t.Errorf("Last() per attempt = %v, want [false false true]", last)
	}
}
