//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// program is wsecho itself, run in a subprocess (the test binary runs main
// when mainEnv is set), so that it gets a real signal.
type program struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
}

func startProgram(t *testing.T, args ...string) *program {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), mainEnv+"=1",
		"GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0") // under -race, exit at once
	p := &program{t: t, cmd: cmd, stderr: new(bytes.Buffer)}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "wsecho: listening on ")
	if err != nil || !ok {
		t.Fatalf("first line %q, %v; want the address", line, err)
	}
	p.url = url
	return p
}

// wait waits for the program to exit and returns its exit code.
func (p *program) wait() int {
	p.t.Helper()
	err := p.cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		p.t.Fatal(err)
	}
	if ws := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ws.Signaled() {
		p.t.Fatalf("killed by %v; stderr:\n%s", ws.Signal(), p.stderr)
	}
	return p.cmd.ProcessState.ExitCode()
}

// talker is a client in mid-conversation: it sends numbered messages one
// after another without waiting for the replies, up to window messages
// ahead of them, and reads the replies.
type talker struct {
	conn    *websocket.Conn
	id      int
	sent    int      // messages whose Write returned nil
	replies []string // in the order received
	end     error    // what ended the reads
}

// talk connects n talkers and returns once each has received warm replies.
func talk(ctx context.Context, t *testing.T, url string, n, warm int) (talkers []*talker, done func()) {
	t.Helper()
	var wg sync.WaitGroup
	var warmed sync.WaitGroup
	for i := range n {
		conn, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetReadLimit(1 << 10)
		c := &talker{conn: conn, id: i}
		talkers = append(talkers, c)
		warmed.Add(1)
		ahead := make(chan struct{}, window) // a token per message not yet answered
		readsEnded := make(chan struct{})
		wg.Go(func() {
			for j := 0; ; j++ {
				select {
				case ahead <- struct{}{}:
				case <-readsEnded:
					return
				}
				if err := conn.Write(ctx, websocket.MessageText, fmt.Appendf(nil, "client %d message %d", i, j)); err != nil {
					return // the server closed the connection
				}
				c.sent++
			}
		})
		wg.Go(func() {
			defer close(readsEnded)
			defer func() {
				if len(c.replies) < warm {
					warmed.Done()
				}
			}()
			for {
				_, reply, err := conn.Read(ctx)
				if err != nil {
					c.end = err
					return
				}
				<-ahead
				c.replies = append(c.replies, string(reply))
				if len(c.replies) == warm {
					warmed.Done()
				}
			}
		})
	}
	warmed.Wait()
	return talkers, func() {
		wg.Wait()
		for _, c := range talkers {
			c.conn.CloseNow()
		}
	}
}

// window is how many messages a talker sends ahead of the replies: more
// than the server's inbox holds, so that inboxes are full.
const window = 2 * inboxSize

// drainLine is what the server prints once drained.
var drainLine = regexp.MustCompile(`drained in (\S+): (\d+) connections, (\d+) messages accepted \((\d+) not yet answered at the signal\), (\d+) answered`)

type drainReport struct {
	took                                    time.Duration
	conns, accepted, pendingAtSig, answered int
}

func parseDrain(t *testing.T, stderr string) drainReport {
	t.Helper()
	m := drainLine.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no drain report in stderr:\n%s", stderr)
	}
	var r drainReport
	r.took, _ = time.ParseDuration(m[1])
	for i, p := range []*int{&r.conns, &r.accepted, &r.pendingAtSig, &r.answered} {
		*p, _ = strconv.Atoi(m[i+2])
	}
	return r
}

// TestDrainOnSIGTERM runs wsecho with clients in mid-conversation (each
// sends without waiting for replies, and every answer takes 2ms of work, so
// inboxes are full) and sends it SIGTERM. Every message the server accepted
// before the signal must be answered: each client receives, in order, the
// replies to a prefix of what it sent, then close status 1001; the number
// of replies received is what the server accepted; the exit code is 0.
//
// WSECHO_DRAIN_CLIENTS sets the number of clients (20 by default).
func TestDrainOnSIGTERM(t *testing.T) {
	clients := 20
	if n, err := strconv.Atoi(os.Getenv("WSECHO_DRAIN_CLIENTS")); err == nil && n > 0 {
		clients = n
	}
	raiseFileLimit(t, uint64(clients+256))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := startProgram(t, "-work", "2ms", "-grace", "30s")
	talkers, done := talk(ctx, t, p.url, clients, 5)

	signalled := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done()
	code := p.wait()
	exited := time.Since(signalled)
	if code != 0 {
		t.Errorf("exit code %d, want 0; stderr:\n%s", code, p.stderr)
	}

	received, sent := 0, 0
	for _, c := range talkers {
		for k, reply := range c.replies {
			if want := fmt.Sprintf("CLIENT %d MESSAGE %d", c.id, k); reply != want {
				t.Fatalf("client %d: reply %d is %q, want %q", c.id, k, reply, want)
			}
		}
		if websocket.CloseStatus(c.end) != websocket.StatusGoingAway {
			t.Errorf("client %d: reads ended with %v, want close status %v", c.id, c.end, websocket.StatusGoingAway)
		}
		received += len(c.replies)
		sent += c.sent
	}
	r := parseDrain(t, p.stderr.String())
	if r.conns != clients || r.accepted != received || r.answered != received {
		t.Errorf("server: %d connections, %d accepted, %d answered; clients: %d, %d replies received",
			r.conns, r.accepted, r.answered, clients, received)
	}
	if r.pendingAtSig == 0 {
		t.Errorf("nothing was waiting for an answer at the signal: the test drained nothing")
	}
	t.Logf("SIGTERM with %d clients in mid-conversation: %d messages sent, %d accepted, %d of them not yet answered at the signal; %d answered and received; drained in %v; exit code %d %v after the signal",
		clients, sent, r.accepted, r.pendingAtSig, received, r.took, code, exited.Round(time.Millisecond))
}

// TestDrainDeadline gives the drain less time than the accepted messages
// need: at the deadline the pipelines still answering are cancelled, the
// clients see close status 1001, and the exit code says the drain failed.
func TestDrainDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Each answer takes 300ms; the drain gets 1s, for inboxes holding up
	// to 16 messages. The grace period leaves ample time to cancel.
	p := startProgram(t, "-work", "300ms", "-drain", "1s", "-grace", "30s")
	talkers, done := talk(ctx, t, p.url, 3, 1)

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done()
	if code := p.wait(); code != 1 {
		t.Errorf("exit code %d, want 1; stderr:\n%s", code, p.stderr)
	}
	for _, c := range talkers {
		if websocket.CloseStatus(c.end) != websocket.StatusGoingAway {
			t.Errorf("client %d: reads ended with %v, want close status %v", c.id, c.end, websocket.StatusGoingAway)
		}
	}
	r := parseDrain(t, p.stderr.String())
	if r.answered >= r.accepted {
		t.Errorf("%d accepted, %d answered: want the deadline to cut the drain short", r.accepted, r.answered)
	}
	if want := "wsecho: drain: context deadline exceeded"; !strings.Contains(p.stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, p.stderr)
	}
}
