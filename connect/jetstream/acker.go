package jetstream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/corral-go/corral/retry"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// DefaultMaxDeliveries is the number of deliveries after which an [Acker]
// gives up on a message whose processing keeps failing.
const DefaultMaxDeliveries = 5

// Headers that an [Acker] with [DeadLetter] adds to the copy of a message
// it dead-letters, besides the message's own headers.
const (
	HeaderDeadSubject    = "Dead-Letter-Subject"    // the subject the message was published to
	HeaderDeadStream     = "Dead-Letter-Stream"     // its stream
	HeaderDeadSequence   = "Dead-Letter-Sequence"   // its stream sequence
	HeaderDeadDeliveries = "Dead-Letter-Deliveries" // how often it was delivered
	HeaderDeadError      = "Dead-Letter-Error"      // the last processing error
)

// An Acker settles messages at least once: it acks a message whose
// processing succeeded, naks one whose processing failed with a delay from
// a retry schedule, so that the server delivers it again later, and once a
// message has failed on its last delivery it terminates it, after
// publishing a copy to a dead-letter subject if one is set.
//
//	delivery  1    2    3    4    5            (MaxDeliveries(5))
//	failure   nak  nak  nak  nak  dead-letter, term
//	delay     1s   2s   4s   8s                (RetryDelays: k-th delay after the k-th delivery)
//
// An Acker holds no per-message state: one Acker serves any number of
// sources and goroutines. Create it with [NewAcker]; use it through
// [Settle], a pipeline stage, or call [Acker.Settle] where the work on a
// message ends.
type Acker struct {
	maxDeliveries uint64
	delays        *delays
	dlJS          natsjs.JetStream
	dlSubject     string
	double        bool
}

// An AckOption configures an [Acker].
type AckOption interface{ applyAck(*Acker) }

type ackOptionFunc func(*Acker)

func (f ackOptionFunc) applyAck(a *Acker) { f(a) }

// NewAcker returns an Acker configured by opts. Without options it gives
// up after [DefaultMaxDeliveries] deliveries, waits from 1s, doubling up to
// 1 minute, with equal jitter, between deliveries, and dead-letters
// nothing.
func NewAcker(opts ...AckOption) *Acker {
	a := &Acker{maxDeliveries: DefaultMaxDeliveries}
	for _, o := range opts {
		if o == nil {
			panic("jetstream: NewAcker called with a nil AckOption")
		}
		o.applyAck(a)
	}
	if a.delays == nil {
		a.delays = newDelays(retry.Exponential(time.Second, 2, time.Minute).WithJitter(retry.EqualJitter))
	}
	return a
}

// MaxDeliveries sets the delivery on which a message that fails for the
// last time is terminated rather than nak'd; the default is
// [DefaultMaxDeliveries]. If the consumer's own MaxDeliver is lower, the
// Acker gives up on that delivery instead, since the server would not
// deliver the message again.
//
// MaxDeliveries panics if n is not positive.
func MaxDeliveries(n int) AckOption {
	if n <= 0 {
		panic(fmt.Sprintf("jetstream: MaxDeliveries called with n = %d; pass a positive count", n))
	}
	return ackOptionFunc(func(a *Acker) { a.maxDeliveries = uint64(n) })
}

// RetryDelays sets the delays before a failed message is delivered again:
// a message that fails on its k-th delivery is nak'd with the k-th delay of
// b (see [retry.Schedule]). If b stops before ([backoff.Stop]), the message
// is terminated, as after its last delivery.
//
// RetryDelays panics if b is nil.
func RetryDelays(b backoff.BackOff) AckOption {
	if b == nil {
		panic("jetstream: RetryDelays called with nil BackOff; pass a retry.Schedule")
	}
	d := newDelays(b)
	return ackOptionFunc(func(a *Acker) { a.delays = d })
}

// DeadLetter makes the Acker publish a copy of a message it gives up on to
// subject through js, and wait for the stream's acknowledgement, before it
// terminates the message. The copy has the message's payload and headers
// and the Dead-Letter-* headers (see [HeaderDeadSubject]). Its Nats-Msg-Id
// is the message's own, or "<stream>:<sequence>" if it has none, so a
// message dead-lettered twice is stored once.
//
// If the publish fails, the message is nak'd rather than terminated, so
// that it is not lost, and [Acker.Settle] returns the publish's error.
//
// DeadLetter panics if js is nil or subject is empty.
func DeadLetter(js natsjs.JetStream, subject string) AckOption {
	if js == nil || subject == "" {
		panic("jetstream: DeadLetter called with nil js or empty subject; pass the JetStream and a subject bound to a stream")
	}
	return ackOptionFunc(func(a *Acker) { a.dlJS, a.dlSubject = js, subject })
}

// DoubleAcks makes the Acker ack with [Msg.DoubleAck], which waits for the
// server to confirm the ack. It costs a round trip per message; a source's
// credit for a message then returns only once the server has confirmed.
func DoubleAcks() AckOption {
	return ackOptionFunc(func(a *Acker) { a.double = true })
}

// Settle settles m by the outcome of its processing: with err nil it acks
// m; otherwise it naks m with the retry delay for its delivery count, or,
// on its last delivery, dead-letters it (if set) and terminates it with
// err's text as the reason. It returns the error of the call that settled
// m, or [ErrSettled] if m was already settled, in which case it leaves m as
// it is.
//
// Settle panics if ctx or m is nil.
func (a *Acker) Settle(ctx context.Context, m *Msg, err error) error {
	mustCtx("Acker.Settle", ctx)
	if m == nil {
		panic("jetstream: Acker.Settle called with nil message")
	}
	if err == nil {
		if a.double {
			return m.DoubleAck(ctx)
		}
		return m.Ack()
	}
	n := m.Delivered()
	if n < a.lastDelivery(m) {
		if d := a.delays.nth(n); d != backoff.Stop {
			return m.NakWithDelay(d)
		}
	}
	if a.dlSubject != "" {
		if !m.l.unsettled(m) {
			return ErrSettled
		}
		if perr := a.deadLetter(ctx, m, n, err); perr != nil {
			// Keep the message rather than lose it.
			if nerr := m.NakWithDelay(a.retryDelay(n)); nerr != nil {
				return errors.Join(perr, nerr)
			}
			return perr
		}
	}
	return m.TermWithReason(reason(err))
}

// lastDelivery returns the delivery on which a failing message is given up.
func (a *Acker) lastDelivery(m *Msg) uint64 {
	if md := uint64(m.maxDeliver); md > 0 && md < a.maxDeliveries {
		return md
	}
	return a.maxDeliveries
}

// retryDelay is the nak delay for a message that could not be
// dead-lettered: the schedule's delay, or its last one if it stopped.
func (a *Acker) retryDelay(n uint64) time.Duration {
	for k := n; k > 0; k-- {
		if d := a.delays.nth(k); d != backoff.Stop {
			return d
		}
	}
	return time.Second
}

func (a *Acker) deadLetter(ctx context.Context, m *Msg, n uint64, cause error) error {
	h := nats.Header{}
	for k, vs := range m.Header() {
		h[k] = append([]string(nil), vs...)
	}
	h.Set(HeaderDeadSubject, m.Subject())
	h.Set(HeaderDeadDeliveries, strconv.FormatUint(n, 10))
	h.Set(HeaderDeadError, reason(cause))
	if md, err := m.Metadata(); err == nil {
		h.Set(HeaderDeadStream, md.Stream)
		h.Set(HeaderDeadSequence, strconv.FormatUint(md.Sequence.Stream, 10))
		if h.Get(natsjs.MsgIDHeader) == "" {
			h.Set(natsjs.MsgIDHeader, md.Stream+":"+strconv.FormatUint(md.Sequence.Stream, 10))
		}
	}
	_, err := a.dlJS.PublishMsg(ctx, &nats.Msg{Subject: a.dlSubject, Data: m.Data(), Header: h})
	if err != nil {
		return fmt.Errorf("jetstream: dead-letter message to %s: %w", a.dlSubject, err)
	}
	return nil
}

// reason is err's text, cut to a length fit for a header or an advisory.
func reason(err error) string {
	const maxReason = 256
	s := err.Error()
	if len(s) > maxReason {
		s = strings.ToValidUTF8(s[:maxReason], "")
	}
	return s
}
