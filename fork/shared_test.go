package fork_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// Callers asking for the same key at once share one call and its result.
func TestSharedOneCallPerKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			sh := fork.NewShared[string](s)
			for range 10 {
				s.Go(func(ctx context.Context) error {
					v, err := sh.Do(ctx, "k", func(context.Context) (string, error) {
						calls.Add(1)
						time.Sleep(time.Second)
						return "v", nil
					})
					if v != "v" || err != nil {
						t.Errorf("Do = %q, %v", v, err)
					}
					return nil
				})
			}
			return nil
		})
		if err != nil || calls.Load() != 1 {
			t.Fatalf("Supervised = %v, %d calls; want nil, 1", err, calls.Load())
		}
	})
}

// A caller whose ctx ends stops waiting at once; the call goes on for the
// others. When the last waiter goes, the call is cancelled.
func TestSharedWaiterCancellation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			sh := fork.NewShared[int](s)
			var callCause error
			callEnded := make(chan struct{})
			f := func(ctx context.Context) (int, error) {
				defer close(callEnded)
				select {
				case <-time.After(10 * time.Second):
					return 7, nil
				case <-ctx.Done():
					callCause = context.Cause(ctx)
					return 0, ctx.Err()
				}
			}
			impatient, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			patient := fork.New(s, func(ctx context.Context) (int, error) { return sh.Do(ctx, "k", f) })
			t0 := time.Now()
			if _, err := sh.Do(impatient, "k", f); !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) != time.Second {
				t.Errorf("impatient Do = %v after %v, want DeadlineExceeded after 1s", err, time.Since(t0))
			}
			if v, err := patient.Join(); v != 7 || err != nil {
				t.Errorf("patient Do = %d, %v; want 7, nil: the impatient caller cancelled the call", v, err)
			}

			// Now the only waiter leaves: the call is cancelled.
			callEnded = make(chan struct{})
			short, cancel2 := context.WithTimeout(context.Background(), time.Second)
			defer cancel2()
			if _, err := sh.Do(short, "k2", f); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Do = %v, want DeadlineExceeded", err)
			}
			<-callEnded
			if !errors.Is(callCause, fork.ErrSharedCallAbandoned) {
				t.Errorf("the abandoned call's cause = %v, want ErrSharedCallAbandoned", callCause)
			}
			return nil
		})
	})
}

// A completed call is forgotten; Forget starts a new call while one is in
// flight.
func TestSharedNewCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		f := func(context.Context) (int32, error) {
			n := calls.Add(1)
			time.Sleep(time.Second)
			return n, nil
		}
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			sh := fork.NewShared[int32](s)
			ctx := s.Context()
			if v, _ := sh.Do(ctx, "k", f); v != 1 {
				t.Errorf("first Do = %d, want 1", v)
			}
			if v, _ := sh.Do(ctx, "k", f); v != 2 {
				t.Errorf("Do after the first completed = %d, want 2 (a new call)", v)
			}
			old := fork.New(s, func(ctx context.Context) (int32, error) { return sh.Do(ctx, "k", f) })
			synctest.Wait() // the third call is in flight
			sh.Forget("k")
			if v, _ := sh.Do(ctx, "k", f); v != 4 {
				t.Errorf("Do after Forget = %d, want 4 (a new call)", v)
			}
			if v, _ := old.Join(); v != 3 {
				t.Errorf("the forgotten call's waiter got %d, want 3", v)
			}
			return nil
		})
	})
}

// A panic in a shared call fails the Shared's scope; its callers get the
// *scope.PanicError as their error.
func TestSharedPanic(t *testing.T) {
	var doErr error
	v := catch(func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			sh := fork.NewShared[int](s)
			_, doErr = sh.Do(context.Background(), "k", func(context.Context) (int, error) { return panicWith("shared bug") })
			return nil
		})
	})
	pe := asPanicError(t, v)
	var got *scope.PanicError
	if pe.Value != "shared bug" || !errors.As(doErr, &got) || got != pe {
		t.Fatalf("scope panic = %v, Do error = %v; want the same *PanicError", pe.Value, doErr)
	}
}

func TestSharedBadInput(t *testing.T) {
	if msg, _ := catch(func() { fork.NewShared[int](nil) }).(string); msg == "" {
		t.Error("NewShared(nil) did not panic")
	}
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		sh := fork.NewShared[int](s)
		if msg, _ := catch(func() { _, _ = sh.Do(context.Background(), "k", nil) }).(string); msg != "fork: Shared.Do called with nil f" {
			t.Errorf("Do(nil f) panic = %q", msg)
		}
		return nil
	})
}
