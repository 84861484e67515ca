package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// mainEnv makes the test binary run main instead of the tests, so that a
// test can send the real program a real signal (see signal_test.go).
const mainEnv = "CHAT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) != "" {
		main()
		return
	}
	goleak.VerifyTestMain(m)
}

// server is a chat server on a loopback port, run by run as main runs it.
type server struct {
	addr   string
	cancel context.CancelFunc
	done   chan error
	logs   *logs
}

type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, format)
}

func startServer(t *testing.T) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &server{addr: ln.Addr().String(), cancel: cancel, done: make(chan error, 1), logs: new(logs)}
	go func() { srv.done <- run(ctx, ln, srv.logs.printf) }()
	t.Cleanup(func() { srv.stop(t) })
	return srv
}

// stop shuts the server down and checks that run returns nil promptly.
func (srv *server) stop(t *testing.T) {
	t.Helper()
	srv.cancel()
	select {
	case err, ok := <-srv.done:
		if ok && err != nil {
			t.Errorf("run = %v", err)
		}
		if ok {
			close(srv.done)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after shutdown")
	}
}

// chatter is a test client.
type chatter struct {
	t     *testing.T
	conn  net.Conn
	lines *bufio.Reader
}

// join connects as name and waits for the hub's welcome, so that the hub
// has registered the client when join returns.
func join(t *testing.T, srv *server, name string) *chatter {
	t.Helper()
	conn, err := net.Dial("tcp", srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &chatter{t: t, conn: conn, lines: bufio.NewReader(conn)}
	c.expect("* your name?")
	c.say(name)
	if got := c.read(); !strings.HasPrefix(got, "* welcome "+name) {
		t.Fatalf("%s: got %q, want the welcome", name, got)
	}
	return c
}

func (c *chatter) say(text string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, text+"\n"); err != nil {
		c.t.Fatal(err)
	}
}

func (c *chatter) read() string {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := c.lines.ReadString('\n')
	if err != nil {
		c.t.Fatalf("read: %v (got %q)", err, line)
	}
	return strings.TrimSuffix(line, "\n")
}

func (c *chatter) expect(want string) {
	c.t.Helper()
	if got := c.read(); got != want {
		c.t.Fatalf("got %q, want %q", got, want)
	}
}

func (c *chatter) expectHangUp() {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := c.lines.ReadString('\n'); !errors.Is(err, io.EOF) {
		c.t.Fatalf("got %q, %v; want the server to hang up", line, err)
	}
}

func TestJoinAnnounced(t *testing.T) {
	srv := startServer(t)
	alice := join(t, srv, "alice")
	join(t, srv, "bob")
	alice.expect("* bob joined")
}

func TestMessagesFanOutToOthers(t *testing.T) {
	srv := startServer(t)
	alice := join(t, srv, "alice")
	bob := join(t, srv, "bob")
	alice.expect("* bob joined")
	carol := join(t, srv, "carol")
	alice.expect("* carol joined")
	bob.expect("* carol joined")

	alice.say("hi all")
	bob.expect("alice: hi all")
	carol.expect("alice: hi all")
	carol.say("hello alice")
	// alice's own line was not echoed back: the next one is carol's.
	alice.expect("carol: hello alice")
	bob.expect("carol: hello alice")
}

func TestLeaveAnnounced(t *testing.T) {
	srv := startServer(t)
	alice := join(t, srv, "alice")
	bob := join(t, srv, "bob")
	alice.expect("* bob joined")
	bob.conn.Close()
	alice.expect("* bob left")
	alice.say("anyone?") // the hub carries on
	carol := join(t, srv, "carol")
	alice.expect("* carol joined")
	carol.say("me")
	alice.expect("carol: me")
}

func TestShutdownSaysGoodbyeAndHangsUp(t *testing.T) {
	srv := startServer(t)
	alice := join(t, srv, "alice")
	bob := join(t, srv, "bob")
	alice.expect("* bob joined")
	// A connection still in the middle of joining, and one that sent
	// nothing at all, must not hold the shutdown.
	lurker, err := net.Dial("tcp", srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer lurker.Close()

	srv.stop(t)
	for _, c := range []*chatter{alice, bob} {
		c.expect("* server shutting down")
		c.expectHangUp()
	}
	if _, err := net.Dial("tcp", srv.addr); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}

func TestSlowClientIsDisconnected(t *testing.T) {
	srv := startServer(t)
	slow := join(t, srv, "slow")
	fast := join(t, srv, "fast")
	slow.expect("* fast joined")
	// slow stops reading; fast talks until slow's outbox and socket
	// buffers overflow and the hub drops slow.
	line := strings.Repeat("x", 4096)
	for range 2000 {
		fast.say(line)
		srv.logs.mu.Lock()
		dropped := len(srv.logs.lines) > 0 && strings.Contains(srv.logs.lines[len(srv.logs.lines)-1], "too slow")
		srv.logs.mu.Unlock()
		if dropped {
			return
		}
	}
	t.Skip("the socket buffers absorbed everything: nothing to test here")
}
