package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corral-go/corral/app"
	"github.com/corral-go/corral/scope"
)

// runBody runs body with app.Run in this process and returns the exit code
// and what Run printed.
func runBody(t *testing.T, body func(s *scope.Scope) error, opts ...app.Option) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := app.Run(body, append([]app.Option{app.WithName("test"), app.WithOutput(&out)}, opts...)...)
	return code, out.String()
}

func TestRunBodyReturnsNil(t *testing.T) {
	ran := false
	code, out := runBody(t, func(s *scope.Scope) error {
		s.Go(func(context.Context) error { ran = true; return nil })
		return nil
	})
	if code != app.ExitOK || out != "" || !ran {
		t.Errorf("Run = %d, printed %q, fork ran %v; want 0, nothing, true", code, out, ran)
	}
}

func TestRunBodyFails(t *testing.T) {
	code, out := runBody(t, func(s *scope.Scope) error { return errors.New("config file missing") })
	if code != app.ExitFailure || out != "test: config file missing\n" {
		t.Errorf("Run = %d, printed %q; want 1, the error once", code, out)
	}
}

func TestRunFailuresPrintedOnce(t *testing.T) {
	first := errors.New("first")
	code, out := runBody(t, func(s *scope.Scope) error {
		s.Go(func(context.Context) error { return first })
		s.Go(func(ctx context.Context) error {
			<-ctx.Done()
			return errors.New("second") // not an echo: attached to the first
		})
		return nil
	})
	if code != app.ExitFailure || out != "test: first\nsecond\n" {
		t.Errorf("Run = %d, printed %q; want 1, both failures in one report", code, out)
	}
}

func TestRunCancellationWithoutSignalIsAFailure(t *testing.T) {
	code, out := runBody(t, func(s *scope.Scope) error { return context.Canceled })
	if code != app.ExitFailure || out != "test: context canceled\n" {
		t.Errorf("Run = %d, printed %q; want 1: no signal asked the program to stop", code, out)
	}
}

func TestRunPanicInFork(t *testing.T) {
	code, out := runBody(t, func(s *scope.Scope) error {
		s.Go(func(context.Context) error { panicInFork(); return nil })
		return nil
	})
	if code != app.ExitPanic {
		t.Errorf("Run = %d, want %d", code, app.ExitPanic)
	}
	for _, want := range []string{`test: panic in scope "test": fork boom`, "app_test.panicInFork(", "app_test.go:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func panicInFork() { panic("fork boom") }

func TestRunGoexitInBody(t *testing.T) {
	code, out := runBody(t, func(s *scope.Scope) error {
		runtime.Goexit()
		return nil
	})
	if code != app.ExitFailure || !strings.Contains(out, scope.ErrGoexit.Error()) {
		t.Errorf("Run = %d, printed %q; want 1 and %v", code, out, scope.ErrGoexit)
	}
}

// A failure cancels the root scope, and a fork that ignores it cannot keep
// the program from ending: after the grace period, Run returns and leaves
// the fork running.
func TestRunForcedExitAfterFailureLeavesForks(t *testing.T) {
	release, left := make(chan struct{}), make(chan struct{})
	code, out := runBody(t, func(s *scope.Scope) error {
		s.Go(func(context.Context) error {
			<-release // ignores ctx
			close(left)
			return nil
		})
		return errors.New("lost the database")
	}, app.WithGrace(90*time.Millisecond))
	select {
	case <-left:
		t.Fatal("the fork ended before Run returned")
	default:
	}
	close(release)
	<-left // the abandoned fork ends when released; goleak checks the rest
	if code != app.ExitFailure {
		t.Errorf("Run = %d, want %d", code, app.ExitFailure)
	}
	for _, want := range []string{
		`corral: scope "test" cancelled `, // the stuck-fork report, at a third of the grace period
		"test: forced exit with code 1: grace period of 90ms after the root scope was cancelled (cause: lost the database) ran out; still running:\n",
		"\tscope \"test\": ", // then its state, which scope defines
		"\t\tawaited fork github.com/corral-go/corral/app_test.TestRunForcedExitAfterFailureLeavesForks.func1.1 started at ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if i := strings.Index(out, "test: forced exit"); strings.Contains(out[i:], "corral: ") {
		t.Errorf("output:\n%s\nwant nothing after the forced-exit report", out)
	}
	if strings.Contains(out, "test: lost the database") {
		t.Errorf("output:\n%s\nwant the failure only as the cause in the reports", out)
	}
}

func TestRunForcedExitAfterPanic(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	code, out := runBody(t, func(s *scope.Scope) error {
		s.Go(func(context.Context) error { <-release; return nil })
		panic("boom")
	}, app.WithGrace(30*time.Millisecond))
	if code != app.ExitPanic || !strings.Contains(out, "test: forced exit with code 2: ") {
		t.Errorf("Run = %d, printed:\n%s\nwant 2 and a forced exit", code, out)
	}
}

// The normal end cancels daemon forks; one that does not stop forces the
// exit after the grace period too.
func TestRunStuckDaemonAtNormalEnd(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	code, out := runBody(t, func(s *scope.Scope) error {
		s.GoDaemon(func(context.Context) error { <-release; return nil })
		return nil
	}, app.WithGrace(30*time.Millisecond))
	want := "test: forced exit with code 1: grace period of 30ms after the root scope was cancelled (cause: scope: ended) ran out"
	if code != app.ExitFailure || !strings.Contains(out, want) {
		t.Errorf("Run = %d, printed:\n%s\nwant 1 and %q", code, out, want)
	}
}

// recordHandler keeps the records logged to it.
type recordHandler struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recordHandler) WithGroup(string) slog.Handler            { return h }
func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r)
	return nil
}

func TestRunWithLogger(t *testing.T) {
	boom := errors.New("boom")
	h := new(recordHandler)
	var out bytes.Buffer
	code := app.Run(func(s *scope.Scope) error { return fmt.Errorf("serve: %w", boom) },
		app.WithName("test"), app.WithOutput(&out), app.WithLogger(slog.New(h)))
	if code != app.ExitFailure || out.Len() != 0 {
		t.Fatalf("Run = %d, printed %q; want 1 and nothing printed", code, out.String())
	}
	if len(h.records) != 1 {
		t.Fatalf("%d records, want 1", len(h.records))
	}
	r := h.records[0]
	attrs := map[string]slog.Value{}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value; return true })
	if r.Level != slog.LevelError || r.Message != "app: failed" || attrs["scope"].String() != "test" {
		t.Errorf("record %v %q %v, want an error record with the scope's name", r.Level, r.Message, attrs)
	}
	if err, ok := attrs["err"].Any().(error); !ok || !errors.Is(err, boom) {
		t.Errorf("err attribute %v, want the error itself", attrs["err"])
	}
}

func TestOnlyCancellation(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		give error
		want bool
	}{
		{"nil", nil, false},
		{"canceled", context.Canceled, true},
		{"wrapped", fmt.Errorf("serve: %w", context.Canceled), true},
		{"signal", &app.SignalError{Signal: syscall.SIGTERM}, true},
		{"scope ended", scope.ErrScopeEnded, true},
		{"join of echoes", errors.Join(context.Canceled, fmt.Errorf("x: %w", scope.ErrScopeEnded)), true},
		{"join with a failure", errors.Join(context.Canceled, boom), false},
		{"wrapped join with a failure", fmt.Errorf("run: %w", errors.Join(context.Canceled, boom)), false},
		{"deadline", context.DeadlineExceeded, false},
		{"failure", boom, false},
	}
	for _, tt := range tests {
		if got := app.OnlyCancellation(tt.give); got != tt.want {
			t.Errorf("%s: onlyCancellation(%v) = %v, want %v", tt.name, tt.give, got, tt.want)
		}
	}
}

func TestSignalError(t *testing.T) {
	var err error = &app.SignalError{Signal: syscall.SIGTERM}
	if !errors.Is(err, context.Canceled) {
		t.Error("a SignalError does not match context.Canceled")
	}
	if want := "app: received signal terminated"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	var se *app.SignalError
	if !errors.As(fmt.Errorf("serve: %w", err), &se) || se.Signal != syscall.SIGTERM {
		t.Errorf("errors.As found %v, want the signal", se)
	}
}

func TestBadInput(t *testing.T) {
	body := func(*scope.Scope) error { return nil }
	tests := []struct {
		name string
		call func()
		want string
	}{
		{"Run nil body", func() { app.Run(nil) }, "app: Run called with nil body; "},
		{"Main nil body", func() { app.Main(nil) }, "app: Main called with nil body; "},
		{"negative grace", func() { app.WithGrace(-time.Second) }, "app: WithGrace called with negative grace -1s; "},
		{"no signals", func() { app.WithSignals() }, "app: WithSignals called with no signals; "},
		{"nil signal", func() { app.WithSignals(nil) }, "app: WithSignals called with <nil> of type <nil>, which is not a syscall.Signal; "},
		{"foreign signal", func() { app.WithSignals(fakeSignal{}) }, "app: WithSignals called with fake of type app_test.fakeSignal, which is not a syscall.Signal; "},
		{"kill", func() { app.WithSignals(os.Kill) }, "app: WithSignals called with killed, which a program cannot catch; "},
		{"nil logger", func() { app.WithLogger(nil) }, "app: WithLogger called with nil logger; "},
		{"empty name", func() { app.WithName("") }, "app: WithName called with an empty name; "},
		{"nil monitor", func() { app.WithMonitor(nil) }, "app: WithMonitor called with nil monitor; "},
		{"bad option through Run", func() { app.Run(body, app.WithGrace(-1)) }, "app: WithGrace called with negative grace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, tt.want) {
					t.Errorf("panic %q, want one starting with %q", msg, tt.want)
				}
			}()
			tt.call()
		})
	}
}

type fakeSignal struct{}

func (fakeSignal) String() string { return "fake" }
func (fakeSignal) Signal()        {}

// WithMonitor registers the root scope with the caller's monitor.
func TestWithMonitor(t *testing.T) {
	m := scope.NewMonitor()
	var names []string
	code, _ := runBody(t, func(s *scope.Scope) error {
		for _, si := range m.Snapshot() {
			names = append(names, si.Name)
		}
		return nil
	}, app.WithMonitor(m))
	if code != app.ExitOK || len(names) != 1 || names[0] != `scope "test"` {
		t.Errorf("Run = %d, monitor saw %q; want 0 and the root scope", code, names)
	}
}

// The default name is the program's.
func TestDefaultName(t *testing.T) {
	var out bytes.Buffer
	app.Run(func(*scope.Scope) error { return errors.New("boom") }, app.WithOutput(&out))
	if want := filepath.Base(os.Args[0]) + ": boom\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
}
