package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// serve is a worker built the other way round: nats.go calls it back, on
// its own goroutines, with each job (Consumer.Consume), and each job runs as
// a task of a dispatcher under a long-lived scope. Jobs of one subject
// share a lane, so a subject that floods the service delays only its own
// jobs; at most 16 tasks run at once, and a lane's full mailbox blocks the
// callback, which holds nats.go's delivery back.
//
// When ctx ends (SIGTERM, or the end of a run), serve drains: Consume stops
// pulling and hands over what it has buffered, the dispatcher's Shutdown
// lets every accepted task finish and ack its job, for up to grace, and
// serve returns. A job that arrives after the dispatcher closed is nak'd, so
// another worker gets it at once.
func serve(ctx context.Context, js natsjs.JetStream, name string, fail float64, st *stats, grace time.Duration) error {
	jobs, err := js.Consumer(ctx, "JOBS", "workers")
	if err != nil {
		return err
	}
	// The outer scope outlives ctx: ctx's end starts the drain, not a
	// cancellation of the tasks.
	return scope.Supervised(context.WithoutCancel(ctx), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(16), dispatcher.WithMailbox(32, dispatcher.Block))
		var mu sync.Mutex
		lanes := map[string]*dispatcher.Dispatcher{}
		lane := func(subject string) *dispatcher.Dispatcher {
			mu.Lock()
			defer mu.Unlock()
			l, ok := lanes[subject]
			if !ok {
				l = d.NewLane()
				lanes[subject] = l
			}
			return l
		}

		handle := func(raw natsjs.Msg) { // on nats.go's goroutine
			m := cjs.Wrap(raw)
			err := lane(m.Subject()).RunAsync(func(s *scope.Scope) error {
				r, err := computeJob(m, name, fail, st)
				if err == nil {
					err = store(s.Context(), js, r)
				}
				return acker.Settle(s.Context(), m, err)
			}, func(err error) {
				st.report(fmt.Errorf("%s: %w", name, err))
			})
			if err != nil { // dispatcher.ErrClosed: shutting down
				_ = m.Nak()
			}
		}
		cc, err := jobs.Consume(handle, natsjs.PullMaxMessages(64))
		if err != nil {
			return err
		}

		<-ctx.Done()
		cc.Drain() // no more pulls; the buffered jobs still reach handle
		<-cc.Closed()
		graceCtx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		return d.Shutdown(graceCtx)
	})
}

// store publishes r's message and waits for the stream's acknowledgement.
func store(ctx context.Context, js natsjs.JetStream, r result) error {
	o, err := resultMsg(r)
	if err != nil {
		return err
	}
	h := nats.Header{}
	h.Set(natsjs.MsgIDHeader, o.ID)
	_, err = js.PublishMsg(ctx, &nats.Msg{Subject: o.Subject, Data: o.Data, Header: h})
	return err
}
