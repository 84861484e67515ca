package jetstream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/corral-go/corral/source"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// FromConsumer returns a Source of the messages of a pull consumer, such as
// a durable consumer from [natsjs.Stream.CreateOrUpdateConsumer].
//
// Each run pulls messages with [natsjs.Consumer.Fetch], asking for no more
// than [MaxOutstanding] leaves room for: a message counts from the moment
// it is requested until it is settled ([Msg.Ack], [Msg.Nak], [Msg.Term],
// by hand or by an [Acker]) or its AckWait has passed. A pull is sent when
// nothing is being pulled and a credit is free, or when half the bound is
// free, so that the next messages arrive while the last ones are still
// being passed on. Each message is passed on as soon as it arrives, and the
// pipeline's demand holds the run back: a stage that is busy stops the
// source, and the source stops pulling.
//
// Pulls that fail for a reason that may pass (a missing heartbeat while the
// server is down, no responders, a timeout) are reported to [OnError] and
// sent again after a wait from [PullRetry]; the run then goes on where the
// consumer is, once the server is back. Failures that cannot pass end the
// run with their error: a closed connection ([nats.ErrConnectionClosed]),
// a deleted or missing consumer, a bad request.
//
// When the run ends (its context is cancelled, the downstream stops, or it
// fails), the messages fetched but not yet passed on are nak'd, so that the
// server delivers them again at once. Messages passed on and not settled
// are left to the consumer's AckWait, as after a crash.
//
// Async: FromConsumer starts no goroutine of its own; nats.go runs one for
// each open pull (at most two at a time), which ends with the pull.
//
// FromConsumer panics if c is nil.
func FromConsumer(c natsjs.Consumer, opts ...Option) source.Source[*Msg] {
	if c == nil {
		panic("jetstream: FromConsumer called with nil consumer; pass a natsjs.Consumer from Stream.Consumer or CreateOrUpdateConsumer")
	}
	cfg := newConfig(opts)
	return source.FromFunc(func(ctx context.Context, emit func(*Msg) error) error {
		p := newPuller(c, &cfg)
		defer p.close()
		return p.run(ctx, emit)
	})
}

// A puller runs one FromConsumer run.
type puller struct {
	c          natsjs.Consumer
	cfg        *config
	l          *ledger
	maxDeliver int
	batches    []*batch // open or undrained pulls, oldest first; at most 2
	failures   uint64   // failed pulls in a row
	notBefore  time.Time
	timer      *time.Timer
}

// A batch is one pull: a Fetch of want messages, got of them taken.
type batch struct {
	mb        natsjs.MessageBatch
	msgs      <-chan natsjs.Msg
	want, got int
	cancel    context.CancelFunc
}

// maxBatches is the number of pulls a run has open at once: one being
// drained, and the next filling.
const maxBatches = 2

func newPuller(c natsjs.Consumer, cfg *config) *puller {
	ackWait, maxDeliver := 30*time.Second, 0
	if info := c.CachedInfo(); info != nil {
		if info.Config.AckWait > 0 {
			ackWait = info.Config.AckWait
		}
		maxDeliver = max(info.Config.MaxDeliver, 0)
	}
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &puller{c: c, cfg: cfg, l: newLedger(cfg.maxOutstanding, ackWait), maxDeliver: maxDeliver, timer: t}
}

func (p *puller) run(ctx context.Context, emit func(*Msg) error) error {
	done := ctx.Done()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := time.Now()
		next := p.l.expire(now)
		if n := p.pullSize(now); n > 0 {
			if err := p.pull(ctx, n); err != nil {
				return err
			}
			continue
		}
		var msgs <-chan natsjs.Msg
		if len(p.batches) > 0 {
			msgs = p.batches[0].msgs
		} else if !p.notBefore.IsZero() && (next.IsZero() || p.notBefore.Before(next)) {
			next = p.notBefore
		}
		var tick <-chan time.Time
		if msgs == nil && !next.IsZero() {
			p.timer.Reset(max(next.Sub(now), time.Millisecond))
			tick = p.timer.C
		}
		select {
		case raw, ok := <-msgs:
			if !ok {
				if err := p.finish(ctx); err != nil {
					return err
				}
				continue
			}
			p.batches[0].got++
			m := p.l.admit(raw, p.maxDeliver, now)
			if err := emit(m); err != nil {
				if !errors.Is(err, source.ErrStop) {
					// Not passed on: emit reports ctx.Err() before it
					// hands a value downstream.
					_ = m.Nak()
				}
				return err
			}
		case <-p.l.wake:
		case <-tick:
		case <-done:
		}
		if tick != nil {
			p.timer.Stop() // since Go 1.23, no stale tick survives Stop
		}
	}
}

// pullSize returns how many messages to pull now, or 0 for none.
func (p *puller) pullSize(now time.Time) int {
	if len(p.batches) >= maxBatches || now.Before(p.notBefore) {
		return 0
	}
	free := p.l.free()
	if len(p.batches) > 0 && free < p.l.threshold {
		return 0
	}
	return max(free, 0)
}

// pull opens a pull for n messages.
func (p *puller) pull(ctx context.Context, n int) error {
	fctx, cancel := context.WithTimeout(ctx, p.cfg.pullTimeout)
	mb, err := p.c.Fetch(n, natsjs.FetchContext(fctx), natsjs.FetchHeartbeat(p.cfg.pullTimeout/6))
	if err != nil {
		cancel()
		return p.failed(ctx, err)
	}
	p.l.reserve(n)
	p.batches = append(p.batches, &batch{mb: mb, msgs: mb.Messages(), want: n, cancel: cancel})
	return nil
}

// finish ends the oldest pull, whose messages have all been taken.
func (p *puller) finish(ctx context.Context) error {
	b := p.batches[0]
	p.batches = p.batches[1:]
	b.cancel()
	p.l.unreserve(b.want - b.got)
	err := b.mb.Error()
	switch {
	case err == nil, ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		// Delivered what it could before it expired: a healthy pull.
		p.failures, p.notBefore = 0, time.Time{}
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	}
	if b.got > 0 {
		p.failures = 0
	}
	return p.failed(ctx, err)
}

// failed handles a failed pull: it reports an error that may pass and
// schedules the next pull, or returns an error that ends the run.
func (p *puller) failed(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if permanent(err) {
		return fmt.Errorf("jetstream: pull from consumer: %w", err)
	}
	p.failures++
	wait := p.cfg.retry.nth(p.failures)
	if wait == backoff.Stop {
		return fmt.Errorf("jetstream: pull from consumer failed %d times in a row: %w", p.failures, err)
	}
	if p.cfg.onError != nil {
		p.cfg.onError(err)
	}
	p.notBefore = time.Now().Add(wait)
	return nil
}

// permanent reports whether a pull that failed with err can never succeed.
func permanent(err error) bool {
	return errors.Is(err, nats.ErrConnectionClosed) ||
		errors.Is(err, natsjs.ErrConnectionClosed) ||
		errors.Is(err, natsjs.ErrConsumerDeleted) ||
		errors.Is(err, natsjs.ErrConsumerNotFound) ||
		errors.Is(err, natsjs.ErrBadRequest) ||
		errors.Is(err, natsjs.ErrInvalidOption)
}

// close ends the run's open pulls and naks the messages they fetched that
// were never passed on.
func (p *puller) close() {
	p.timer.Stop()
	for _, b := range p.batches {
		b.cancel()
		for raw := range b.msgs { // nats.go closes it once the pull has ended
			_ = raw.Nak()
		}
	}
	p.batches = nil
}
