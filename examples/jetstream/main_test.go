package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// The whole distributed pipeline, on an embedded server: a producer, three
// workers of which one is killed mid-run, failures retried, and every job's
// result collected and stored once.
func TestRunAll(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cfg := config{role: "all", jobs: 300, workers: 3, fail: 0.05, crash: true, storeDir: t.TempDir()}
	if err := run(ctx, cfg, &out); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for _, want := range []string{
		`producer: published 300 jobs`,
		`collector: 300 results in`,
		`failed and nak'd, \d+ deliveries after the first; workers killed mid-run: 1`,
		`RESULTS stores 300 messages, one per job`,
	} {
		if !regexp.MustCompile(want).Match(out.Bytes()) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestUnknownRole(t *testing.T) {
	cfg := config{role: "chef", jobs: 1, storeDir: t.TempDir()}
	if err := run(context.Background(), cfg, &bytes.Buffer{}); err == nil {
		t.Fatal("run with an unknown role succeeded")
	}
}

// The callback service drains when its context ends, as on SIGTERM: every
// job it accepted finishes, stores its result and is acked; the others stay
// in the work queue for the next worker (jobs the server had sent but the
// client never saw come back after AckWait). None is left half done: the
// results and the jobs left add up to the jobs published.
func TestServiceDrainsOnShutdown(t *testing.T) {
	const n = 300
	srv, err := embeddedServer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		srv.Shutdown()
		srv.WaitForShutdown()
	}()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := natsjs.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := createStreams(ctx, js); err != nil {
		t.Fatal(err)
	}
	if err := produce(ctx, js, n, func(string, ...any) {}); err != nil {
		t.Fatal(err)
	}

	st := &stats{}
	started := st.crashAfter(50)
	sigterm, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(sigterm, js, "service", 0, st, 10*time.Second) }()
	<-started
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if len(st.errs) > 0 {
		t.Fatalf("tasks reported %v", st.errs)
	}

	jobs, _ := js.Stream(ctx, "JOBS")
	results, _ := js.Stream(ctx, "RESULTS")
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		ji, err1 := jobs.Info(ctx)
		ri, err2 := results.Info(ctx)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if ji.State.Msgs+ri.State.Msgs == n {
			t.Logf("stored %d results before stopping; %d jobs left for the next worker", ri.State.Msgs, ji.State.Msgs)
			if ri.State.Msgs < 50 {
				t.Fatalf("only %d results stored, after 50 jobs started", ri.State.Msgs)
			}
			return
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("jobs %d + results %d != %d", ji.State.Msgs, ri.State.Msgs, n)
		}
	}
}
