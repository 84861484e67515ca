package jetstream

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// An Outgoing message is what [Publish] sends for a value.
type Outgoing struct {
	Subject string // the subject, bound to a stream; "" publishes nothing
	Data    []byte
	Header  nats.Header // may be nil

	// ID, if not empty, is sent as the Nats-Msg-Id header. The stream
	// stores the first message with a given ID and acknowledges, without
	// storing, any other that arrives within its duplicate window, so a
	// value published again (after a lost acknowledgement, a retry, or a
	// redelivery upstream) is stored once. Derive it from what identifies
	// the value, such as the ID of the message it was made from.
	ID string
}

// ErrAckTimeout is the error of a publish whose acknowledgement did not
// arrive within the [AckTimeout]; [Publish] retries it.
var ErrAckTimeout = errors.New("jetstream: publish acknowledgement timed out")

// A PublishOption configures [Publish] and [RunPublish].
type PublishOption interface{ applyPublish(*pubConfig) }

type pubOptionFunc func(*pubConfig)

func (f pubOptionFunc) applyPublish(c *pubConfig) { f(c) }

type pubConfig struct {
	inFlight   int
	ackTimeout time.Duration
	retry      *delays

	errMu   sync.Mutex
	onError func(error)
}

// Defaults of Publish.
const (
	DefaultMaxInFlight = 128
	DefaultAckTimeout  = 5 * time.Second
)

// MaxInFlight bounds the publishes waiting for their acknowledgement; the
// default is [DefaultMaxInFlight]. Once n are waiting, Publish takes no
// more values from its source until the oldest is acknowledged.
//
// MaxInFlight panics if n is not positive.
func MaxInFlight(n int) PublishOption {
	if n <= 0 {
		panic(fmt.Sprintf("jetstream: MaxInFlight called with n = %d; pass a positive bound", n))
	}
	return pubOptionFunc(func(c *pubConfig) { c.inFlight = n })
}

// AckTimeout sets how long Publish waits for the acknowledgement of one
// publish before it publishes the message again; the default is
// [DefaultAckTimeout]. Give messages an [Outgoing.ID] so that the stream
// stores a message published twice once.
//
// AckTimeout panics if d is not positive.
func AckTimeout(d time.Duration) PublishOption {
	if d <= 0 {
		panic(fmt.Sprintf("jetstream: AckTimeout called with %v; pass a positive duration", d))
	}
	return pubOptionFunc(func(c *pubConfig) { c.ackTimeout = d })
}

// PublishRetry sets the waits before a failed publish is sent again: after
// its k-th failure, the k-th delay of b; once b stops ([backoff.Stop]), the
// run fails with the publish's error. The default waits from 100ms,
// doubling up to 2s, for at most a minute in all.
//
// PublishRetry panics if b is nil.
func PublishRetry(b backoff.BackOff) PublishOption {
	if b == nil {
		panic("jetstream: PublishRetry called with nil BackOff; pass a retry.Schedule")
	}
	d := newDelays(b)
	return pubOptionFunc(func(c *pubConfig) { c.retry = d })
}

func newPubConfig(opts []PublishOption) *pubConfig {
	c := &pubConfig{inFlight: DefaultMaxInFlight, ackTimeout: DefaultAckTimeout}
	for _, o := range opts {
		if o == nil {
			panic("jetstream: Publish called with a nil PublishOption")
		}
		o.applyPublish(c)
	}
	if c.retry == nil {
		c.retry = newDelays(retry.Exponential(100*time.Millisecond, 2, 2*time.Second).WithMaxTotalDelay(time.Minute))
	}
	return c
}

// Publish returns a Source of the values of src that publishes, for each
// value v, the message out(v) to its stream with JetStream's publish
// acknowledgement, and passes v on once the stream has acknowledged it
// (stored it, or recognised it as a duplicate by its [Outgoing.ID]).
// Values are passed on in the order of src. A value for which out returns
// an Outgoing with no Subject is passed on without publishing anything.
//
// Up to [MaxInFlight] publishes wait for their acknowledgement at once. A
// publish that fails for a reason that may pass (the connection dropped
// and nats.go reconnects, no responders, no acknowledgement within
// [AckTimeout]) is sent again after a wait from [PublishRetry]; any other
// failure, an error from out, or the schedule giving up, ends the run.
// Each failure retried is reported to [OnError]. So
// each value passed on is stored at least once, and once if it has an ID
// and the stream's duplicate window covers the retries.
//
// Async: Publish runs as a [source.MapPar] stage with MaxInFlight workers,
// each waiting for one acknowledgement.
//
// Publish panics if js or out is nil.
func Publish[T any](src source.Source[T], js natsjs.JetStream, out func(v T) (Outgoing, error), opts ...PublishOption) source.Source[T] {
	if js == nil {
		panic("jetstream: Publish called with nil js; pass the JetStream from jetstream.New")
	}
	if out == nil {
		panic("jetstream: Publish called with nil out")
	}
	c := newPubConfig(opts)
	return source.MapPar(src, c.inFlight, func(ctx context.Context, v T) (T, error) {
		o, err := out(v)
		if err != nil || o.Subject == "" {
			return v, err
		}
		return v, c.publish(ctx, js, o)
	})
}

// RunPublish runs [Publish] with src, js, out and opts until src ends,
// and returns once every value has been published and acknowledged, or
// with the first error.
func RunPublish[T any](ctx context.Context, src source.Source[T], js natsjs.JetStream, out func(v T) (Outgoing, error), opts ...PublishOption) error {
	mustCtx("RunPublish", ctx)
	return Publish(src, js, out, opts...).RunDrain(ctx)
}

func (c *pubConfig) publish(ctx context.Context, js natsjs.JetStream, o Outgoing) error {
	m := &nats.Msg{Subject: o.Subject, Data: o.Data, Header: o.Header}
	if o.ID != "" {
		h := make(nats.Header, len(o.Header)+1)
		for k, vs := range o.Header {
			h[k] = vs
		}
		h.Set(natsjs.MsgIDHeader, o.ID)
		m.Header = h
	}
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for k := uint64(1); ; k++ {
		err := c.once(ctx, js, m, &timer)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !retryablePublish(err) {
			return fmt.Errorf("jetstream: publish to %s: %w", o.Subject, err)
		}
		wait := c.retry.nth(k)
		if wait == backoff.Stop {
			return fmt.Errorf("jetstream: publish to %s failed %d times: %w", o.Subject, k, err)
		}
		c.report(err)
		resetTimer(&timer, wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *pubConfig) report(err error) {
	if c.onError == nil {
		return
	}
	c.errMu.Lock()
	defer c.errMu.Unlock()
	c.onError(err)
}

// once publishes m and waits for its acknowledgement, up to ackTimeout.
func (c *pubConfig) once(ctx context.Context, js natsjs.JetStream, m *nats.Msg, timer **time.Timer) error {
	f, err := js.PublishMsgAsync(m)
	if err != nil {
		return err
	}
	resetTimer(timer, c.ackTimeout)
	select {
	case <-f.Ok():
		return nil
	case err := <-f.Err():
		return err
	case <-(*timer).C:
		return ErrAckTimeout
	case <-ctx.Done():
		return ctx.Err()
	}
}

func resetTimer(t **time.Timer, d time.Duration) {
	if *t == nil {
		*t = time.NewTimer(d)
		return
	}
	(*t).Reset(d) // since Go 1.23, Reset discards a stale tick
}

// retryablePublish reports whether a publish that failed with err may
// succeed if sent again: not after the connection closed, and not when
// the stream refused the message (an API error other than 503, which
// means JetStream is not available for now).
func retryablePublish(err error) bool {
	if errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, natsjs.ErrConnectionClosed) {
		return false
	}
	var api *natsjs.APIError
	if errors.As(err, &api) && api.Code != 503 {
		return false
	}
	return true
}
