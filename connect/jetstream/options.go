package jetstream

import (
	"fmt"
	"time"
)

// An Option configures a [FromConsumer] source.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	maxOutstanding int
	pullTimeout    time.Duration
	onError        func(error)
}

// Defaults of a FromConsumer source.
const (
	DefaultMaxOutstanding = 256
	DefaultPullTimeout    = 5 * time.Second
)

func newConfig(opts []Option) config {
	c := config{maxOutstanding: DefaultMaxOutstanding, pullTimeout: DefaultPullTimeout}
	for _, o := range opts {
		if o == nil {
			panic("jetstream: FromConsumer called with a nil Option")
		}
		o.apply(&c)
	}
	return c
}

// MaxOutstanding bounds the messages of one run that the server has
// delivered and that are not settled yet: n/2 for prefetching (requested
// from the server, or waiting in nats.go's buffer), the rest for the
// pipeline (passed on, and not yet acked, nak'd or termed). The source
// takes a message only while the pipeline holds fewer than its share, so a
// slow pipeline slows the pulling down rather than filling a buffer. The
// default is [DefaultMaxOutstanding]. A message that is never settled holds
// its place until the consumer's AckWait has passed since it was delivered.
//
// MaxOutstanding panics if n is less than 2: one message being pulled, one
// being processed.
func MaxOutstanding(n int) Option {
	if n < 2 {
		panic(fmt.Sprintf("jetstream: MaxOutstanding called with n = %d; pass at least 2", n))
	}
	return optionFunc(func(c *config) { c.maxOutstanding = n })
}

// PullTimeout sets how long one pull request waits on the server for
// messages before it expires and nats.go sends another; the default is
// [DefaultPullTimeout]. A pull asks the server for a heartbeat every
// quarter of d (from 500ms to 30s), and an outage is reported to [OnError]
// once per two heartbeats: [nats.ErrDisconnected] while nats.go
// reconnects, [natsjs.ErrNoHeartbeat] when the connection is up but the
// server sends nothing.
//
// PullTimeout panics if d is less than 1s, the least nats.go accepts.
func PullTimeout(d time.Duration) Option {
	if d < time.Second {
		panic(fmt.Sprintf("jetstream: PullTimeout called with %v; pass at least 1s", d))
	}
	return optionFunc(func(c *config) { c.pullTimeout = d })
}

// OnError sets a function that is told of every failure that a
// [FromConsumer] source or a [Publish] stage rides through: for the source,
// each pull that failed, such as [natsjs.ErrNoHeartbeat] while the server
// is down or unreachable; for Publish, each publish that failed and is
// about to be sent again, such as [nats.ErrDisconnected] when the
// connection drops. Calls are never concurrent: the source calls f on the
// goroutine that runs it, Publish calls it under a lock from its workers,
// which wait meanwhile, so f should return promptly. Errors that end the
// run are not passed to f: the run returns them.
//
// OnError panics if f is nil.
func OnError(f func(err error)) ErrorOption {
	if f == nil {
		panic("jetstream: OnError called with nil f")
	}
	return ErrorOption{f: f}
}

// An ErrorOption is an [Option] and a [PublishOption]: see [OnError].
type ErrorOption struct{ f func(error) }

func (o ErrorOption) apply(c *config) { c.onError = o.f }

func (o ErrorOption) applyPublish(c *pubConfig) { c.onError = o.f }
