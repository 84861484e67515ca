package main

import (
	"context"
	"fmt"

	"github.com/corral-go/corral/channel"
)

// A client is a joined connection, as the hub sees it: a name and an outbox
// that the connection's writer drains.
type client struct {
	name   string
	outbox *channel.Chan[string]
}

// outboxSize bounds what a client may fall behind by; a client that falls
// further behind is disconnected, so that it cannot slow the others down.
const outboxSize = 64

func newOutbox() *channel.Chan[string] { return channel.New[string](outboxSize) }

type message struct {
	from *client
	text string
}

// hub owns the chat's state. Connections talk to it only through its
// channels; its run loop is the one goroutine that touches clients.
type hub struct {
	joins  *channel.Chan[*client] // rendezvous: a join is taken by the hub, or fails
	leaves *channel.Chan[*client]
	says   *channel.Chan[message]
	logf   func(format string, args ...any)

	clients map[*client]bool
}

func newHub(logf func(format string, args ...any)) *hub {
	return &hub{
		joins:   channel.New[*client](0),
		leaves:  channel.New[*client](0),
		says:    channel.New[message](outboxSize),
		logf:    logf,
		clients: make(map[*client]bool),
	}
}

// run is the hub's loop: it multiplexes joins, leaves and lines said with
// the shutdown signal (ctx's end) in one channel.Select, until ctx ends.
// Then it says goodbye to every client and closes their outboxes, which ends
// their writers and so their connections.
func (h *hub) run(ctx context.Context) error {
	defer h.shutdown()
	clauses := []channel.Clause{
		channel.OnReceive(h.joins, h.join),
		channel.OnReceive(h.leaves, h.leave),
		channel.OnReceive(h.says, h.say),
	}
	for {
		if _, err := channel.Select(ctx, clauses...); err != nil {
			if ctx.Err() != nil {
				return nil // the shutdown signal
			}
			return err // the hub's channels are never closed while it runs
		}
	}
}

func (h *hub) join(c *client) {
	h.clients[c] = true
	h.send(c, fmt.Sprintf("* welcome %s, %d here", c.name, len(h.clients)))
	h.broadcast(c, "* "+c.name+" joined")
	h.logf("%s joined (%d here)", c.name, len(h.clients))
}

func (h *hub) leave(c *client) {
	if h.drop(c) {
		h.broadcast(c, "* "+c.name+" left")
		h.logf("%s left (%d here)", c.name, len(h.clients))
	}
}

func (h *hub) say(m message) {
	if h.clients[m.from] {
		h.broadcast(m.from, m.from.name+": "+m.text)
	}
}

// broadcast sends text to every client but from.
func (h *hub) broadcast(from *client, text string) {
	for c := range h.clients {
		if c != from {
			h.send(c, text)
		}
	}
}

// send queues text for c without waiting; a client whose outbox is full is
// too slow to keep up and is disconnected.
func (h *hub) send(c *client, text string) {
	if ok, _ := c.outbox.TrySend(text); !ok && h.drop(c) {
		h.logf("%s is too slow: disconnected", c.name)
	}
}

// drop forgets c and closes its outbox; it reports whether c was there.
func (h *hub) drop(c *client) bool {
	if !h.clients[c] {
		return false
	}
	delete(h.clients, c)
	_ = c.outbox.Close() // its writer sends what is queued, then hangs up
	return true
}

func (h *hub) shutdown() {
	_ = h.joins.Close() // later joins fail at once
	for c := range h.clients {
		_, _ = c.outbox.TrySend("* server shutting down")
		h.drop(c)
	}
}
