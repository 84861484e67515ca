package jetstream_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// A testServer is an embedded nats-server with JetStream on a file store in
// a temporary directory. stop and start restart it on the same port and
// store, as a server that crashed and came back would.
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

// An ackCounter counts, from the server's ack metric advisories (the
// consumer samples 100% of acks), how many times each stream sequence was
// acked: the server's own account, independent of the client's.
type ackCounter struct {
	mu      sync.Mutex
	acks    map[uint64]int
	changed chan struct{} // cap 1
}

func countAcks(tb testing.TB, nc *nats.Conn) *ackCounter {
	tb.Helper()
	a := &ackCounter{acks: map[uint64]int{}, changed: make(chan struct{}, 1)}
	sub, err := nc.Subscribe(server.JSMetricConsumerAckPre+".JOBS.workers", func(m *nats.Msg) {
		var e server.JSConsumerAckMetric
		if err := json.Unmarshal(m.Data, &e); err != nil {
			tb.Error(err)
			return
		}
		a.mu.Lock()
		a.acks[e.StreamSeq]++
		a.mu.Unlock()
		select {
		case a.changed <- struct{}{}:
		default:
		}
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = sub.Unsubscribe() })
	return a
}

// waitDistinct waits until n distinct sequences have been acked and
// returns a copy of the counts.
func (a *ackCounter) waitDistinct(tb testing.TB, n int) map[uint64]int {
	tb.Helper()
	deadline := time.After(20 * time.Second)
	for {
		a.mu.Lock()
		if len(a.acks) >= n {
			out := maps.Clone(a.acks)
			a.mu.Unlock()
			return out
		}
		got := len(a.acks)
		a.mu.Unlock()
		select {
		case <-a.changed:
		case <-deadline:
			tb.Fatalf("server saw acks of %d distinct messages, want %d", got, n)
		}
	}
}

// eventually polls the server's state, which changes asynchronously to
// the client, until cond holds.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(20 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			tb.Fatalf("timed out waiting for %s", what)
		}
	}
}

// jobIndex parses the payload that publishJobs gave a message.
func jobIndex(tb testing.TB, data []byte) int {
	i, err := strconv.Atoi(string(data))
	if err != nil {
		tb.Errorf("bad payload %q", data)
	}
	return i
}

// A tally counts by message ID, safely from many goroutines.
type tally struct {
	mu sync.Mutex
	n  map[string]int
}

func newTally() *tally { return &tally{n: map[string]int{}} }

func (t *tally) add(id string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n[id]++
	return t.n[id]
}

func (t *tally) snapshot() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maps.Clone(t.n)
}

func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

func (t *tally) distinct() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.n)
}

func getenv(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
