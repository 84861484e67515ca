package source_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

// flaky returns a source that emits vs and fails with errBoom on its first
// fails runs, and emits vs and ends on the later ones; *runs counts runs.
func flaky(runs *int, fails int, vs ...int) source.Source[int] {
	return source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		*runs++
		for _, v := range vs {
			if err := emit(v); err != nil {
				return err
			}
		}
		if *runs <= fails {
			return errBoom
		}
		return nil
	})
}

func TestRetry(t *testing.T) {
	now := retry.WithBackOff(retry.Immediate())
	runs := 0
	got := collect(t, flaky(&runs, 2, 1, 2).Retry(now, retry.MaxAttempts(5)))
	equal(t, got, []int{1, 2, 1, 2, 1, 2}) // each attempt runs the whole stream
	if runs != 3 {
		t.Errorf("%d runs, want 3", runs)
	}

	// Giving up: retry's error, which wraps the last failure.
	runs = 0
	got, err := run(flaky(&runs, 9, 1).Retry(now, retry.MaxAttempts(3)))
	var rerr *retry.Error
	if !errors.Is(err, errBoom) || !errors.As(err, &rerr) || rerr.Attempts != 3 || runs != 3 {
		t.Errorf("err = %v after %d runs, want retry's error after 3 attempts", err, runs)
	}
	equal(t, got, []int{1, 1, 1})

	// If: an error not worth retrying ends the run at once.
	runs = 0
	_, err = run(flaky(&runs, 9, 1).Retry(now, retry.If(func(err error) bool { return !errors.Is(err, errBoom) })))
	if !errors.Is(err, errBoom) || runs != 1 {
		t.Errorf("err = %v after %d runs, want errBoom after 1", err, runs)
	}

	// A failure downstream is not retried.
	runs = 0
	_, err = run(source.MapErr(flaky(&runs, 0, 1, 2).Retry(now), func(v int) (int, error) { return 0, errBoom }))
	if !errors.Is(err, errBoom) || runs != 1 {
		t.Errorf("err = %v after %d runs, want errBoom after 1", err, runs)
	}

	// A satisfied Take stops the retries.
	runs = 0
	equal(t, collect(t, flaky(&runs, 9, 1, 2, 3).Retry(now, retry.MaxAttempts(5)).Take(2)), []int{1, 2})
	if runs != 1 {
		t.Errorf("%d runs, want 1", runs)
	}
	runs = 0
	equal(t, collect(t, flaky(&runs, 9, 1, 2).Retry(now, retry.MaxAttempts(5)).Take(3)), []int{1, 2, 1})
	if runs != 2 {
		t.Errorf("%d runs, want 2", runs)
	}
}

// TestRetrySchedule: the waits between attempts follow the schedule, and
// a cancellation ends a wait at once.
func TestRetrySchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		runs := 0
		var at []time.Duration
		start := time.Now()
		src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
			runs++
			at = append(at, time.Since(start))
			if runs < 3 {
				return errBoom
			}
			return emit(runs)
		})
		got := collect(t, src.Retry(retry.WithBackOff(retry.Fixed(time.Second)), retry.MaxAttempts(3)))
		equal(t, got, []int{3})
		equal(t, at, []time.Duration{0, time.Second, 2 * time.Second})

		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			done <- failing(1).Retry(retry.WithBackOff(retry.Fixed(time.Hour))).RunDrain(ctx)
		}()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestRecoverWith(t *testing.T) {
	got, err := run(failing(1, 2).RecoverWith(func(err error) source.Source[int] {
		if !errors.Is(err, errBoom) {
			t.Errorf("f got %v", err)
		}
		return source.Of(3, 4)
	}))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, got, []int{1, 2, 3, 4})

	// Failed(err) lets the error go on; the new source's error ends the run.
	errOther := errors.New("other")
	got, err = run(failing(1).RecoverWith(func(err error) source.Source[int] { return source.Failed[int](err) }))
	if !errors.Is(err, errBoom) {
		t.Errorf("err = %v, want errBoom", err)
	}
	equal(t, got, []int{1})
	_, err = run(failing(1).RecoverWith(func(error) source.Source[int] { return source.Failed[int](errOther) }))
	if err != errOther {
		t.Errorf("err = %v, want %v", err, errOther)
	}

	// No failure: f is not called. A Take satisfied by src: neither.
	equal(t, collect(t, source.Of(1).RecoverWith(func(error) source.Source[int] {
		t.Error("f called")
		return source.Empty[int]()
	})), []int{1})
	equal(t, collect(t, failing(1, 2).RecoverWith(func(error) source.Source[int] { return source.Of(9) }).Take(2)), []int{1, 2})
}

func TestRecoverErr(t *testing.T) {
	got := collect(t, failing(1, 2).RecoverErr(func(err error) (int, error) { return 9, nil }))
	equal(t, got, []int{1, 2, 9})

	errOther := errors.New("other")
	got, err := run(failing(1).RecoverErr(func(err error) (int, error) { return 0, errOther }))
	if err != errOther {
		t.Errorf("err = %v, want %v", err, errOther)
	}
	equal(t, got, []int{1})
	_, err = run(failing(1).RecoverErr(func(err error) (int, error) { return 0, err }))
	if err != errBoom {
		t.Errorf("err = %v, want errBoom as it is", err)
	}
}

func TestEndOnError(t *testing.T) {
	isBoom := func(err error) bool { return errors.Is(err, errBoom) }
	equal(t, collect(t, failing(1, 2).EndOnError(isBoom)), []int{1, 2})

	errOther := errors.New("other")
	got, err := run(source.Concat(source.Of(1), source.Failed[int](errOther)).EndOnError(isBoom))
	if err != errOther {
		t.Errorf("err = %v, want %v", err, errOther)
	}
	equal(t, got, []int{1})

	// A failure further down is not seen.
	_, err = run(source.MapErr(source.Of(1).EndOnError(isBoom), func(int) (int, error) { return 0, errBoom }))
	if err != errBoom {
		t.Errorf("err = %v, want errBoom", err)
	}
}

// TestRecoveryDoesNotHideCancellation: a cancelled run stays cancelled
// through RecoverWith, RecoverErr, EndOnError and Retry.
func TestRecoveryDoesNotHideCancellation(t *testing.T) {
	stages := map[string]func(source.Source[int]) source.Source[int]{
		"RecoverWith": func(s source.Source[int]) source.Source[int] {
			return s.RecoverWith(func(error) source.Source[int] { return source.Of(9) })
		},
		"RecoverErr": func(s source.Source[int]) source.Source[int] {
			return s.RecoverErr(func(error) (int, error) { return 9, nil })
		},
		"EndOnError": func(s source.Source[int]) source.Source[int] {
			return s.EndOnError(func(error) bool { return true })
		},
		"Retry": func(s source.Source[int]) source.Source[int] {
			return s.Retry(retry.WithBackOff(retry.Immediate()))
		},
	}
	for name, stage := range stages {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n := 0
			err := stage(source.Repeat(1)).RunForEach(ctx, func(int) error {
				if n++; n == 3 {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		})
	}
}

func TestOnComplete(t *testing.T) {
	var seen []error
	record := func(err error) { seen = append(seen, err) }

	equal(t, collect(t, source.Of(1, 2).OnComplete(record)), []int{1, 2})
	_, err := run(failing(1).OnComplete(record))
	equal(t, collect(t, source.Repeat(1).OnComplete(record).Take(2)), []int{1, 1})
	if err != errBoom || len(seen) != 3 || seen[0] != nil || seen[1] != errBoom || seen[2] != nil {
		t.Fatalf("err = %v, f saw %v; want errBoom, [nil boom nil]", err, seen)
	}

	// Cancelled: the context's error.
	seen = nil
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = source.Repeat(1).OnComplete(record).RunDrain(ctx)
	if !errors.Is(err, context.Canceled) || len(seen) != 1 || !errors.Is(seen[0], context.Canceled) {
		t.Errorf("err = %v, f saw %v; want context.Canceled", err, seen)
	}

	// Panicked: the *scope.PanicError, and the panic goes on.
	seen = nil
	pe := panicError(t, func() {
		_, _ = run(source.Map(source.Of(1), func(int) int { panic("boom") }).OnComplete(record))
	})
	var got *scope.PanicError
	if pe.Value != "boom" || len(seen) != 1 || !errors.As(seen[0], &got) || got.Value != "boom" {
		t.Errorf("panic %v, f saw %v", pe.Value, seen)
	}
}

// TestOnCompleteGoexit: a function of the upstream that calls
// runtime.Goexit (as t.FailNow does) reaches f as an error matching
// scope.ErrGoexit, and goes on exiting the goroutine.
func TestOnCompleteGoexit(t *testing.T) {
	var seen error
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			return source.Map(source.Of(1), func(v int) int {
				runtime.Goexit()
				return v
			}).OnComplete(func(err error) { seen = err }).RunDrain(ctx)
		})
		return nil
	})
	if !errors.Is(err, scope.ErrGoexit) || !errors.Is(seen, scope.ErrGoexit) {
		t.Errorf("scope: %v; f saw %v; want both to match scope.ErrGoexit", err, seen)
	}
}
