package jetstream_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// The server stops in the middle of a run and starts again on the same
// store: the run rides through, reports the error it saw while the server
// was down, and loses nothing: every job is processed, its result stored
// once (publishes retried with the same message ID are de-duplicated), and
// every job acked.
func TestServerRestartMidRun(t *testing.T) {
	const n = 600
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, 5*time.Second, 0)
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

	errAllDone := errors.New("every job done")
	runErr := make(chan error, 1)
	go func() {
		report := cjs.OnError(onError)
		msgs := cjs.FromConsumer(c, cjs.MaxOutstanding(32), cjs.PullTimeout(2*time.Second), report)
		computed := source.MapPar(msgs, 8, cjs.Process(work))
		published := cjs.Publish(computed, js, out, cjs.MaxInFlight(16),
			cjs.AckTimeout(time.Second), cjs.PublishRetry(retry.Fixed(50*time.Millisecond)), report)
		acker := cjs.NewAcker(cjs.RetryDelays(retry.Fixed(50 * time.Millisecond)))
		settled := map[string]bool{}
		runErr <- cjs.Settle(published, acker).RunForEach(ctx, func(v string) error {
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
	t.Logf("reported while the server was down: %v", reported)
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
	eventually(t, "every job acked", func() bool {
		info, err := c.Info(ctx)
		return err == nil && info.NumAckPending == 0 && info.NumPending == 0
	})
}
