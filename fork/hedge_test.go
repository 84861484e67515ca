package fork_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/fork"
)

// hedgeCall is one call's script: how long it takes and what it returns.
type hedgeCall struct {
	took time.Duration
	err  error
}

// hedgeLog records, for each call, when it started and how it ended.
type hedgeLog struct {
	mu        sync.Mutex
	starts    []time.Duration
	cancelled []bool
}

func (l *hedgeLog) f(t0 time.Time, script []hedgeCall) func(ctx context.Context) (int, error) {
	return func(ctx context.Context) (int, error) {
		l.mu.Lock()
		i := len(l.starts)
		l.starts = append(l.starts, time.Since(t0))
		l.cancelled = append(l.cancelled, false)
		l.mu.Unlock()
		select {
		case <-time.After(script[i].took):
			return i, script[i].err
		case <-ctx.Done():
			l.mu.Lock()
			l.cancelled[i] = true
			l.mu.Unlock()
			return 0, ctx.Err()
		}
	}
}

func TestHedge(t *testing.T) {
	slow, fast := time.Hour, 10*time.Millisecond
	errA, errB, errC := errors.New("a"), errors.New("b"), errors.New("c")
	const delay = 100 * time.Millisecond
	for _, tc := range []struct {
		name       string
		n          int
		script     []hedgeCall
		wantV      int
		wantErr    error
		wantStarts []time.Duration
		wantAt     time.Duration
	}{
		{"first call fast", 3, []hedgeCall{{took: fast}}, 0, nil, []time.Duration{0}, fast},
		{"second call wins", 3, []hedgeCall{{took: slow}, {took: fast}, {took: slow}}, 1, nil,
			[]time.Duration{0, delay}, delay + fast},
		{"third call wins", 3, []hedgeCall{{took: slow}, {took: slow}, {took: fast}}, 2, nil,
			[]time.Duration{0, delay, 2 * delay}, 2*delay + fast},
		{"a failure starts the next at once", 3, []hedgeCall{{took: fast, err: errA}, {took: fast}}, 1, nil,
			[]time.Duration{0, fast}, 2 * fast},
		{"n limits the calls", 2, []hedgeCall{{took: slow}, {took: 3 * delay}}, 1, nil,
			[]time.Duration{0, delay}, 4 * delay},
		{"all fail", 3, []hedgeCall{{took: fast, err: errA}, {took: fast, err: errB}, {took: fast, err: errC}}, 0,
			errors.Join(errA, errB, errC), []time.Duration{0, fast, 2 * fast}, 3 * fast},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var log hedgeLog
				t0 := time.Now()
				v, err := fork.Hedge(context.Background(), delay, tc.n, log.f(t0, tc.script))
				if at := time.Since(t0); at != tc.wantAt {
					t.Errorf("Hedge returned after %v, want %v", at, tc.wantAt)
				}
				if fmt.Sprint(err) != fmt.Sprint(tc.wantErr) || (tc.wantErr == nil && v != tc.wantV) {
					t.Errorf("Hedge = %d, %v; want %d, %v", v, err, tc.wantV, tc.wantErr)
				}
				if fmt.Sprint(log.starts) != fmt.Sprint(tc.wantStarts) {
					t.Errorf("calls started at %v, want %v", log.starts, tc.wantStarts)
				}
				// Every call that did not end by itself was cancelled,
				// and Hedge waited for it.
				for i, c := range log.cancelled {
					if i != tc.wantV && tc.wantErr == nil && tc.script[i].took == slow && !c {
						t.Errorf("losing call %d was not cancelled before Hedge returned", i)
					}
				}
				if tc.wantErr != nil {
					for _, e := range []error{errA, errB, errC} {
						if !errors.Is(err, e) {
							t.Errorf("errors.Is(%v, %v) = false", err, e)
						}
					}
				}
			})
		})
	}
}

// Once the caller's ctx ends, no further call starts.
func TestHedgeCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		var log hedgeLog
		script := []hedgeCall{{took: time.Hour}, {took: time.Hour}, {took: time.Hour}, {took: time.Hour}, {took: time.Hour}}
		_, err := fork.Hedge(ctx, 100*time.Millisecond, 5, log.f(time.Now(), script))
		if !errors.Is(err, context.DeadlineExceeded) || len(log.starts) != 2 {
			t.Fatalf("Hedge = %v after %d calls; want DeadlineExceeded after 2", err, len(log.starts))
		}
	})
}

func TestHedgePanic(t *testing.T) {
	v := catch(func() {
		_, _ = fork.Hedge(context.Background(), time.Second, 3, func(context.Context) (int, error) { return panicWith("hedged bug") })
	})
	if pe := asPanicError(t, v); pe.Value != "hedged bug" {
		t.Fatalf("panic = %v", pe.Value)
	}
}

func TestHedgeBadInput(t *testing.T) {
	f := func(context.Context) (int, error) { return 0, nil }
	for _, tc := range []struct {
		give func()
		want string
	}{
		{func() { _, _ = fork.Hedge(context.Background(), time.Second, 0, f) }, "fork: Hedge called with n = 0"},
		{func() { _, _ = fork.Hedge(context.Background(), -time.Second, 1, f) }, "fork: Hedge called with negative delay"},
		{func() { _, _ = fork.Hedge[int](context.Background(), time.Second, 1, nil) }, "fork: Hedge called with nil f"},
	} {
		if msg, _ := catch(tc.give).(string); len(msg) < len(tc.want) || msg[:len(tc.want)] != tc.want {
			t.Errorf("panic = %q, want %q", msg, tc.want)
		}
	}
}
