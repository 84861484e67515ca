package jetstream_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

var errFlaky = errors.New("flaky failure")

// Every message is processed at least once and acked exactly once, by the
// server's count; a message that fails once is nak'd and succeeds on its
// second delivery.
func TestAtLeastOnce(t *testing.T) {
	for _, tt := range []struct {
		name  string
		stage func(source.Source[*cjs.Msg], int, func(context.Context, *cjs.Msg) (cjs.Result[int], error)) source.Source[cjs.Result[int]]
		inOrd bool
	}{
		{"MapPar", source.MapPar[*cjs.Msg, cjs.Result[int]], true},
		{"MapParUnordered", source.MapParUnordered[*cjs.Msg, cjs.Result[int]], false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const n = 1000
			ts := startServer(t)
			nc, js := ts.connect(t)
			c := setup(t, js, 30*time.Second, 0)
			acks := countAcks(t, nc)
			publishJobs(t, js, n, 4)

			processed := newTally()
			work := func(ctx context.Context, m *cjs.Msg) (int, error) {
				i := jobIndex(t, m.Data())
				if processed.add(m.ID()) == 1 && i%10 == 0 {
					return 0, errFlaky
				}
				if i%7 == 0 {
					time.Sleep(200 * time.Microsecond) // uneven work, to reorder
				}
				return i, nil
			}
			acker := cjs.NewAcker(cjs.RetryDelays(retry.Fixed(5 * time.Millisecond)))
			msgs := cjs.FromConsumer(js, c, cjs.MaxOutstanding(64))
			vals, err := cjs.Settle(tt.stage(msgs, 8, cjs.Process(work)), acker).Take(n).RunToSlice(testContext(t))
			if err != nil {
				t.Fatal(err)
			}

			distinct := map[int]bool{}
			last := -1
			for _, v := range vals {
				distinct[v] = true
				if tt.inOrd && v%10 != 0 { // first deliveries come in stream order
					if v < last {
						t.Fatalf("MapPar settled %d after %d: acks out of order", v, last)
					}
					last = v
				}
			}
			if len(distinct) != n {
				t.Fatalf("%d distinct values succeeded, want %d", len(distinct), n)
			}
			for id, k := range processed.snapshot() {
				want := 1
				if jobIndex(t, []byte(id[len("job-"):]))%10 == 0 {
					want = 2
				}
				if k != want {
					t.Errorf("%s processed %d times, want %d", id, k, want)
				}
			}
			for seq, k := range acks.waitDistinct(t, n) {
				if k != 1 {
					t.Errorf("stream sequence %d acked %d times, want 1", seq, k)
				}
			}
			eventually(t, "no ack pending", func() bool {
				info, err := c.Info(testContext(t))
				return err == nil && info.NumAckPending == 0 && info.NumPending == 0
			})
		})
	}
}

// A worker whose scope is cancelled while it holds messages, without
// settling them, loses nothing: the messages it never passed on are nak'd
// at once, those it held are delivered again after AckWait, and another
// worker processes every message.
func TestKilledWorkerMessagesRedelivered(t *testing.T) {
	const n = 300
	ts := startServer(t)
	nc, js := ts.connect(t)
	c := setup(t, js, time.Second, 0)
	acks := countAcks(t, nc)
	publishJobs(t, js, n, 1)
	acker := cjs.NewAcker()

	// Worker A takes messages and hangs on them until killed.
	held := make(chan string, n)
	ctxA, kill := context.WithCancel(testContext(t))
	doneA := make(chan error, 1)
	go func() {
		hang := func(ctx context.Context, m *cjs.Msg) (int, error) {
			held <- m.ID()
			<-ctx.Done()
			return 0, ctx.Err()
		}
		src := source.MapPar(cjs.FromConsumer(js, c, cjs.MaxOutstanding(16)), 4, cjs.Process(hang))
		doneA <- cjs.Settle(src, acker).RunDrain(ctxA)
	}()
	heldByA := map[string]bool{}
	for len(heldByA) < 4 {
		heldByA[<-held] = true
	}
	kill()
	if err := <-doneA; !errors.Is(err, context.Canceled) {
		t.Fatalf("worker A ended with %v, want context.Canceled", err)
	}

	// Worker B processes everything, A's messages included.
	processed := newTally()
	redelivered := newTally()
	work := func(ctx context.Context, m *cjs.Msg) (string, error) {
		processed.add(m.ID())
		if m.Delivered() > 1 {
			redelivered.add(m.ID())
		}
		return m.ID(), nil
	}
	src := source.MapPar(cjs.FromConsumer(js, c), 8, cjs.Process(work))
	if err := cjs.Settle(src, acker).Take(n).RunDrain(testContext(t)); err != nil {
		t.Fatal(err)
	}
	got := processed.snapshot()
	if len(got) != n {
		t.Fatalf("worker B processed %d distinct messages, want %d", len(got), n)
	}
	re := redelivered.snapshot()
	for id := range heldByA {
		if re[id] == 0 {
			t.Errorf("%s, held by the killed worker, was not redelivered", id)
		}
	}
	t.Logf("redelivered to worker B: %d messages (%d held by A's workers)", len(re), len(heldByA))
	for seq, k := range acks.waitDistinct(t, n) {
		if k != 1 {
			t.Errorf("stream sequence %d acked %d times, want 1", seq, k)
		}
	}
}

// A message that keeps failing is nak'd until its last delivery, then
// copied to the dead-letter subject and terminated.
func TestPoisonMessageDeadLettered(t *testing.T) {
	for _, tt := range []struct {
		name                  string
		consumerMax, ackerMax int
		wantAttempts          int
	}{
		{"Acker MaxDeliveries", 0, 3, 3},
		{"consumer MaxDeliver lower", 2, 5, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const n, poison = 20, "job-7"
			ts := startServer(t)
			nc, js := ts.connect(t)
			c := setup(t, js, 30*time.Second, tt.consumerMax)
			ctx := testContext(t)
			dead, err := js.CreateStream(ctx, natsjs.StreamConfig{Name: "DEAD", Subjects: []string{"dead.>"}})
			if err != nil {
				t.Fatal(err)
			}
			terminated := make(chan struct{}, 1)
			sub, err := nc.Subscribe(server.JSAdvisoryConsumerMsgTerminatedPre+".JOBS.workers", func(*nats.Msg) {
				terminated <- struct{}{}
			})
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Unsubscribe()
			publishJobs(t, js, n, 1)

			attempts := newTally()
			good := make(chan struct{}, n)
			work := func(ctx context.Context, m *cjs.Msg) (int, error) {
				attempts.add(m.ID())
				if m.ID() == poison {
					return 0, fmt.Errorf("cannot parse %q", m.Data())
				}
				good <- struct{}{}
				return 0, nil
			}
			acker := cjs.NewAcker(cjs.MaxDeliveries(tt.ackerMax), cjs.RetryDelays(retry.Fixed(10*time.Millisecond)),
				cjs.DeadLetter(js, "dead.jobs"))
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() {
				src := source.MapParUnordered(cjs.FromConsumer(js, c), 4, cjs.Process(work))
				done <- cjs.Settle(src, acker).RunDrain(runCtx)
			}()
			for range n - 1 {
				<-good
			}
			<-terminated
			stop()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatal(err)
			}

			if k := attempts.snapshot()[poison]; k != tt.wantAttempts {
				t.Errorf("poison message processed %d times, want %d", k, tt.wantAttempts)
			}
			dl, err := dead.GetLastMsgForSubject(ctx, "dead.jobs")
			if err != nil {
				t.Fatal(err)
			}
			for h, want := range map[string]string{
				cjs.HeaderDeadSubject:    "jobs.0",
				cjs.HeaderDeadStream:     "JOBS",
				cjs.HeaderDeadSequence:   "8",
				cjs.HeaderDeadDeliveries: fmt.Sprint(tt.wantAttempts),
				cjs.HeaderDeadError:      `cannot parse "7"`,
				natsjs.MsgIDHeader:       poison,
			} {
				if got := dl.Header.Get(h); got != want {
					t.Errorf("dead letter header %s = %q, want %q", h, got, want)
				}
			}
			if string(dl.Data) != "7" {
				t.Errorf("dead letter payload %q, want %q", dl.Data, "7")
			}
			info, err := dead.Info(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if info.State.Msgs != 1 {
				t.Errorf("dead-letter stream holds %d messages, want 1", info.State.Msgs)
			}
		})
	}
}
