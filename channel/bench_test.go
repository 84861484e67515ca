package channel_test

import (
	"context"
	"testing"

	"github.com/corral-go/corral/channel"
)

// The package's own micro-benchmarks: the cost of each path through a Chan
// and a Select, mostly on one goroutine. The comparisons against native Go
// channels, across goroutines, are in corral's bench module
// (bench/channel_test.go).

// BenchmarkTry measures a TrySend and a TryReceive on a buffered channel:
// the lock and the ring buffer, nothing else.
func BenchmarkTry(b *testing.B) {
	b.ReportAllocs()
	c := channel.New[int](1)
	for b.Loop() {
		_, _ = c.TrySend(1)
		_, _, _ = c.TryReceive()
	}
}

// BenchmarkSendReceive measures a Send and a Receive that need not wait:
// BenchmarkTry plus the context checks.
func BenchmarkSendReceive(b *testing.B) {
	b.ReportAllocs()
	ctx, cancel := context.WithCancel(context.Background()) // a ctx that can end
	defer cancel()
	c := channel.New[int](1)
	for b.Loop() {
		_ = c.Send(ctx, 1)
		_, _ = c.Receive(ctx)
	}
}

// BenchmarkPingPong measures a round trip between two goroutines over two
// rendezvous channels: two hand-offs, each parking one side and waking it.
func BenchmarkPingPong(b *testing.B) {
	b.ReportAllocs()
	ctx := context.Background()
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
	for b.Loop() {
		_ = ping.Send(ctx, 1)
		_, _ = pong.Receive(ctx)
	}
	_ = ping.Close()
	<-done
}

// BenchmarkSelect measures a two-clause Select on each of its paths.
func BenchmarkSelect(b *testing.B) {
	ctx := context.Background()
	// ready: a value waits, so the fast pass fires it.
	b.Run("path=ready", func(b *testing.B) {
		b.ReportAllocs()
		x, y := channel.New[int](1), channel.New[int](1)
		clauses := []channel.Clause{channel.OnReceive(x, nil), channel.OnReceive(y, nil)}
		for b.Loop() {
			_, _ = x.TrySend(1)
			_, _ = channel.Select(ctx, clauses...)
		}
	})
	// ready-built: the same, with the clauses built on each call.
	b.Run("path=ready-built", func(b *testing.B) {
		b.ReportAllocs()
		x, y := channel.New[int](1), channel.New[int](1)
		for b.Loop() {
			_, _ = x.TrySend(1)
			_, _ = channel.Select(ctx, channel.OnReceive(x, nil), channel.OnReceive(y, nil))
		}
	})
	// default: nothing is ready, so the slow path locks both channels,
	// polls them and fires Default.
	b.Run("path=default", func(b *testing.B) {
		b.ReportAllocs()
		x, y := channel.New[int](1), channel.New[int](1)
		clauses := []channel.Clause{channel.OnReceive(x, nil), channel.OnReceive(y, nil), channel.Default(nil)}
		for b.Loop() {
			_, _ = channel.Select(ctx, clauses...)
		}
	})
	// wait: a partner goroutine answers each ping, usually after the
	// Select has queued its nodes and parked.
	b.Run("path=wait", func(b *testing.B) {
		b.ReportAllocs()
		ping, pong, idle := channel.New[int](0), channel.New[int](0), channel.New[int](0)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for v := range ping.All(ctx) {
				if pong.Send(ctx, v) != nil {
					return
				}
			}
		}()
		clauses := []channel.Clause{channel.OnReceive(pong, nil), channel.OnReceive(idle, nil)}
		for b.Loop() {
			_ = ping.Send(ctx, 1)
			_, _ = channel.Select(ctx, clauses...)
		}
		_ = ping.Close()
		<-done
	})
}
