package dropcancel

import (
	"context"

	"github.com/corral-go/corral/dispatcher"
)

// The examples of docs/corralvet.md.

type client struct{}

func (client) Request(msg string, cb func(Reply, error)) func() { return func() {} }

func docsBefore(ctx context.Context, c client, msg string) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		c.Request(msg, complete) // want `register function passed to dispatcher.Await returns a nil cancel func, yet it holds a func\(\) from client.Request`
		return nil
	})
}
