package jetstream_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/source"
)

func TestFromConsumerDeliversEveryMessage(t *testing.T) {
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, 5*time.Second, 0)
	publishJobs(t, js, 1000, 1)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	seen := map[string]int{}
	err := cjs.FromConsumer(js, c, cjs.MaxOutstanding(64)).Take(1000).RunForEach(ctx, func(m *cjs.Msg) error {
		seen[m.ID()]++
		return m.Ack()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1000 {
		t.Fatalf("saw %d distinct messages, want 1000", len(seen))
	}
}

// Only the first settling call on a message acts; later ones, and
// InProgress, return ErrSettled.
func TestMsgSettlesOnce(t *testing.T) {
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, 30*time.Second, 0)
	publishJobs(t, js, 1, 1)
	ctx := testContext(t)
	err := cjs.FromConsumer(js, c).Take(1).RunForEach(ctx, func(m *cjs.Msg) error {
		if err := m.InProgress(); err != nil {
			t.Errorf("InProgress before settling: %v", err)
		}
		if err := m.DoubleAck(ctx); err != nil {
			t.Errorf("first DoubleAck: %v", err)
		}
		for name, settle := range map[string]func() error{
			"Ack": m.Ack, "Nak": m.Nak, "Term": m.Term, "InProgress": m.InProgress,
			"NakWithDelay":   func() error { return m.NakWithDelay(time.Second) },
			"TermWithReason": func() error { return m.TermWithReason("no") },
		} {
			if err := settle(); !errors.Is(err, cjs.ErrSettled) {
				t.Errorf("%s after Ack: %v, want ErrSettled", name, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// InProgress keeps a message that takes longer than AckWait: it is not
// delivered again, and its credit is held meanwhile.
func TestInProgressExtendsAckWait(t *testing.T) {
	const ackWait = time.Second
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, ackWait, 0)
	publishJobs(t, js, 2, 1)
	seen := newTally()
	var mu sync.Mutex
	var events []string
	event := func(e string) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	slow := func(ctx context.Context, m *cjs.Msg) (int, error) {
		seen.add(m.ID())
		event(m.ID())
		defer event(m.ID() + " acked")
		if m.ID() == "job-0" {
			// InProgress ten times per AckWait, for 1.5 AckWaits of work:
			// slack for a loaded machine.
			tick := time.NewTicker(ackWait / 10)
			defer tick.Stop()
			for range 15 {
				<-tick.C
				if err := m.InProgress(); err != nil {
					return 0, err
				}
			}
		}
		return 0, m.Ack()
	}
	src := source.MapPar(cjs.FromConsumer(js, c, cjs.MaxOutstanding(2)), 2, slow)
	if err := src.Take(2).RunDrain(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if got := seen.snapshot(); got["job-0"] != 1 || got["job-1"] != 1 {
		t.Fatalf("deliveries %v, want each job once", got)
	}
	// The pipeline's share of MaxOutstanding(2) is one message: job-0
	// holds it while in progress, past its first AckWait.
	if want := []string{"job-0", "job-0 acked", "job-1", "job-1 acked"}; !slices.Equal(events, want) {
		t.Fatalf("events %q, want %q", events, want)
	}
}
