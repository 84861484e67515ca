package jetstream_test

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/source"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// Publish stores each value once per ID, passes values on in order once
// acknowledged, and keeps no more than MaxInFlight publishes waiting.
func TestPublishDeduplicatesAndBoundsInFlight(t *testing.T) {
	const n, inFlight = 500, 4
	ts := startServer(t)
	_, js := ts.connect(t)
	ctx := testContext(t)
	st, err := js.CreateStream(ctx, natsjs.StreamConfig{Name: "OUT", Subjects: []string{"out.>"}, Duplicates: time.Minute})
	if err != nil {
		t.Fatal(err)
	}

	var peak atomic.Int64
	out := func(i int) (cjs.Outgoing, error) {
		// Called by a worker about to publish: the others may be waiting.
		for p := int64(js.PublishAsyncPending()); p > peak.Load(); {
			peak.CompareAndSwap(peak.Load(), p)
		}
		return cjs.Outgoing{Subject: fmt.Sprintf("out.%d", i%3), Data: fmt.Append(nil, i), ID: fmt.Sprint("v-", i%n)}, nil
	}
	// Every value twice: the second publish of an ID is a duplicate.
	src := source.Range(0, 2*n, 1)
	vals, err := cjs.Publish(src, js, out, cjs.MaxInFlight(inFlight)).RunToSlice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vals {
		if v != i {
			t.Fatalf("value %d passed on at position %d: not in order", v, i)
		}
	}
	if len(vals) != 2*n {
		t.Fatalf("%d values passed on, want %d", len(vals), 2*n)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != n {
		t.Errorf("stream holds %d messages, want %d: duplicates were stored", info.State.Msgs, n)
	}
	if p := peak.Load(); p >= inFlight || p < 1 {
		t.Errorf("%d publishes waiting for acks while another was made, want 1 to %d", p, inFlight-1)
	}
}

// A publish the stream refuses ends the run with the stream's error; an
// Outgoing with no Subject is passed on unpublished.
func TestPublishErrors(t *testing.T) {
	ts := startServer(t)
	_, js := ts.connect(t)
	ctx := testContext(t)
	if _, err := js.CreateStream(ctx, natsjs.StreamConfig{Name: "OUT", Subjects: []string{"out.>"}, MaxMsgSize: 8}); err != nil {
		t.Fatal(err)
	}
	out := func(s string) (cjs.Outgoing, error) {
		if s == "" {
			return cjs.Outgoing{}, nil
		}
		return cjs.Outgoing{Subject: "out.x", Data: []byte(s)}, nil
	}
	vals, err := cjs.Publish(source.Of("", "ok"), js, out).RunToSlice(ctx)
	if err != nil || len(vals) != 2 {
		t.Fatalf("got %q, %v; want both values and no error", vals, err)
	}
	err = cjs.RunPublish(ctx, source.Of("far too long for the stream"), js, out)
	var api *natsjs.APIError
	if !errors.As(err, &api) {
		t.Fatalf("RunPublish of an oversized message: %v, want the stream's APIError", err)
	}
	errBad := errors.New("cannot encode")
	err = cjs.RunPublish(ctx, source.Of(1), js, func(int) (cjs.Outgoing, error) { return cjs.Outgoing{}, errBad })
	if !errors.Is(err, errBad) {
		t.Fatalf("RunPublish with a failing out: %v, want %v", err, errBad)
	}
}
