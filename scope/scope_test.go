package scope_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/scope"
)

// trail records events from several goroutines so a test can assert their
// order.
type trail struct {
	mu     sync.Mutex
	events []string
}

func (t *trail) add(e string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.events = append(t.events, e)
}

func (t *trail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.events, ",")
}

func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return strings.Fields(string(buf))[1]
}

// Rule 1: body runs on the calling goroutine, and an empty scope costs about
// one context.WithCancelCause.
func TestBodyRunsOnCallingGoroutine(t *testing.T) {
	caller := goroutineID()
	var inBody string
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		inBody = goroutineID()
		return nil
	})
	if err != nil {
		t.Fatalf("Supervised() = %v, want nil", err)
	}
	if inBody != caller {
		t.Errorf("body ran on goroutine %s, want the caller's %s", inBody, caller)
	}
}

func TestEmptyScopeAllocations(t *testing.T) {
	ctx := context.Background()
	base := testing.AllocsPerRun(100, func() {
		_, cancel := context.WithCancelCause(ctx)
		cancel(nil)
	})
	body := func(*scope.Scope) error { return nil }
	got := testing.AllocsPerRun(100, func() {
		_ = scope.Supervised(ctx, body)
	})
	if got > base+1 {
		t.Errorf("empty Supervised allocates %v times, want at most %v (WithCancelCause + the scope)", got, base+1)
	}
	// A body that captures a variable must not be moved to the heap by
	// the scope keeping a reference to it.
	n := 0
	got = testing.AllocsPerRun(100, func() {
		_ = scope.Supervised(ctx, func(*scope.Scope) error { n++; return nil })
	})
	if got > base+1 {
		t.Errorf("Supervised with a capturing body allocates %v times, want at most %v", got, base+1)
	}
}

// Rule 2: forks are awaited; daemon forks are cancelled with ErrScopeEnded
// once the body and the awaited forks are done; releases run last, LIFO.
func TestScopeWaitsForForksThenCancelsDaemons(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr trail
		release := make(chan struct{})
		returned := make(chan error, 1)
		go func() {
			returned <- scope.Supervised(context.Background(), func(s *scope.Scope) error {
				s.Defer(func() { tr.add("release1") })
				s.GoDaemon(func(ctx context.Context) error {
					<-ctx.Done()
					if c := context.Cause(ctx); c != scope.ErrScopeEnded {
						tr.add(fmt.Sprintf("daemon cause %v", c))
					}
					tr.add("daemon")
					return errors.New("daemon error after the end is discarded")
				})
				s.Go(func(ctx context.Context) error {
					<-release
					if ctx.Err() != nil {
						tr.add("fork saw a cancelled context")
					}
					tr.add("fork")
					return nil
				})
				s.Defer(func() { tr.add("release2") })
				tr.add("body")
				return nil
			})
		}()
		synctest.Wait()
		select {
		case err := <-returned:
			t.Fatalf("Supervised returned %v before its fork ended", err)
		default:
		}
		close(release)
		if err := <-returned; err != nil {
			t.Fatalf("Supervised() = %v, want nil", err)
		}
		if got, want := tr.String(), "body,fork,daemon,release2,release1"; got != want {
			t.Errorf("events = %s, want %s", got, want)
		}
	})
}

func TestContextCauseAfterNormalEnd(t *testing.T) {
	var ctx context.Context
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		ctx = s.Context()
		return ctx.Err()
	})
	if err != nil {
		t.Fatalf("Supervised() = %v, want nil", err)
	}
	if got := context.Cause(ctx); got != scope.ErrScopeEnded {
		t.Errorf("cause = %v, want ErrScopeEnded", got)
	}
	if !errors.Is(scope.ErrScopeEnded, context.Canceled) {
		t.Error("ErrScopeEnded does not match context.Canceled")
	}
}

// Rule 3: the first failure cancels the siblings with itself as the cause and
// is returned; later non-echo failures are attached.
func TestFirstFailureCancelsSiblings(t *testing.T) {
	errFirst := errors.New("first")
	var siblingCause error
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			<-ctx.Done()
			siblingCause = context.Cause(ctx)
			return ctx.Err() // an echo: dropped
		})
		s.Go(func(ctx context.Context) error { return errFirst })
		return nil
	})
	if err != errFirst {
		t.Errorf("Supervised() = %v, want the first failure unchanged", err)
	}
	if siblingCause != errFirst {
		t.Errorf("sibling's cause = %v, want %v", siblingCause, errFirst)
	}
}

func TestLaterFailuresAttached(t *testing.T) {
	errFirst := errors.New("first")
	errLater := errors.New("later")
	wrapped := fmt.Errorf("wrapping: %w", errFirst)
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		failed := make(chan struct{})
		s.Go(func(ctx context.Context) error {
			defer close(failed)
			return errFirst
		})
		<-failed
		s.Go(func(ctx context.Context) error { <-ctx.Done(); return wrapped })             // echo
		s.Go(func(ctx context.Context) error { <-ctx.Done(); return scope.ErrScopeEnded }) // echo
		s.Go(func(ctx context.Context) error { <-ctx.Done(); return errLater })
		return nil
	})
	if !errors.Is(err, errFirst) || !errors.Is(err, errLater) {
		t.Fatalf("Supervised() = %v, want both failures found by errors.Is", err)
	}
	if !strings.HasPrefix(err.Error(), "first") {
		t.Errorf("Error() = %q, want it to start with the first failure", err)
	}
	if strings.Contains(err.Error(), "wrapping") || strings.Contains(err.Error(), "ended") {
		t.Errorf("Error() = %q, want echoes dropped", err)
	}
}

func TestBodyErrorCancelsForks(t *testing.T) {
	errBody := errors.New("body failed")
	var tr trail
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			<-ctx.Done()
			tr.add("fork cancelled: " + context.Cause(ctx).Error())
			return nil
		})
		return errBody
	})
	if err != errBody {
		t.Errorf("Supervised() = %v, want %v", err, errBody)
	}
	if got, want := tr.String(), "fork cancelled: body failed"; got != want {
		t.Errorf("events = %s, want %s", got, want)
	}
}

func TestDaemonFailureBeforeEndFailsScope(t *testing.T) {
	errDaemon := errors.New("daemon failed")
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.GoDaemon(func(ctx context.Context) error { return errDaemon })
		<-s.Context().Done()
		return nil
	})
	if err != errDaemon {
		t.Errorf("Supervised() = %v, want %v", err, errDaemon)
	}
}

// Rule 4: a panic fails the scope and is raised again on the caller's
// goroutine, after siblings were cancelled and awaited and releases ran.
func TestForkPanicRepanicsAfterCleanup(t *testing.T) {
	var tr trail
	pe := catchPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Defer(func() { tr.add("release") })
			s.Go(func(ctx context.Context) error {
				<-ctx.Done()
				tr.add("sibling cancelled")
				return nil
			})
			s.Go(func(ctx context.Context) error { panicky("boom"); return nil })
			return nil
		}, scope.WithName("worker"))
	})
	if pe.Value != "boom" {
		t.Errorf("Value = %v, want boom", pe.Value)
	}
	if !bytes.Contains(pe.Stack, []byte("panicky")) {
		t.Errorf("Stack does not show the panicking function:\n%s", pe.Stack)
	}
	if !strings.Contains(pe.Error(), `scope "worker"`) || !strings.Contains(pe.Error(), "boom") {
		t.Errorf("Error() = %q, want the scope's name and the value", pe.Error())
	}
	if got, want := tr.String(), "sibling cancelled,release"; got != want {
		t.Errorf("events = %s, want %s", got, want)
	}
}

func TestBodyPanicRepanics(t *testing.T) {
	errCause := errors.New("cause")
	var forkEnded atomic.Bool
	pe := catchPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Go(func(ctx context.Context) error {
				<-ctx.Done()
				forkEnded.Store(true)
				return nil
			})
			panic(errCause)
		})
	})
	if !errors.Is(pe, errCause) {
		t.Errorf("errors.Is(panic, cause) = false; Unwrap = %v", pe.Unwrap())
	}
	if !forkEnded.Load() {
		t.Error("Supervised re-panicked before its fork ended")
	}
}

func TestPanicWinsOverError(t *testing.T) {
	pe := catchPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Go(func(ctx context.Context) error { <-ctx.Done(); panic("late panic") })
			return errors.New("first failure is an error")
		})
	})
	if pe.Value != "late panic" {
		t.Errorf("Value = %v, want the panic", pe.Value)
	}
}

func TestReleasePanicFailsScopeAndOtherReleasesRun(t *testing.T) {
	var ran atomic.Bool
	pe := catchPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Defer(func() { ran.Store(true) })
			s.Defer(func() { panic("release failed") })
			return nil
		})
	})
	if pe.Value != "release failed" || !ran.Load() {
		t.Errorf("Value = %v, other release ran = %v", pe.Value, ran.Load())
	}
}

func TestNestedPanicKeepsOriginal(t *testing.T) {
	pe := catchPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(outer *scope.Scope) error {
			outer.Go(func(ctx context.Context) error {
				return scope.Supervised(ctx, func(inner *scope.Scope) error {
					inner.Go(func(context.Context) error { panicky("deep"); return nil })
					return nil
				})
			})
			return nil
		})
	})
	if pe.Value != "deep" || !bytes.Contains(pe.Stack, []byte("panicky")) {
		t.Errorf("got %v, want the innermost panic with its stack", pe.Value)
	}
}
