package jetstream_test

import (
	"context"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/source"
)

// A slow stage holds the source back: the server never has more than
// MaxOutstanding messages delivered and not acked, by its own count.
func TestBackpressureBound(t *testing.T) {
	const n, bound = 120, 8
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, 30*time.Second, 0)
	publishJobs(t, js, n, 1)
	ctx := testContext(t)

	peak := 0
	slow := func(ctx context.Context, m *cjs.Msg) (int, error) {
		time.Sleep(2 * time.Millisecond) // the slow work
		info, err := c.Info(ctx)
		if err != nil {
			return 0, err
		}
		peak = max(peak, info.NumAckPending)
		return 0, nil
	}
	// DoubleAcks: a credit returns once the server has counted the ack, so
	// the server's count is exact.
	acker := cjs.NewAcker(cjs.DoubleAcks())
	src := source.MapPar(cjs.FromConsumer(js, c, cjs.MaxOutstanding(bound)), 1, cjs.Process(slow))
	if err := cjs.Settle(src, acker).Take(n).RunDrain(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("peak of messages delivered and not acked, by the server: %d (bound %d)", peak, bound)
	if peak > bound {
		t.Fatalf("server had %d messages pending acks, bound is %d", peak, bound)
	}
	if peak < bound/2 {
		t.Fatalf("server had at most %d messages pending acks: the source did not fill its bound %d", peak, bound)
	}
}

// A message that is never settled holds its credit only until its AckWait
// has passed: the source then goes on, and the server delivers the
// message again.
func TestUnsettledMessageCreditExpires(t *testing.T) {
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, 500*time.Millisecond, 0)
	publishJobs(t, js, 3, 1)

	seen := newTally()
	// The pipeline holds one message at a time (MaxOutstanding(2)): the
	// first delivery of job-0 is dropped without settling it.
	err := cjs.FromConsumer(js, c, cjs.MaxOutstanding(2)).Take(4).RunForEach(testContext(t), func(m *cjs.Msg) error {
		if seen.add(m.ID()) == 1 && m.ID() == "job-0" {
			return nil
		}
		return m.Ack()
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := seen.snapshot(); got["job-0"] != 2 || got["job-1"] != 1 || got["job-2"] != 1 {
		t.Fatalf("deliveries %v, want job-0 twice and the others once", got)
	}
}
