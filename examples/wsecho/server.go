package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
	"github.com/corral-go/corral/timeout"
)

// inboxSize bounds the messages read from a client and not yet answered:
// a client that sends faster than its pipeline answers waits for it.
const inboxSize = 16

// config holds what main's flags set.
type config struct {
	drain time.Duration // how long a shutdown waits for accepted messages to be answered
	work  time.Duration // simulated work before each answer (0: none)
}

// run serves WebSocket echo on ln, at /ws, until stop ends. Then it drains:
// it stops accepting connections and messages, answers every message it had
// accepted, closes each connection with status 1001 (going away), and
// returns once every goroutine it started, and every handler net/http
// started for it, has returned. Answers still pending after cfg.drain are
// cancelled, and run reports the drain's deadline as its error. run takes
// ownership of ln.
//
// The server's work runs in a scope of its own whose context keeps stop's
// values but not its cancellation: the signal that ends stop must not
// cancel the pipelines before they have answered what they accepted
// (docs/lifecycle.md, "Where draining work lives").
func run(stop context.Context, ln net.Listener, cfg config, logf func(format string, args ...any)) error {
	return scope.Supervised(context.WithoutCancel(stop), func(s *scope.Scope) error {
		e := &echo{d: dispatcher.New(s), stop: stop, work: cfg.work, logf: logf}
		mux := http.NewServeMux()
		mux.Handle("/ws", e)
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		s.Go(func(ctx context.Context) error {
			<-stop.Done()
			return e.drain(ctx, srv, cfg.drain)
		})
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}, scope.WithName("wsecho server"))
}

// echo is the WebSocket handler.
type echo struct {
	d        *dispatcher.Dispatcher
	stop     context.Context // ends when the server stops accepting
	work     time.Duration
	logf     func(format string, args ...any)
	handlers sync.WaitGroup // running ServeHTTP calls, which net/http does not await for us

	conns    atomic.Int64 // connections whose pipeline was accepted
	accepted atomic.Int64 // messages handed to a pipeline
	answered atomic.Int64 // replies written
}

// drain stops the server once stop has ended: new connections, new messages
// and new pipelines are refused, and the pipelines answer what they had
// accepted, within limit.
func (e *echo) drain(ctx context.Context, srv *http.Server, limit time.Duration) error {
	began := time.Now()
	pending := e.accepted.Load() - e.answered.Load()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	// Stop accepting connections, and wait for plain HTTP requests. The
	// WebSocket connections are hijacked, so net/http does not track
	// them: each handler stopped reading when stop ended (see ServeHTTP).
	err := srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, srv.Close())
	}
	// Every pipeline answers its inbox, closes its connection and ends;
	// at the deadline the ones still answering are cancelled.
	if derr := e.d.Shutdown(ctx); derr != nil {
		err = errors.Join(err, fmt.Errorf("drain: %w", derr))
	}
	e.handlers.Wait()
	e.logf("drained in %v: %d connections, %d messages accepted (%d not yet answered at the signal), %d answered",
		time.Since(began).Round(time.Millisecond), e.conns.Load(), e.accepted.Load(), pending, e.answered.Load())
	return err
}

// ServeHTTP is called by net/http on a goroutine of its own: it is the
// callback side. It accepts the WebSocket, hands the connection's pipeline
// to the dispatcher, and turns the messages it reads into channel values for
// that pipeline, until the client or the pipeline ends the connection, or
// the server stops accepting.
func (e *echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.handlers.Add(1)
	defer e.handlers.Done()
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept has answered the request
	}
	defer conn.CloseNow()

	in := channel.New[string](inboxSize)
	ended := make(chan struct{})
	end := sync.OnceFunc(func() { close(ended) })
	err = e.d.RunAsync(func(s *scope.Scope) error {
		defer end()
		return e.pipeline(s, conn, in)
	}, func(err error) {
		if errors.Is(err, dispatcher.ErrClosed) {
			end() // dropped before it started: shutting down
		} else {
			e.logf("connection from %s: %v", r.RemoteAddr, err)
		}
	})
	if err != nil { // dispatcher closed: shutting down
		conn.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	e.conns.Add(1)
	// Stop accepting messages when the server stops: the pipeline still
	// answers the ones in the inbox. (Cancelling the Read below instead
	// would close the connection before the answers are out.)
	stopAccepting := context.AfterFunc(e.stop, func() { _ = in.Close() })
	defer stopAccepting()
	for {
		_, msg, err := conn.Read(r.Context())
		if err != nil {
			break // the client left, or the pipeline closed the connection
		}
		if err := in.Send(r.Context(), string(msg)); err != nil {
			break // the server stopped accepting, or the pipeline has ended
		}
		e.accepted.Add(1)
	}
	_ = in.Close() // the pipeline answers what it has, then ends
	<-ended
}

// pipeline answers the messages of one connection, in its own scope under
// the server's: it runs until in is closed (by the handler when the client
// leaves or the server stops accepting) and drained, or until its scope is
// cancelled (the drain's deadline). Then, if the server is stopping, it
// closes the connection as going away.
func (e *echo) pipeline(s *scope.Scope, conn *websocket.Conn, in *channel.Chan[string]) error {
	defer in.Close() // a handler still sending learns that nobody listens
	ctx := s.Context()
	err := source.Map(source.FromChannel(in), strings.ToUpper).
		RunForEach(ctx, func(msg string) error {
			if e.work > 0 {
				if err := timeout.Sleep(ctx, e.work); err != nil {
					return err
				}
			}
			if err := conn.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
				return err
			}
			e.answered.Add(1)
			return nil
		})
	switch {
	case ctx.Err() != nil || (err == nil && e.stop.Err() != nil): // the server is stopping
		_ = conn.Close(websocket.StatusGoingAway, "server shutting down")
		return nil
	case clientGone(err):
		return nil // the client left while answers were on their way
	}
	// Otherwise the handler closed in because the client left: the
	// connection is closed already, and the handler releases it.
	return err
}

// clientGone reports whether err only says that the client has gone: the
// connection was closed, by a close frame or abruptly.
func clientGone(err error) bool {
	var opErr *net.OpError
	return errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &opErr) ||
		websocket.CloseStatus(err) != -1
}
