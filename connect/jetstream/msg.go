package jetstream

import (
	"context"
	"errors"
	"time"

	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// ErrSettled is returned by the methods of a [Msg] that settle it (Ack,
// DoubleAck, Nak, NakWithDelay, Term, TermWithReason) and by InProgress
// when the message was already settled: only the first settling call acts.
var ErrSettled = errors.New("jetstream: message already settled")

// A Msg is a message delivered by a [FromConsumer] source: its payload,
// subject and headers, how often it has been delivered, and the handle that
// settles it with the server.
//
// Settling a message tells the server what became of it: [Msg.Ack] (done),
// [Msg.Nak] or [Msg.NakWithDelay] (deliver it again), [Msg.Term] (never
// deliver it again). Only the first settling call acts; later ones return
// [ErrSettled] and send nothing. [Msg.InProgress] asks the server for more
// time without settling. Every message a source emits must be settled, by
// an [Acker] or by hand: it counts against the source's
// [MaxOutstanding] bound until it is, or until the consumer's AckWait has
// passed since it was delivered (or last marked in progress), when the
// server delivers it again.
//
// The methods of a Msg are safe for concurrent use.
type Msg struct {
	raw        natsjs.Msg
	l          *ledger
	maxDeliver int // the consumer's MaxDeliver; 0 when it has none

	// Guarded by l.mu.
	prev, next *Msg      // in l's list while the message holds a credit
	deadline   time.Time // when the server delivers it again
	held       bool      // holds a credit of l
	settled    bool      // a settling call has been made
}

// Wrap returns a Msg for a message that nats.go delivered by other means
// than [FromConsumer], such as a callback of [natsjs.Consumer.Consume] or
// of a push consumer, so that an [Acker] can settle it. Such a Msg counts
// against no bound, and an Acker does not know its consumer's MaxDeliver:
// give the Acker [MaxDeliveries] no higher than it.
//
// Wrap panics if raw is nil.
func Wrap(raw natsjs.Msg) *Msg {
	if raw == nil {
		panic("jetstream: Wrap called with nil message")
	}
	return &Msg{raw: raw, l: &ledger{}}
}

// Data returns the payload.
func (m *Msg) Data() []byte { return m.raw.Data() }

// Subject returns the subject the message was published to.
func (m *Msg) Subject() string { return m.raw.Subject() }

// Header returns the headers, or nil if the message has none.
func (m *Msg) Header() nats.Header { return m.raw.Headers() }

// ID returns the message's Nats-Msg-Id header, the ID its publisher gave it
// for de-duplication, or "" if it has none.
func (m *Msg) ID() string { return m.raw.Headers().Get(natsjs.MsgIDHeader) }

// Delivered returns how many times the server has delivered the message,
// this delivery included: 1 the first time. It returns 0 if the message
// carries no JetStream metadata.
func (m *Msg) Delivered() uint64 {
	md, err := m.raw.Metadata()
	if err != nil {
		return 0
	}
	return md.NumDelivered
}

// Metadata returns the JetStream metadata of the message: stream and
// consumer sequences, delivery count, timestamp, stream and consumer names.
func (m *Msg) Metadata() (*natsjs.MsgMetadata, error) { return m.raw.Metadata() }

// Raw returns the message as nats.go delivered it. Settling it through Raw
// bypasses the source's accounting: the message then keeps its credit until
// the consumer's AckWait has passed.
func (m *Msg) Raw() natsjs.Msg { return m.raw }

// Ack tells the server that the message has been processed. It does not
// wait for the server's confirmation: use [Msg.DoubleAck] for that.
func (m *Msg) Ack() error { return m.settle(m.raw.Ack) }

// DoubleAck acknowledges the message and waits, until ctx ends, for the
// server to confirm it. The message's credit is returned only once the
// server has confirmed.
func (m *Msg) DoubleAck(ctx context.Context) error {
	mustCtx("Msg.DoubleAck", ctx)
	return m.settle(func() error { return m.raw.DoubleAck(ctx) })
}

// Nak tells the server to deliver the message again at once.
func (m *Msg) Nak() error { return m.settle(m.raw.Nak) }

// NakWithDelay tells the server to deliver the message again after d.
func (m *Msg) NakWithDelay(d time.Duration) error {
	return m.settle(func() error { return m.raw.NakWithDelay(d) })
}

// Term tells the server never to deliver the message again.
func (m *Msg) Term() error { return m.settle(m.raw.Term) }

// TermWithReason is [Msg.Term] with a reason that the server reports in
// its termination advisory.
func (m *Msg) TermWithReason(reason string) error {
	return m.settle(func() error { return m.raw.TermWithReason(reason) })
}

// InProgress tells the server that the message is still being processed,
// which restarts its AckWait. It returns [ErrSettled] if the message was
// already settled.
func (m *Msg) InProgress() error {
	if !m.l.touch(m) {
		return ErrSettled
	}
	return m.raw.InProgress()
}

// settle makes the first settling call: it claims the message, calls op,
// and returns the message's credit once op succeeded. A message whose op
// failed keeps its credit until its deadline, as the server still counts it
// as delivered.
func (m *Msg) settle(op func() error) error {
	if !m.l.claim(m) {
		return ErrSettled
	}
	if err := op(); err != nil {
		return err
	}
	m.l.release(m)
	return nil
}

func mustCtx(fn string, ctx context.Context) {
	if ctx == nil {
		panic("jetstream: " + fn + " called with nil ctx; pass context.Background() or the caller's context")
	}
}
