package jetstream_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// A testServer is an embedded nats-server with JetStream on a file store in
// a temporary directory. Restart stops it and starts it again on the same
// port and store, as a server that crashed and came back would.
type testServer struct {
	tb   testing.TB
	opts server.Options
	srv  *server.Server
}

func startServer(tb testing.TB) *testServer {
	tb.Helper()
	ts := &testServer{tb: tb, opts: server.Options{
		Host:      "127.0.0.1",
		Port:      server.RANDOM_PORT,
		JetStream: true,
		StoreDir:  tb.TempDir(),
		NoLog:     true,
		NoSigs:    true,
	}}
	ts.start()
	ts.opts.Port = ts.srv.Addr().(*net.TCPAddr).Port
	tb.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) start() {
	ts.tb.Helper()
	opts := ts.opts
	srv, err := server.NewServer(&opts)
	if err != nil {
		ts.tb.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		ts.tb.Fatal("nats-server did not start")
	}
	ts.srv = srv
}

func (ts *testServer) stop() {
	if ts.srv != nil {
		ts.srv.Shutdown()
		ts.srv.WaitForShutdown()
		ts.srv = nil
	}
}

func (ts *testServer) restart() {
	ts.tb.Helper()
	ts.stop()
	ts.start()
}

func (ts *testServer) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", ts.opts.Port) }

// connect returns a client that reconnects quickly and for ever, closed at
// the end of the test.
func (ts *testServer) connect(tb testing.TB) (*nats.Conn, natsjs.JetStream) {
	tb.Helper()
	nc, err := nats.Connect(ts.url(),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(20*time.Millisecond),
		nats.ReconnectJitter(0, 0),
	)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	js, err := natsjs.New(nc)
	if err != nil {
		tb.Fatal(err)
	}
	return nc, js
}

// setup makes a work-queue stream "JOBS" on jobs.> and a durable consumer
// "workers" with the given AckWait and MaxDeliver (0: none).
func setup(tb testing.TB, js natsjs.JetStream, ackWait time.Duration, maxDeliver int) natsjs.Consumer {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := js.CreateStream(ctx, natsjs.StreamConfig{
		Name:      "JOBS",
		Subjects:  []string{"jobs.>"},
		Retention: natsjs.WorkQueuePolicy,
		Storage:   natsjs.FileStorage,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if maxDeliver == 0 {
		maxDeliver = -1
	}
	c, err := st.CreateOrUpdateConsumer(ctx, natsjs.ConsumerConfig{
		Durable:         "workers",
		AckPolicy:       natsjs.AckExplicitPolicy,
		AckWait:         ackWait,
		MaxDeliver:      maxDeliver,
		MaxAckPending:   10000,
		SampleFrequency: "100%", // an ack metric advisory for every ack: see ackCounter
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// publishJobs publishes n messages on jobs.<i%subjects> with IDs "job-<i>"
// and payload "<i>", and waits for every acknowledgement.
func publishJobs(tb testing.TB, js natsjs.JetStream, n, subjects int) {
	tb.Helper()
	for i := range n {
		subj := fmt.Sprintf("jobs.%d", i%max(subjects, 1))
		if _, err := js.PublishMsgAsync(&nats.Msg{Subject: subj, Data: fmt.Appendf(nil, "%d", i)},
			natsjs.WithMsgID(fmt.Sprintf("job-%d", i))); err != nil {
			tb.Fatal(err)
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(10 * time.Second):
		tb.Fatal("publishes not acknowledged")
	}
}
