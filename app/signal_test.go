//go:build unix

package app_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corral-go/corral/app"
	"github.com/corral-go/corral/scope"
)

func init() {
	// Stops on SIGUSR1 only.
	programs["usr1"] = func() {
		app.Main(func(s *scope.Scope) error {
			s.Go(cancelled)
			ready()
			return nil
		}, app.WithName("usr1"), app.WithSignals(syscall.SIGUSR1))
	}
}

// process is a program of programs_test.go, run in a subprocess.
type process struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdout *bufio.Reader
	stderr *syncBuffer
	start  time.Time
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// start runs the program and waits until it prints "ready".
func start(t *testing.T, program string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), programEnv+"="+program,
		"GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0") // under -race, exit at once
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, cmd: cmd, stdout: bufio.NewReader(out), stderr: new(syncBuffer)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	p.expectLine("ready")
	p.start = time.Now()
	return p
}

// expectLine reads the next line of the program's standard output.
func (p *process) expectLine(want string) {
	p.t.Helper()
	line, err := p.stdout.ReadString('\n')
	if got := strings.TrimSuffix(line, "\n"); err != nil || got != want {
		p.t.Fatalf("stdout: got %q, %v; want %q (stderr: %s)", got, err, want, p.stderr)
	}
}

func (p *process) signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
}

// wait waits for the program to exit and returns its exit code, the rest of
// its standard output, and how long it ran after "ready".
func (p *process) wait() (code int, stdout string, took time.Duration) {
	p.t.Helper()
	rest, _ := io.ReadAll(p.stdout)
	err := p.cmd.Wait()
	took = time.Since(p.start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		p.t.Fatal(err)
	}
	if p.killedBy() != nil {
		p.t.Fatalf("killed by a signal: %v (stderr: %s)", p.cmd.ProcessState, p.stderr)
	}
	return p.cmd.ProcessState.ExitCode(), string(rest), took
}

// killedBy returns the signal that killed the exited program, or nil.
func (p *process) killedBy() os.Signal {
	if ws := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ws.Signaled() {
		return ws.Signal()
	}
	return nil
}

func (p *process) expectStderr(parts ...string) {
	p.t.Helper()
	for _, part := range parts {
		if !strings.Contains(p.stderr.String(), part) {
			p.t.Errorf("stderr lacks %q:\n%s", part, p.stderr)
		}
	}
}

func TestSubprocessCleanShutdown(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			p := start(t, "clean")
			p.signal(sig)
			code, out, _ := p.wait()
			if code != 0 {
				t.Errorf("exit code %d, want 0 (stderr: %s)", code, p.stderr)
			}
			if want := "cancelled by " + sig.String() + "\nreleased\n"; out != want {
				t.Errorf("stdout %q, want %q", out, want)
			}
			if want := "clean: received " + sig.String() + "; stopping (grace period 10s; a second signal exits at once)\n"; p.stderr.String() != want {
				t.Errorf("stderr %q, want only %q", p.stderr, want)
			}
		})
	}
}

func TestSubprocessStuckForkPastGrace(t *testing.T) {
	t.Parallel()
	p := start(t, "stuck")
	p.signal(syscall.SIGTERM)
	p.expectLine("cancelled")
	code, _, took := p.wait()
	if want := 128 + int(syscall.SIGTERM); code != want {
		t.Errorf("exit code %d, want %d (stderr: %s)", code, want, p.stderr)
	}
	if took < 900*time.Millisecond {
		t.Errorf("exited %v after the signal, before the grace period of 900ms", took)
	}
	p.expectStderr(
		// the stuck-fork report while it waits, at a third of the grace period
		"\ncorral: scope \"stuck\" cancelled ",
		" ago (cause: app: received signal terminated) still waits for 1 fork(s):\n",
		// the report at the forced exit
		"stuck: forced exit with code 143: grace period of 900ms after terminated ran out; still running:\n",
		"\tscope \"stuck\": ", // then its state, which scope defines
		"\t\tawaited fork github.com/corral-go/corral/app_test.stuckFork started at ",
		"programs_test.go:",
	)
}

func TestSubprocessSecondSignal(t *testing.T) {
	t.Parallel()
	p := start(t, "second")
	p.signal(syscall.SIGTERM)
	p.expectLine("cancelled") // the first signal has been handled
	p.signal(syscall.SIGINT)
	code, _, took := p.wait()
	if want := 128 + int(syscall.SIGINT); code != want {
		t.Errorf("exit code %d, want %d (stderr: %s)", code, want, p.stderr)
	}
	if took > time.Minute {
		t.Errorf("exited %v after the signals; the second should end it at once", took)
	}
	p.expectStderr(
		"second: received terminated; stopping (grace period 1h0m0s; a second signal exits at once)\n",
		"second: forced exit with code 130: second signal (interrupt) while stopping; still running:\n",
		"awaited fork github.com/corral-go/corral/app_test.stuckFork started at ",
	)
}

func TestSubprocessNoGrace(t *testing.T) {
	t.Parallel()
	p := start(t, "nograce")
	p.signal(syscall.SIGTERM)
	code, _, _ := p.wait()
	if want := 128 + int(syscall.SIGTERM); code != want {
		t.Errorf("exit code %d, want %d (stderr: %s)", code, want, p.stderr)
	}
	p.expectStderr("nograce: forced exit with code 143: grace period of 0s after terminated ran out")
}

func TestSubprocessPanicInBody(t *testing.T) {
	t.Parallel()
	p := start(t, "panic")
	code, _, _ := p.wait()
	if code != 2 {
		t.Errorf("exit code %d, want 2 (stderr: %s)", code, p.stderr)
	}
	p.expectStderr(`panic: panic in scope "panic": boom`, "github.com/corral-go/corral/app_test.panicInBody(", "programs_test.go:")
	if n := strings.Count(p.stderr.String(), "boom"); n != 1 {
		t.Errorf("the panic is printed %d times, want once:\n%s", n, p.stderr)
	}
}

func TestSubprocessErrorInBody(t *testing.T) {
	t.Parallel()
	p := start(t, "error")
	code, _, _ := p.wait()
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if want := "error: config file missing\n"; p.stderr.String() != want {
		t.Errorf("stderr %q, want %q", p.stderr, want)
	}
}

func TestSubprocessFailureWhileStopping(t *testing.T) {
	t.Parallel()
	p := start(t, "failstopping")
	p.signal(syscall.SIGTERM)
	code, _, _ := p.wait()
	if code != 1 {
		t.Errorf("exit code %d, want 1 (stderr: %s)", code, p.stderr)
	}
	p.expectStderr("failstopping: flush failed\n")
}

func TestSubprocessFailureThenStuckFork(t *testing.T) {
	t.Parallel()
	p := start(t, "failstuck")
	code, _, took := p.wait()
	if code != 1 {
		t.Errorf("exit code %d, want 1 (stderr: %s)", code, p.stderr)
	}
	if took < 300*time.Millisecond {
		t.Errorf("exited after %v, before the grace period of 300ms", took)
	}
	p.expectStderr(
		"failstuck: forced exit with code 1: grace period of 300ms after the root scope was cancelled (cause: lost the database) ran out; still running:\n",
		"awaited fork github.com/corral-go/corral/app_test.stuckFork started at ",
	)
}

func TestSubprocessWithSignals(t *testing.T) {
	t.Parallel()
	t.Run("chosen signal stops", func(t *testing.T) {
		t.Parallel()
		p := start(t, "usr1")
		p.signal(syscall.SIGUSR1)
		p.expectLine("cancelled")
		if code, _, _ := p.wait(); code != 0 {
			t.Errorf("exit code %d, want 0 (stderr: %s)", code, p.stderr)
		}
		p.expectStderr("usr1: received user defined signal 1; stopping")
	})
	t.Run("default signals no longer caught", func(t *testing.T) {
		t.Parallel()
		p := start(t, "usr1")
		p.signal(syscall.SIGTERM)
		_ = p.cmd.Wait()
		if sig := p.killedBy(); sig != syscall.SIGTERM {
			t.Errorf("program ended with %v, want it killed by SIGTERM (stderr: %s)", p.cmd.ProcessState, p.stderr)
		}
	})
}
