package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

type server struct {
	url    string
	cancel context.CancelFunc
	done   chan error
}

func startServer(t testing.TB) *server {
	t.Helper()
	return startServerWith(t, config{drain: 10 * time.Second})
}

func startServerWith(t testing.TB, cfg config) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &server{url: "ws://" + ln.Addr().String() + "/ws", cancel: cancel, done: make(chan error, 1)}
	go func() { srv.done <- run(ctx, ln, cfg, t.Logf) }()
	t.Cleanup(func() { srv.stop(t) })
	return srv
}

// stop shuts the server down and checks that run returns nil in time.
func (srv *server) stop(t testing.TB) {
	t.Helper()
	srv.cancel()
	select {
	case err, ok := <-srv.done:
		if ok {
			close(srv.done)
			if err != nil {
				t.Errorf("run = %v", err)
			}
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after shutdown")
	}
}

func dial(t testing.TB, ctx context.Context, srv *server) *websocket.Conn {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, srv.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return conn
}

// roundTrip sends msg and returns the reply.
func roundTrip(ctx context.Context, conn *websocket.Conn, msg string) (string, error) {
	if err := conn.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		return "", err
	}
	_, reply, err := conn.Read(ctx)
	return string(reply), err
}

func TestEchoUpperCase(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv := startServer(t)
	conn := dial(t, ctx, srv)
	for _, msg := range []string{"hello", "structured concurrency", "ÿé ok"} {
		got, err := roundTrip(ctx, conn, msg)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.ToUpper(msg); got != want {
			t.Errorf("reply = %q, want %q", got, want)
		}
	}
	// Pipelined: replies come back in order.
	for i := range 10 {
		if err := conn.Write(ctx, websocket.MessageText, fmt.Appendf(nil, "m%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		_, got, err := conn.Read(ctx)
		if want := fmt.Sprintf("M%d", i); err != nil || string(got) != want {
			t.Fatalf("reply %d = %q, %v; want %q", i, got, err, want)
		}
	}
	if err := conn.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Errorf("client Close = %v", err)
	}
}

func TestShutdownClosesConnectionsGoingAway(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srv := startServer(t)
	var conns []*websocket.Conn
	for range 5 {
		conn := dial(t, ctx, srv)
		if _, err := roundTrip(ctx, conn, "ping"); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
	}
	closed := make(chan error, len(conns))
	for _, conn := range conns {
		go func() {
			_, _, err := conn.Read(ctx) // answers the server's close frame
			closed <- err
		}()
	}
	srv.stop(t)
	for range conns {
		if err := <-closed; websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Errorf("client saw %v, want close status %v", err, websocket.StatusGoingAway)
		}
	}
	if _, _, err := websocket.Dial(ctx, srv.url, nil); err == nil {
		t.Error("dial after shutdown succeeded")
	}
}

func TestClientLeavesMidStream(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv := startServer(t)
	for range 20 {
		conn := dial(t, ctx, srv)
		for i := range 5 { // replies the client will never read
			_ = conn.Write(ctx, websocket.MessageText, fmt.Appendf(nil, "m%d", i))
		}
		conn.CloseNow()
	}
	conn := dial(t, ctx, srv) // the server still serves
	if got, err := roundTrip(ctx, conn, "still there?"); err != nil || got != "STILL THERE?" {
		t.Fatalf("roundTrip = %q, %v", got, err)
	}
	if err := conn.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Errorf("client Close = %v", err)
	}
}
