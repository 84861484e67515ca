package jetstream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/corral-go/corral/source"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// FromConsumer returns a Source of the messages of c, a pull consumer of
// js such as a durable consumer from [natsjs.Stream.CreateOrUpdateConsumer],
// in the order the server delivers them.
//
// Each run pulls with [natsjs.Consumer.Messages], and holds at most
// [MaxOutstanding] messages that the server has delivered and that are not
// settled: half of the bound goes to prefetching (messages requested from
// the server or waiting in nats.go's buffer), the other half to the
// pipeline (messages passed on and not yet acked, nak'd or termed, by hand
// or by an [Acker]). Once the pipeline holds its half, the source takes no
// more messages until one is settled, and nats.go requests no more than it
// can buffer: a slow stage slows the pulling down. A message that is never
// settled holds its place until the consumer's AckWait has passed since it
// was delivered (or last marked [Msg.InProgress]), when the server delivers
// it again.
//
// A server that cannot be reached does not end the run: while js's
// connection is down, the source reports [nats.ErrDisconnected] to
// [OnError] once per two heartbeats (see [PullTimeout]), nats.go
// reconnects, and the run goes on where the consumer is once the server is
// back. Failures that cannot pass end the run with their error:
// a closed connection ([nats.ErrConnectionClosed]), a deleted or missing
// consumer, a bad request.
//
// When the run ends (its context is cancelled, the downstream stops, or it
// fails), the messages buffered and not passed on are nak'd, so that the
// server delivers them again at once. Messages passed on and not settled,
// and any the server had sent that had not arrived, are left to the
// consumer's AckWait, as after a crash.
//
// Async: nats.go runs two goroutines for each run (one sends pull
// requests, one follows the connection's status), which end with the run.
//
// FromConsumer panics if js or c is nil.
func FromConsumer(js natsjs.JetStream, c natsjs.Consumer, opts ...Option) source.Source[*Msg] {
	if js == nil || c == nil {
		panic("jetstream: FromConsumer called with nil js or consumer; pass the JetStream and a natsjs.Consumer from it")
	}
	cfg := newConfig(opts)
	return source.FromFunc(func(ctx context.Context, emit func(*Msg) error) error {
		return pull(ctx, js.Conn(), c, &cfg, emit)
	})
}

// drainWait bounds the wait, at the end of a run, for the messages nats.go
// has buffered: they are nak'd as they come.
const drainWait = time.Second

func pull(ctx context.Context, nc *nats.Conn, c natsjs.Consumer, cfg *config, emit func(*Msg) error) error {
	ackWait, maxDeliver := 30*time.Second, 0
	if info := c.CachedInfo(); info != nil {
		if info.Config.AckWait > 0 {
			ackWait = info.Config.AckWait
		}
		maxDeliver = max(info.Config.MaxDeliver, 0)
	}
	prefetch := cfg.maxOutstanding / 2
	hb := heartbeat(cfg.pullTimeout)
	it, err := c.Messages(
		natsjs.PullMaxMessages(prefetch),
		natsjs.PullExpiry(cfg.pullTimeout),
		natsjs.PullHeartbeat(hb),
	)
	if err != nil {
		return fmt.Errorf("jetstream: pull from consumer: %w", err)
	}
	defer func() {
		it.Drain()
		for {
			raw, err := it.Next(natsjs.NextMaxWait(drainWait))
			if err != nil {
				break
			}
			_ = raw.Nak()
		}
		it.Stop()
	}()

	l := newLedger(cfg.maxOutstanding-prefetch, ackWait)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	// Next waits within short windows, for two reasons. nats.go's Next
	// waits without a word while the connection is down: at the end of a
	// window with no message the source looks at the connection, and
	// reports it down once per two heartbeats. And Next asks the server for
	// more messages only when it is called, so a call that starts waiting
	// just as the request that would refill the buffer is being sent can
	// wait until a heartbeat is missed (seen: stalls of two heartbeats
	// mid-stream, under load); the next call asks. One window serves many
	// calls, so that a message costs no new context.
	w := &window{d: nextWindow}
	defer w.stop()
	var reported time.Time
	for {
		if err := l.wait(ctx, timer); err != nil {
			return err
		}
		raw, err := it.Next(natsjs.NextContext(w.get(ctx)))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, context.DeadlineExceeded) {
				if nc.IsClosed() {
					return fmt.Errorf("jetstream: pull from consumer: %w", nats.ErrConnectionClosed)
				}
				if nc.IsConnected() || time.Since(reported) < 2*hb {
					continue // the stream is idle, or the outage reported
				}
				reported = time.Now()
				err = nats.ErrDisconnected
			}
			if permanent(err) {
				return fmt.Errorf("jetstream: pull from consumer: %w", err)
			}
			if cfg.onError != nil {
				cfg.onError(err)
			}
			continue
		}
		m := l.admit(raw, maxDeliver)
		if err := emit(m); err != nil {
			if !errors.Is(err, source.ErrStop) {
				// Not passed on: emit reports ctx.Err() before it hands
				// a value downstream.
				_ = m.Nak()
			}
			return err
		}
	}
}

// nextWindow is the longest that one call of Next waits.
const nextWindow = 250 * time.Millisecond

// A window is a context that ends d after it began, renewed once it has
// ended.
type window struct {
	d      time.Duration
	ctx    context.Context
	cancel context.CancelFunc
}

func (w *window) get(parent context.Context) context.Context {
	if w.ctx == nil || w.ctx.Err() != nil {
		w.stop()
		w.ctx, w.cancel = context.WithTimeout(parent, w.d)
	}
	return w.ctx
}

func (w *window) stop() {
	if w.cancel != nil {
		w.cancel()
	}
}

// heartbeat returns the idle heartbeat asked of the server for pulls that
// expire after d: a quarter of d, within the range nats.go accepts.
func heartbeat(d time.Duration) time.Duration {
	return min(max(d/4, 500*time.Millisecond), 30*time.Second)
}

// permanent reports whether a pull that failed with err can never succeed.
func permanent(err error) bool {
	return errors.Is(err, nats.ErrConnectionClosed) ||
		errors.Is(err, natsjs.ErrConnectionClosed) ||
		errors.Is(err, natsjs.ErrMsgIteratorClosed) ||
		errors.Is(err, natsjs.ErrConsumerDeleted) ||
		errors.Is(err, natsjs.ErrConsumerNotFound) ||
		errors.Is(err, natsjs.ErrBadRequest) ||
		errors.Is(err, natsjs.ErrInvalidOption)
}
