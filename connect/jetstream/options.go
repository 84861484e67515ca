package jetstream

import (
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/corral-go/corral/retry"
)

// An Option configures a [FromConsumer] source.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	maxOutstanding int
	pullTimeout    time.Duration
	retry          *delays
	onError        func(error)
}

// Defaults of a FromConsumer source.
const (
	DefaultMaxOutstanding = 256
	DefaultPullTimeout    = 30 * time.Second
)

// defaultPullRetry is the wait between failed pulls: from 100ms, doubling,
// up to 5s, with no limit, since nats.go's own reconnect policy decides when
// a connection is lost for good, and the source then fails.
func defaultPullRetry() backoff.BackOff {
	return retry.Exponential(100*time.Millisecond, 2, 5*time.Second).WithJitter(retry.EqualJitter)
}

func newConfig(opts []Option) config {
	c := config{maxOutstanding: DefaultMaxOutstanding, pullTimeout: DefaultPullTimeout}
	for _, o := range opts {
		if o == nil {
			panic("jetstream: FromConsumer called with a nil Option")
		}
		o.apply(&c)
	}
	if c.retry == nil {
		c.retry = newDelays(defaultPullRetry())
	}
	return c
}

// MaxOutstanding bounds the messages of one run that the server has
// delivered and that are not settled yet: those passed on and not yet
// acked, nak'd or termed, plus those fetched and not yet passed on. The
// source pulls only as many messages as the bound leaves room for, so a
// slow pipeline slows the pulling down rather than filling a buffer. The
// default is [DefaultMaxOutstanding]. A message that is never settled holds
// its place until the consumer's AckWait has passed since it was delivered.
//
// MaxOutstanding panics if n is not positive.
func MaxOutstanding(n int) Option {
	if n <= 0 {
		panic(fmt.Sprintf("jetstream: MaxOutstanding called with n = %d; pass a positive bound", n))
	}
	return optionFunc(func(c *config) { c.maxOutstanding = n })
}

// PullTimeout sets how long one pull request waits on the server for
// messages before it expires and the source sends another; the default is
// [DefaultPullTimeout]. The request asks the server for a heartbeat every
// sixth of d, so a server or connection that is gone is noticed within a
// third of d: the pull fails with [natsjs.ErrNoHeartbeat], which is
// reported to [OnError].
//
// PullTimeout panics if d is less than 60ms.
func PullTimeout(d time.Duration) Option {
	if d < 60*time.Millisecond {
		panic(fmt.Sprintf("jetstream: PullTimeout called with %v; pass at least 60ms", d))
	}
	return optionFunc(func(c *config) { c.pullTimeout = d })
}

// PullRetry sets the waits after failed pulls: after k failures in a row,
// the source waits the k-th delay of b before it pulls again, and once b
// stops ([backoff.Stop]) the run fails with the last error. The default
// waits from 100ms, doubling up to 5s, and never stops: a connection that
// nats.go gives up on ends the run with [nats.ErrConnectionClosed] anyway.
// A [*retry.Schedule] is the natural value; any [backoff.BackOff] works.
//
// PullRetry panics if b is nil.
func PullRetry(b backoff.BackOff) Option {
	if b == nil {
		panic("jetstream: PullRetry called with nil BackOff; pass a retry.Schedule")
	}
	d := newDelays(b)
	return optionFunc(func(c *config) { c.retry = d })
}

// OnError sets a function that is told of every failed pull the source
// rides through: a missing heartbeat while the server is down or
// unreachable, no responders while a stream moves, a timeout. It is called
// on the goroutine that runs the source, before the source waits and pulls
// again, so it should return promptly. Errors that end the run are not
// passed to it: the run returns them.
//
// OnError panics if f is nil.
func OnError(f func(err error)) Option {
	if f == nil {
		panic("jetstream: OnError called with nil f")
	}
	return optionFunc(func(c *config) { c.onError = f })
}
