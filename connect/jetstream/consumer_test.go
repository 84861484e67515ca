package jetstream_test

import (
	"context"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
)

func TestFromConsumerDeliversEveryMessage(t *testing.T) {
	ts := startServer(t)
	_, js := ts.connect(t)
	c := setup(t, js, 5*time.Second, 0)
	publishJobs(t, js, 1000, 1)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	seen := map[string]int{}
	err := cjs.FromConsumer(c, cjs.MaxOutstanding(64)).Take(1000).RunForEach(ctx, func(m *cjs.Msg) error {
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
