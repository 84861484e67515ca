package retry_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/timeout"
)

func TestCancelEndsLongWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		calls := 0
		done := make(chan error)
		go func() {
			done <- retry.Do(ctx, func(context.Context) error { calls++; return errTemporary },
				retry.WithBackOff(retry.Fixed(time.Hour)))
		}()
		synctest.Wait() // Do is waiting its hour
		start := time.Now()
		cancel()
		err := <-done
		if err != context.Canceled || calls != 1 || time.Since(start) != 0 {
			t.Errorf("Do = %v after %d calls and %v; want context.Canceled at once after 1 call", err, calls, time.Since(start))
		}
	})
}

func TestCancelEndsLongWaitRealClock(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waiting := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- retry.Do(ctx, failing, retry.WithBackOff(retry.Fixed(time.Hour)),
			retry.AfterAttempt(func(retry.Attempt) { close(waiting) })) // called just before the wait
	}()
	<-waiting
	start := time.Now()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Do = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Minute {
		t.Errorf("Do returned %v after cancel", d)
	}
}

func TestCtxAlreadyDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	op := func(context.Context) error { called = true; return nil }
	if err := retry.Do(ctx, op); err != context.Canceled || called {
		t.Errorf("Do = %v, called %v; want context.Canceled without calling op", err, called)
	}
	if err := retry.Do(ctx, op, retry.InitialDelay(time.Hour)); err != context.Canceled || called {
		t.Errorf("Do with InitialDelay = %v, called %v; want context.Canceled without calling op", err, called)
	}
	if v, err := retry.Value(ctx, func(context.Context) (int, error) { return 1, nil }); v != 0 || err != context.Canceled {
		t.Errorf("Value = %v, %v; want 0, context.Canceled", v, err)
	}
}

// dialError is an error of an op that wraps ctx.Err(), as net.OpError does.
type dialError struct{ err error }

func (e *dialError) Error() string { return "dial: " + e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

func TestCancelDuringAttempt(t *testing.T) {
	errReset := errors.New("connection reset")
	tests := []struct {
		name string
		give func(ctx context.Context) error // what the op returns after ctx ended
		want func(err error) bool
	}{
		{"wrapped ctx error", func(ctx context.Context) error { return &dialError{ctx.Err()} },
			func(err error) bool {
				var de *dialError
				return errors.As(err, &de) && de.err == context.Canceled && attemptsOf(err) == 0
			}},
		{"late success stands", func(context.Context) error { return nil },
			func(err error) bool { return err == nil }},
		{"another error, as is", func(context.Context) error { return errReset },
			func(err error) bool { return err == errReset }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			calls := 0
			err := retry.Do(ctx, func(ctx context.Context) error {
				calls++
				cancel()
				return tt.give(ctx)
			}, retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(5))
			if calls != 1 || !tt.want(err) {
				t.Errorf("%d calls, err = %v", calls, err)
			}
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	v, err := retry.Until(ctx, func(context.Context) (int, error) { cancel(); return 7, nil },
		func(v int) bool { return v > 10 })
	if v != 7 || err != context.Canceled {
		t.Errorf("Until with a rejected value after cancel = %v, %v; want 7, context.Canceled", v, err)
	}
}

func TestCtxDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 2500*ms)
		defer cancel()
		calls := 0
		err := retry.Do(ctx, func(context.Context) error { calls++; return errTemporary },
			retry.WithBackOff(retry.Fixed(time.Second)), retry.MaxAttempts(10))
		if err != context.DeadlineExceeded || calls != 3 {
			t.Errorf("Do = %v after %d calls, want context.DeadlineExceeded after 3", err, calls)
		}
	})
}

func TestAttemptTimeout(t *testing.T) {
	hang := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		err := retry.Do(t.Context(), hang, retry.AttemptTimeout(time.Second),
			retry.WithBackOff(retry.Fixed(time.Second)), retry.MaxAttempts(3))
		if attemptsOf(err) != 3 || !errors.Is(err, timeout.ErrTimeout) || time.Since(start) != 5*time.Second {
			t.Errorf("Do = %v after %v; want 3 timed-out attempts in 3s + 2 waits of 1s", err, time.Since(start))
		}
	})
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		err := retry.Do(t.Context(), func(ctx context.Context) error {
			if calls++; calls < 3 {
				return hang(ctx)
			}
			return nil
		}, retry.AttemptTimeout(time.Second), retry.WithBackOff(retry.Immediate()))
		if err != nil || calls != 3 {
			t.Errorf("Do = %v after %d calls, want nil after 3", err, calls)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		err := retry.Do(t.Context(), hang, retry.AttemptTimeout(time.Second), retry.WithBackOff(retry.Immediate()),
			retry.If(func(err error) bool { return !errors.Is(err, timeout.ErrTimeout) }))
		if attemptsOf(err) != 1 {
			t.Errorf("Do = %v, want to give up after 1 timed-out attempt", err)
		}
	})
}

func TestTiming(t *testing.T) {
	tests := []struct {
		name  string
		work  time.Duration // how long each attempt takes
		give  []retry.Option
		wantT []time.Duration // when attempts start
	}{
		{"end to start", 300 * ms, nil, []time.Duration{0, 1300 * ms, 2600 * ms}},
		{"start to start", 300 * ms, []retry.Option{retry.StartToStart()}, []time.Duration{0, time.Second, 2 * time.Second}},
		{"start to start, slow attempts", 1500 * ms, []retry.Option{retry.StartToStart()}, []time.Duration{0, 1500 * ms, 3 * time.Second}},
		{"initial delay", 0, []retry.Option{retry.InitialDelay(5 * time.Second)}, []time.Duration{5 * time.Second, 6 * time.Second, 7 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				var starts []time.Duration
				op := func(context.Context) error {
					starts = append(starts, time.Since(start))
					time.Sleep(tt.work)
					return errTemporary
				}
				opts := append([]retry.Option{retry.WithBackOff(retry.Fixed(time.Second)), retry.MaxAttempts(3)}, tt.give...)
				_ = retry.Do(t.Context(), op, opts...)
				if fmt.Sprint(starts) != fmt.Sprint(tt.wantT) {
					t.Errorf("attempts started at %v, want %v", starts, tt.wantT)
				}
			})
		})
	}
}
