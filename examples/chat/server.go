package main

import (
	"bufio"
	"context"
	"net"
	"strings"
	"time"

	"github.com/corral-go/corral/scope"
)

// writeTimeout bounds each write to a client, so that a client that stops
// reading cannot hold a connection's goroutines, or a shutdown, for long.
const writeTimeout = 5 * time.Second

// run serves the chat on ln until ctx ends, then shuts down gracefully: it
// stops accepting, says goodbye to every client, and returns once every
// connection is closed and every goroutine it started has returned. run
// takes ownership of ln and closes it. logf receives the server's log lines.
func run(ctx context.Context, ln net.Listener, logf func(format string, args ...any)) error {
	h := newHub(logf)
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		s.Go(h.run)
		s.Go(func(ctx context.Context) error { return accept(ctx, s, ln, h) })
		return nil
	}, scope.WithName("chat server"))
}

// accept accepts connections until ctx ends, serving each in a fork of s.
func accept(ctx context.Context, s *scope.Scope, ln net.Listener, h *hub) error {
	defer ln.Close()
	stop := context.AfterFunc(ctx, func() { ln.Close() }) // unblocks Accept
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		s.Go(func(ctx context.Context) error {
			serve(ctx, conn, h)
			return nil // one connection's trouble is not the server's
		})
	}
}

// serve runs one connection: its first line is the client's name; then its
// reads become messages to the hub, while a writer fork drains the client's
// outbox to the connection.
func serve(ctx context.Context, conn net.Conn, h *hub) {
	defer conn.Close()
	lines := bufio.NewScanner(conn)
	c := &client{outbox: newOutbox()}
	if !greet(ctx, conn, lines, c) {
		return
	}
	if err := h.joins.Send(ctx, c); err != nil {
		return // shutting down
	}
	_ = scope.Supervised(ctx, func(s *scope.Scope) error {
		// The writer ends when the hub closes the outbox (the client left,
		// was dropped, or the server shuts down), not when ctx ends, so
		// that the goodbye gets out; hanging up then ends the reads below.
		s.Go(func(context.Context) error {
			defer conn.Close()
			write(conn, c)
			return nil
		})
		for lines.Scan() {
			if err := h.says.Send(ctx, message{c, lines.Text()}); err != nil {
				return nil
			}
		}
		_ = h.leaves.Send(ctx, c) // fails only if shutting down: the hub drops everyone
		return nil
	})
}

// greet asks for the client's name and reads it; it gives up when ctx ends.
func greet(ctx context.Context, conn net.Conn, lines *bufio.Scanner, c *client) bool {
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	_ = conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := conn.Write([]byte("* your name?\n")); err != nil || !lines.Scan() {
		return false
	}
	c.name = strings.TrimSpace(lines.Text())
	if c.name == "" {
		c.name = "anonymous"
	}
	return ctx.Err() == nil
}

// write sends the client's outbox to conn until the hub closes the outbox
// or a write fails. It needs no context: the hub always closes the outbox in
// the end, and writes time out. An outbox that failed instead (none does
// today) ends the writing as a closed one does: the reader sees the hang-up.
func write(conn net.Conn, c *client) {
	for text, err := range c.outbox.All(context.Background()) {
		if err != nil {
			return
		}
		_ = conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := conn.Write([]byte(text + "\n")); err != nil {
			return // the reader notices the hang-up, and leaves
		}
	}
}
