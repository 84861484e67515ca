package rangeerr

import (
	"context"

	"github.com/corral-go/corral/channel"
)

// The examples of docs/corralvet.md.

func docsTotal(ctx context.Context, c *channel.Chan[int]) (int, error) {
	sum := 0
	for v := range c.All(ctx) { // want `range over Chan.All with one variable drops the error`
		sum += v
	}
	return sum, nil
}

func docsTotalAfter(ctx context.Context, c *channel.Chan[int]) (int, error) {
	sum := 0
	for v, err := range c.All(ctx) {
		if err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, nil
}
