package jetstream_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// The server stops in the middle of a run and starts again on the same
// store: the run rides through, reports the error it saw while the server
// was down, and loses nothing: every job is processed and its result
// stored once (publishes retried with the same message ID are
// de-duplicated). Acks the dying server never recorded make it deliver
// those jobs again: a worker started afterwards settles them, and the
// results stay stored once.
func TestServerRestartMidRun(t *testing.T) {
	const n = 600
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, time.Second, 0)
	ctx := testContext(t)
	results, err := js.CreateStream(ctx, natsjs.StreamConfig{
		Name: "RESULTS", Subjects: []string{"results.>"}, Storage: natsjs.FileStorage,
		Duplicates: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	publishJobs(t, js, n, 1)

	var mu sync.Mutex
	var reported []error
	firstReport := make(chan struct{})
	onError := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if reported = append(reported, err); len(reported) == 1 {
			close(firstReport)
		}
	}
	third := make(chan struct{})
	processed := newTally()
	work := func(ctx context.Context, m *cjs.Msg) (string, error) {
		if processed.add(m.ID()) == 1 && processed.distinct() == n/3 {
			close(third)
		}
		return "done " + string(m.Data()), nil
	}
	out := func(r cjs.Result[string]) (cjs.Outgoing, error) {
		if r.Err != nil {
			return cjs.Outgoing{}, nil
		}
		return cjs.Outgoing{Subject: "results." + r.Msg.ID(), Data: []byte(r.Value), ID: r.Msg.ID()}, nil
	}

	report := cjs.OnError(onError)
	worker := func(ctx context.Context, each func(string) error) error {
		msgs := cjs.FromConsumer(js, c, cjs.MaxOutstanding(32), cjs.PullTimeout(2*time.Second), report)
		computed := source.MapPar(msgs, 8, cjs.Process(work))
		published := cjs.Publish(computed, js, out, cjs.MaxInFlight(16),
			cjs.AckTimeout(time.Second), cjs.PublishRetry(retry.Fixed(50*time.Millisecond)), report)
		acker := cjs.NewAcker(cjs.RetryDelays(retry.Fixed(50 * time.Millisecond)))
		return cjs.Settle(published, acker).RunForEach(ctx, each)
	}

	errAllDone := errors.New("every job done")
	runErr := make(chan error, 1)
	go func() {
		settled := map[string]bool{}
		runErr <- worker(ctx, func(v string) error {
			if settled[v] = true; len(settled) == n {
				return errAllDone
			}
			return nil
		})
	}()

	<-third
	ts.stop()
	select {
	case <-firstReport: // the source noticed that the server is gone
	case err := <-runErr:
		t.Fatalf("run ended while the server was down: %v", err)
	}
	ts.start()
	if err := <-runErr; !errors.Is(err, errAllDone) {
		t.Fatalf("run ended with %v", err)
	}

	mu.Lock()
	t.Logf("reported while the server was down: %d errors, the first: %v", len(reported), reported[0])
	mu.Unlock()
	got := processed.snapshot()
	redone := 0
	for _, k := range got {
		redone += k - 1
	}
	t.Logf("jobs processed again after the restart: %d", redone)
	if len(got) != n {
		t.Fatalf("%d distinct jobs processed, want %d", len(got), n)
	}
	info, err := results.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != n {
		t.Errorf("results stream holds %d messages, want %d (one per job)", info.State.Msgs, n)
	}

	// A worker started later settles what the server delivers again, until
	// the consumer has nothing left to deliver and nothing awaiting an ack.
	// The consumer's state, not the work queue's message count, says when
	// that is: a server stopped between recording an ack and removing the
	// message from the work-queue stream can keep that message after the
	// restart, acked and never delivered again (seen in 10 runs of 300
	// with two test processes on two cores: the ack floor past it,
	// nothing pending).
	later, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if info, err := c.Info(later); err == nil && info.NumPending == 0 && info.NumAckPending == 0 {
				stop()
				return
			}
			select {
			case <-tick.C:
			case <-later.Done():
				return
			}
		}
	}()
	if err := worker(later, func(string) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("the later worker ended with %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the consumer was not settled")
	}
	jobs, err := js.Stream(ctx, "JOBS")
	if err != nil {
		t.Fatal(err)
	}
	ji, err := jobs.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := c.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ji.State.Msgs > 0 {
		// Only messages the consumer has acked may stay behind.
		if ci.AckFloor.Stream < ji.State.LastSeq {
			t.Fatalf("the work queue holds %d messages (up to sequence %d) the consumer has not acked (ack floor %d)",
				ji.State.Msgs, ji.State.LastSeq, ci.AckFloor.Stream)
		}
		t.Logf("the server kept %d acked messages in the work queue after its restart", ji.State.Msgs)
	}
	got = processed.snapshot()
	redone = 0
	for _, k := range got {
		redone += k - 1
	}
	t.Logf("jobs processed again, in all: %d", redone)
	if info, err = results.Info(ctx); err != nil || info.State.Msgs != n {
		t.Fatalf("results stream: %v, %v; want %d messages", info.State.Msgs, err, n)
	}
}

// The source itself reports that its connection is down, though nats.go's
// iterator waits without a word, and resumes once the server is back.
func TestSourceReportsDisconnect(t *testing.T) {
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, 5*time.Second, 0)
	publishJobs(t, js, 10, 1)
	ctx := testContext(t)

	reported := make(chan error, 100)
	got := make(chan string, 20)
	runErr := make(chan error, 1)
	go func() {
		src := cjs.FromConsumer(js, c, cjs.PullTimeout(2*time.Second), cjs.OnError(func(err error) {
			reported <- err
		}))
		runErr <- src.Take(20).RunForEach(ctx, func(m *cjs.Msg) error {
			got <- m.ID()
			return m.DoubleAck(ctx)
		})
	}()
	recv := func(what string, c <-chan string) {
		select {
		case <-c:
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		}
	}
	for range 10 {
		recv("a message", got)
	}
	ts.stop()
	select {
	case err := <-reported:
		if !errors.Is(err, nats.ErrDisconnected) {
			t.Fatalf("reported %v, want nats.ErrDisconnected", err)
		}
	case <-ctx.Done():
		t.Fatal("the source reported nothing while the server was down")
	}
	ts.start()
	for i := 10; i < 20; i++ {
		if _, err := js.Publish(ctx, "jobs.0", []byte(strconv.Itoa(i)), natsjs.WithMsgID(fmt.Sprint("job-", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-runErr; err != nil {
		t.Fatalf("run after the restart: %v", err)
	}
}
