package channel_test

import (
	"context"
	"testing"

	"github.com/corral-go/corral/channel"
)

// TestAllocations holds the package to its promise that nothing is
// allocated per operation: not per Send or Receive, blocking or not, and
// not per Select whose clauses are built once, whether a clause fires at
// once, Default fires, or the Select parks.
func TestAllocations(t *testing.T) {
	ctx := context.Background()
	c := channel.New[int](1)
	idle := channel.New[int](0)
	fired := 0
	clauses := []channel.Clause{channel.OnReceive(c, func(int) { fired++ }), channel.OnReceive(idle, nil)}
	withDefault := append(clauses, channel.Default(nil))

	// A partner goroutine for the blocking cases: it answers each value
	// on ping with one on pong, both rendezvous channels.
	ping, pong := channel.New[int](0), channel.New[int](0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for v := range ping.All(ctx) {
			if pong.Send(ctx, v) != nil {
				return
			}
		}
	}()
	defer func() { _ = ping.Close(); <-done }()
	pongClauses := []channel.Clause{channel.OnReceive(pong, nil), channel.OnReceive(idle, nil)}

	for _, tt := range []struct {
		name string
		op   func()
	}{
		{"TrySend+TryReceive", func() { _, _ = c.TrySend(1); _, _, _ = c.TryReceive() }},
		{"Send+Receive buffered", func() { _ = c.Send(ctx, 1); _, _ = c.Receive(ctx) }},
		{"Send+Receive rendezvous", func() { _ = ping.Send(ctx, 1); _, _ = pong.Receive(ctx) }},
		{"Select ready", func() { _, _ = c.TrySend(1); _, _ = channel.Select(ctx, clauses...) }},
		{"Select Default", func() { _, _ = channel.Select(ctx, withDefault...) }},
		// The Select parks when it gets there before the partner's send.
		{"Select waiting", func() { _ = ping.Send(ctx, 1); _, _ = channel.Select(ctx, pongClauses...) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.op() // warm up: the channels keep their nodes
			if n := testing.AllocsPerRun(100, tt.op); n != 0 {
				t.Errorf("%v allocations per run, want 0", n)
			}
		})
	}
}
