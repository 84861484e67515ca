package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

// inboxSize bounds the messages read from a client and not yet answered:
// a client that sends faster than its pipeline answers waits for it.
const inboxSize = 16

// shutdownTimeout bounds how long a shutdown waits for plain HTTP requests.
const shutdownTimeout = 10 * time.Second

// run serves WebSocket echo on ln, at /ws, until ctx ends; then it shuts
// down gracefully and returns once every goroutine it started, and every
// handler net/http started for it, has returned. run takes ownership of ln.
func run(ctx context.Context, ln net.Listener, logf func(format string, args ...any)) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		e := &echo{d: dispatcher.New(s), logf: logf}
		mux := http.NewServeMux()
		mux.Handle("/ws", e)
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		s.Go(func(ctx context.Context) error {
			<-ctx.Done()
			// Stop accepting, and wait for plain HTTP requests. The
			// WebSocket connections are hijacked, so net/http does not
			// track them: the end of the server's scope cancels their
			// pipelines, which close them, which ends their handlers.
			shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
			defer cancel()
			err := srv.Shutdown(shutdownCtx)
			if err != nil {
				err = errors.Join(err, srv.Close())
			}
			e.handlers.Wait()
			return err
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
	logf     func(format string, args ...any)
	handlers sync.WaitGroup // running ServeHTTP calls, which net/http does not await for us
}

// ServeHTTP is called by net/http on a goroutine of its own: it is the
// callback side. It accepts the WebSocket, hands the connection's pipeline
// to the dispatcher, and turns the messages it reads into channel values for
// that pipeline, until the client or the pipeline ends the connection.
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
		return pipeline(s, conn, in)
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
	for {
		_, msg, err := conn.Read(r.Context())
		if err != nil {
			break // the client left, or the pipeline closed the connection
		}
		if err := in.Send(r.Context(), string(msg)); err != nil {
			break // the pipeline has ended
		}
	}
	_ = in.Close() // the pipeline answers what it has, then ends
	<-ended
}

// pipeline answers the messages of one connection, in its own scope under
// the server's: it runs until in is closed by the handler, or until the
// server's end cancels the scope, and then closes the connection.
func pipeline(s *scope.Scope, conn *websocket.Conn, in *channel.Chan[string]) error {
	defer in.Close() // a handler still sending learns that nobody listens
	ctx := s.Context()
	err := source.Map(source.FromChannel(in), strings.ToUpper).
		RunForEach(ctx, func(msg string) error {
			return conn.Write(ctx, websocket.MessageText, []byte(msg))
		})
	switch {
	case ctx.Err() != nil: // the server is shutting down
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
