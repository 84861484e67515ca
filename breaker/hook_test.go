package breaker_test

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/breaker"
)

// TestHookMayCallTheBreaker: gobreaker reports a change with its lock held;
// the hook runs after it, so calling the breaker from it does not deadlock.
func TestHookMayCallTheBreaker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b *breaker.Breaker
		var seen []breaker.State
		b = breaker.New(afterFailures(1), breaker.OpenFor(time.Second), breaker.OnStateChange(func(tr breaker.Transition) {
			seen = append(seen, b.State())
			_ = b.Counts()
		}))
		_ = b.Do(t.Context(), fail)
		time.Sleep(2 * time.Second)
		_ = b.Do(t.Context(), succeed)
		// Changes are reported in order; the state the hook reads is the
		// state when it runs.
		if want := []breaker.State{breaker.Open, breaker.HalfOpen, breaker.Closed}; !slices.Equal(seen, want) {
			t.Errorf("hook saw states %v, want %v", seen, want)
		}
	})
}

// TestHookOrderUnderConcurrency hammers a breaker that flips often from
// many goroutines: every change is reported exactly once, in order (each
// starts where the last one ended), and never two hooks at once.
func TestHookOrderUnderConcurrency(t *testing.T) {
	var mu sync.Mutex
	running := 0
	var got []breaker.Transition
	b := breaker.New(breaker.Name("dep"), afterFailures(1), breaker.OpenFor(time.Microsecond),
		breaker.OnStateChange(func(tr breaker.Transition) {
			mu.Lock()
			running++
			if running > 1 {
				t.Error("two hooks ran at once")
			}
			got = append(got, tr)
			mu.Unlock()
			mu.Lock()
			running--
			mu.Unlock()
		}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				if (i+g)%3 == 0 {
					_ = b.Do(context.Background(), fail)
				} else {
					_ = b.Do(context.Background(), succeed)
				}
			}
		})
	}
	wg.Wait()
	_ = b.State() // deliver whatever is left
	if len(got) == 0 {
		t.Fatal("no transitions reported")
	}
	prev := breaker.Closed
	for i, tr := range got {
		if tr.From != prev || tr.From == tr.To {
			t.Fatalf("transition %d is %v -> %v after one that ended in %v", i, tr.From, tr.To, prev)
		}
		prev = tr.To
	}
}

// TestHookPanicDoesNotStopReports: the panic reaches the caller, and later
// changes are still reported.
func TestHookPanicDoesNotStopReports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rec recorder
		first := true
		b := breaker.New(breaker.Name("dep"), afterFailures(1), breaker.OpenFor(time.Second),
			breaker.OnStateChange(func(tr breaker.Transition) {
				if first {
					first = false
					panic("hook failed")
				}
				rec.hook(tr)
			}))
		if v := panicValue(func() { _ = b.Do(t.Context(), fail) }); v != "hook failed" {
			t.Fatalf("panic %v, want the hook's", v)
		}
		time.Sleep(2 * time.Second)
		_ = b.State()
		if want := []breaker.Transition{tr(breaker.Open, breaker.HalfOpen)}; !slices.Equal(rec.got(), want) {
			t.Errorf("after the panic the hook saw %v, want %v", rec.got(), want)
		}
	})
}

func TestWithLogger(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			},
		}))
		var rec recorder
		b := breaker.New(breaker.Name("dep"), afterFailures(1), breaker.OpenFor(time.Second),
			breaker.WithLogger(logger), breaker.OnStateChange(rec.hook))
		_ = b.Do(t.Context(), fail)
		time.Sleep(2 * time.Second)
		_ = b.Do(t.Context(), succeed)
		want := `level=WARN msg="breaker state changed" breaker=dep from=closed to=open
level=INFO msg="breaker state changed" breaker=dep from=open to=half-open
level=INFO msg="breaker state changed" breaker=dep from=half-open to=closed
`
		if buf.String() != want {
			t.Errorf("log:\n%s\nwant:\n%s", buf.String(), want)
		}
		if len(rec.got()) != 3 {
			t.Errorf("the hook saw %v, want the same 3 changes", rec.got())
		}
	})
}

func TestMisusePanics(t *testing.T) {
	var nilCtx context.Context
	var nilBreaker *breaker.Breaker
	b := breaker.New()
	const passCtx = "; pass context.Background() or the caller's context"
	tests := []struct {
		name string
		give func()
		want string
	}{
		{"Do nil ctx", func() { _ = b.Do(nilCtx, succeed) }, "breaker: Do called with nil ctx" + passCtx},
		{"Value nil ctx", func() { _, _ = breaker.Value(nilCtx, b, func(context.Context) (int, error) { return 0, nil }) },
			"breaker: Value called with nil ctx" + passCtx},
		{"Do nil f", func() { _ = b.Do(t.Context(), nil) }, "breaker: Do called with nil f; pass the call to protect"},
		{"Value nil f", func() { _, _ = breaker.Value[int](t.Context(), b, nil) }, "breaker: Value called with nil f; pass the call to protect"},
		{"Do nil Breaker", func() { _ = nilBreaker.Do(t.Context(), succeed) }, "breaker: Do called on a nil Breaker; create one with breaker.New"},
		{"Value nil Breaker", func() { _, _ = breaker.Value(t.Context(), nil, func(context.Context) (int, error) { return 0, nil }) },
			"breaker: Value called with nil Breaker; create one with breaker.New"},
		{"nil Option", func() { breaker.New(nil) }, "breaker: nil Option; leave it out, or pass one built by this package"},
		{"TrialCalls(0)", func() { breaker.TrialCalls(0) }, "breaker: TrialCalls called with 0; pass a number from 1 to 4294967295"},
		{"TrialCalls too many", func() { breaker.TrialCalls(math.MaxUint32 + 1) }, "breaker: TrialCalls called with 4294967296; pass a number from 1 to 4294967295"},
		{"OpenFor(0)", func() { breaker.OpenFor(0) }, "breaker: OpenFor called with 0s; pass a positive duration"},
		{"Window(0, 1)", func() { breaker.Window(0, 1) }, "breaker: Window called with 0s and 1 buckets; pass a positive duration and at least 1 bucket"},
		{"Window(1s, 0)", func() { breaker.Window(time.Second, 0) }, "breaker: Window called with 1s and 0 buckets; pass a positive duration and at least 1 bucket"},
		{"TripIf(nil)", func() { breaker.TripIf(nil) }, "breaker: TripIf called with nil trip; pass a func(breaker.Counts) bool"},
		{"FailureIf(nil)", func() { breaker.FailureIf(nil) }, "breaker: FailureIf called with nil isFailure; pass a func(error) bool"},
		{"OnStateChange(nil)", func() { breaker.OnStateChange(nil) }, "breaker: OnStateChange called with nil hook; pass a func(breaker.Transition)"},
		{"WithLogger(nil)", func() { breaker.WithLogger(nil) }, "breaker: WithLogger called with nil Logger; pass one, such as slog.Default()"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panicValue(tt.give); got != tt.want {
				t.Errorf("panic = %v, want %q", got, tt.want)
			}
		})
	}
}
