package timeout_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/timeout"
)

func TestDoInTime(t *testing.T) {
	tests := []struct {
		name string
		give error
	}{
		{name: "success", give: nil},
		{name: "own error", give: errBoom},
		{name: "context error of its own", give: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				err := timeout.Do(t.Context(), limit, func(ctx context.Context) error {
					time.Sleep(limit - time.Nanosecond)
					return tt.give
				})
				if err != tt.give {
					t.Errorf("Do() = %v, want %v as it is", err, tt.give)
				}
				if got := time.Since(start); got != limit-time.Nanosecond {
					t.Errorf("Do() took %v, want %v", got, limit-time.Nanosecond)
				}
			})
		})
	}
}

func TestValueInTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v, err := timeout.Value(t.Context(), limit, func(ctx context.Context) (string, error) {
			time.Sleep(limit / 2)
			return "done", nil
		})
		if v != "done" || err != nil {
			t.Errorf("Value() = (%q, %v), want (\"done\", nil)", v, err)
		}
	})
}

func TestDoTimeout(t *testing.T) {
	tests := []struct {
		name string
		// give is f's result, computed once f is done waiting.
		give func(ctx context.Context) error
		// ignore makes f outlive the deadline by a second instead of
		// returning when its context is done.
		ignore   bool
		wantAlso error // errors.Is must find this too
	}{
		{name: "returns ctx.Err()", give: func(ctx context.Context) error { return ctx.Err() }},
		{name: "returns the cause", give: func(ctx context.Context) error { return context.Cause(ctx) }},
		{name: "returns a wrapped ctx.Err()", give: func(ctx context.Context) error { return fmt.Errorf("query: %w", ctx.Err()) }},
		{name: "late success", give: func(context.Context) error { return nil }, ignore: true},
		{name: "late own error", give: func(context.Context) error { return errBoom }, ignore: true, wantAlso: errBoom},
		{name: "own error on cancellation", give: func(context.Context) error { return errBoom }, wantAlso: errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				err := timeout.Do(t.Context(), limit, func(ctx context.Context) error {
					if tt.ignore {
						time.Sleep(limit + time.Second)
					} else {
						<-ctx.Done()
					}
					return tt.give(ctx)
				})
				if !isTimeout(err) {
					t.Errorf("Do() = %v, want an error matching ErrTimeout and context.DeadlineExceeded", err)
				}
				if tt.wantAlso != nil && !errors.Is(err, tt.wantAlso) {
					t.Errorf("errors.Is(%v, %v) = false, want true", err, tt.wantAlso)
				}
				want := limit
				if tt.ignore {
					want += time.Second // Do waits for f however late
				}
				if got := time.Since(start); got != want {
					t.Errorf("Do() returned after %v, want %v", got, want)
				}
			})
		})
	}
}

func TestDoContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		_ = timeout.Do(t.Context(), limit, func(ctx context.Context) error {
			if dl, ok := ctx.Deadline(); !ok || !dl.Equal(start.Add(limit)) {
				t.Errorf("ctx.Deadline() = (%v, %v), want (%v, true)", dl, ok, start.Add(limit))
			}
			if err, cause := ctx.Err(), context.Cause(ctx); err != nil || cause != nil {
				t.Errorf("before the deadline: Err = %v, Cause = %v; want nil, nil", err, cause)
			}
			<-ctx.Done()
			if err := ctx.Err(); err != context.DeadlineExceeded {
				t.Errorf("after the deadline: Err = %v, want context.DeadlineExceeded", err)
			}
			if cause := context.Cause(ctx); cause != timeout.ErrTimeout {
				t.Errorf("after the deadline: Cause = %v, want ErrTimeout", cause)
			}
			return nil
		})
	})
}

func TestDoParentEnds(t *testing.T) {
	tests := []struct {
		name string
		// parent derives f's parent context; it ends after 100ms, before
		// Do's own limit.
		parent func(ctx context.Context) context.Context
		// give is f's result once its context is done; nil means
		// context.Cause(ctx).
		give     func(ctx context.Context) error
		wantIs   error
		wantSame bool // the error is wantIs itself
	}{
		{
			name: "cancelled",
			parent: func(ctx context.Context) context.Context {
				ctx, cancel := context.WithCancel(ctx)
				time.AfterFunc(100*time.Millisecond, cancel)
				return ctx
			},
			wantIs: context.Canceled,
		},
		{
			name: "cancelled with a cause",
			parent: func(ctx context.Context) context.Context {
				ctx, cancel := context.WithCancelCause(ctx)
				time.AfterFunc(100*time.Millisecond, func() { cancel(errParent) })
				return ctx
			},
			wantIs:   errParent,
			wantSame: true,
		},
		{
			name: "shorter deadline",
			parent: func(ctx context.Context) context.Context {
				ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
				context.AfterFunc(ctx, cancel)
				return ctx
			},
			wantIs: context.DeadlineExceeded,
		},
		{
			// A parent built like Do's own context, by another package.
			name: "shorter deadline with cause ErrTimeout",
			parent: func(ctx context.Context) context.Context {
				ctx, cancel := context.WithTimeoutCause(ctx, 100*time.Millisecond, timeout.ErrTimeout)
				context.AfterFunc(ctx, cancel)
				return ctx
			},
			give:   func(ctx context.Context) error { return ctx.Err() },
			wantIs: context.DeadlineExceeded,
		},
		{
			name: "cancelled with cause ErrTimeout",
			parent: func(ctx context.Context) context.Context {
				ctx, cancel := context.WithCancelCause(ctx)
				time.AfterFunc(100*time.Millisecond, func() { cancel(timeout.ErrTimeout) })
				return ctx
			},
			give:   func(ctx context.Context) error { return ctx.Err() },
			wantIs: context.Canceled,
		},
		{
			name: "already cancelled",
			parent: func(ctx context.Context) context.Context {
				ctx, cancel := context.WithCancelCause(ctx)
				cancel(errParent)
				return ctx
			},
			wantIs:   errParent,
			wantSame: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				err := timeout.Do(tt.parent(t.Context()), limit, func(ctx context.Context) error {
					<-ctx.Done()
					if tt.give != nil {
						return tt.give(ctx)
					}
					return context.Cause(ctx)
				})
				if errors.Is(err, timeout.ErrTimeout) {
					t.Errorf("Do() = %v, want the parent's error, not ErrTimeout", err)
				}
				if !errors.Is(err, tt.wantIs) || (tt.wantSame && err != tt.wantIs) {
					t.Errorf("Do() = %v, want %v", err, tt.wantIs)
				}
			})
		})
	}
}

func TestDoNested(t *testing.T) {
	tests := []struct {
		name      string
		outer     time.Duration
		inner     time.Duration
		wantInner bool // whether the inner Do reports its own timeout
	}{
		// The outer deadline is the inner Do's parent's deadline: the
		// inner Do must report it as the parent's error, although both
		// contexts have ErrTimeout as their cause.
		{name: "outer deadline first", outer: time.Second, inner: time.Hour},
		{name: "inner deadline first", outer: time.Hour, inner: time.Second, wantInner: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var inner error
				outer := timeout.Do(t.Context(), tt.outer, func(ctx context.Context) error {
					inner = timeout.Do(ctx, tt.inner, func(ctx context.Context) error {
						<-ctx.Done()
						return ctx.Err()
					})
					<-ctx.Done() // the outer f then waits for its own deadline
					return inner
				})
				if got := errors.Is(inner, timeout.ErrTimeout); got != tt.wantInner {
					t.Errorf("inner Do() = %v; errors.Is(ErrTimeout) = %v, want %v", inner, got, tt.wantInner)
				}
				if !errors.Is(inner, context.DeadlineExceeded) {
					t.Errorf("inner Do() = %v, want context.DeadlineExceeded either way", inner)
				}
				if !isTimeout(outer) {
					t.Errorf("outer Do() = %v, want ErrTimeout", outer)
				}
			})
		})
	}
}

func TestValueTimeoutReturnsZero(t *testing.T) {
	tests := []struct {
		name     string
		giveErr  error
		wantAlso error
	}{
		{name: "late value"},
		{name: "late value with own error", giveErr: errBoom, wantAlso: errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				v, err := timeout.Value(t.Context(), limit, func(ctx context.Context) (*int, error) {
					time.Sleep(2 * limit)
					n := 42
					return &n, tt.giveErr
				})
				if v != nil || !isTimeout(err) {
					t.Errorf("Value() = (%v, %v), want (nil, ErrTimeout)", v, err)
				}
				if tt.wantAlso != nil && !errors.Is(err, tt.wantAlso) {
					t.Errorf("errors.Is(%v, %v) = false, want true", err, tt.wantAlso)
				}
			})
		})
	}
}

func TestNonPositiveDurationTimesOutAtOnce(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		t.Run(d.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var atStart error
				err := timeout.Do(t.Context(), d, func(ctx context.Context) error {
					atStart = context.Cause(ctx)
					return ctx.Err()
				})
				if atStart != timeout.ErrTimeout {
					t.Errorf("f started with Cause %v, want ErrTimeout", atStart)
				}
				if !isTimeout(err) {
					t.Errorf("Do() = %v, want ErrTimeout", err)
				}
			})
		})
	}
}

func TestTimeoutErrorsReportTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		late := timeout.Do(t.Context(), limit, func(context.Context) error {
			time.Sleep(2 * limit)
			return errBoom
		})
		for _, err := range []error{timeout.ErrTimeout, late} {
			var te interface{ Timeout() bool }
			if !errors.As(err, &te) || !te.Timeout() {
				t.Errorf("%v: no Timeout() bool reporting true", err)
			}
		}
	})
}

func TestSleep(t *testing.T) {
	tests := []struct {
		name        string
		give        time.Duration
		cancelAt    time.Duration // < 0: already cancelled; 0: never
		deadline    time.Duration // 0: none
		want        error
		wantElapsed time.Duration
	}{
		{name: "full", give: time.Second, want: nil, wantElapsed: time.Second},
		{name: "cancelled", give: time.Hour, cancelAt: 300 * time.Millisecond, want: context.Canceled, wantElapsed: 300 * time.Millisecond},
		{name: "deadline", give: time.Hour, deadline: 200 * time.Millisecond, want: context.DeadlineExceeded, wantElapsed: 200 * time.Millisecond},
		{name: "already cancelled", give: time.Second, cancelAt: -1, want: context.Canceled},
		{name: "zero", give: 0, want: nil},
		{name: "negative", give: -time.Second, want: nil},
		{name: "zero, already cancelled", give: 0, cancelAt: -1, want: context.Canceled},
		{name: "negative, already cancelled", give: -time.Second, cancelAt: -1, want: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				switch {
				case tt.cancelAt < 0:
					cancel()
				case tt.cancelAt > 0:
					time.AfterFunc(tt.cancelAt, cancel)
				}
				if tt.deadline > 0 {
					var cancelDeadline context.CancelFunc
					ctx, cancelDeadline = context.WithTimeout(ctx, tt.deadline)
					defer cancelDeadline()
				}
				start := time.Now()
				if err := timeout.Sleep(ctx, tt.give); err != tt.want {
					t.Errorf("Sleep(%v) = %v, want %v", tt.give, err, tt.want)
				}
				if got := time.Since(start); got != tt.wantElapsed {
					t.Errorf("Sleep(%v) took %v, want %v", tt.give, got, tt.wantElapsed)
				}
			})
		})
	}
}

func TestMisusePanics(t *testing.T) {
	var nilCtx context.Context
	nop := func(context.Context) error { return nil }
	tests := []struct {
		name string
		give func()
		want string
	}{
		{"Do nil f", func() { _ = timeout.Do(t.Context(), limit, nil) },
			"timeout: Do called with nil f; pass the function to run"},
		{"Value nil f", func() { _, _ = timeout.Value[int](t.Context(), limit, nil) },
			"timeout: Value called with nil f; pass the function to run"},
		{"Do nil ctx", func() { _ = timeout.Do(nilCtx, limit, nop) },
			"timeout: Do called with nil ctx; pass context.Background() or the caller's context"},
		{"Value nil ctx", func() {
			_, _ = timeout.Value(nilCtx, limit, func(context.Context) (int, error) { return 0, nil })
		}, "timeout: Value called with nil ctx; pass context.Background() or the caller's context"},
		{"Sleep nil ctx", func() { _ = timeout.Sleep(nilCtx, time.Second) },
			"timeout: Sleep called with nil ctx; pass context.Background() or the caller's context"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panicValue(tt.give); got != tt.want {
				t.Errorf("panic = %v, want %q", got, tt.want)
			}
		})
	}
}
