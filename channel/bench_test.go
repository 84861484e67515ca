package channel_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/channel"
)

// The benchmarks pair each corral operation with the same work on a native
// Go channel, so that `go test -bench` shows the ratio directly.

func benchPairCorral(b *testing.B, capacity int) {
	b.ReportAllocs()
	ctx := context.Background()
	c := channel.New[int](capacity)
	go func() {
		for i := 0; i < b.N; i++ {
			if err := c.Send(ctx, i); err != nil {
				panic(err)
			}
		}
	}()
	for i := 0; i < b.N; i++ {
		if _, err := c.Receive(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func benchPairNative(b *testing.B, capacity int) {
	b.ReportAllocs()
	c := make(chan int, capacity)
	go func() {
		for i := 0; i < b.N; i++ {
			c <- i
		}
	}()
	for i := 0; i < b.N; i++ {
		<-c
	}
}

// BenchmarkBuffered measures a Send+Receive pair across two goroutines on a
// channel with room for 64 values.
func BenchmarkBuffered(b *testing.B) {
	b.Run("impl=native", func(b *testing.B) { benchPairNative(b, 64) })
	b.Run("impl=corral", func(b *testing.B) { benchPairCorral(b, 64) })
}

// BenchmarkRendezvous measures a Send+Receive hand-off across two
// goroutines.
func BenchmarkRendezvous(b *testing.B) {
	b.Run("impl=native", func(b *testing.B) { benchPairNative(b, 0) })
	b.Run("impl=corral", func(b *testing.B) { benchPairCorral(b, 0) })
}

// BenchmarkUnlimited measures a Send+Receive pair on an Unlimited channel
// (native: a channel with a large buffer).
func BenchmarkUnlimited(b *testing.B) {
	b.Run("impl=native", func(b *testing.B) { benchPairNative(b, 1<<16) })
	b.Run("impl=corral", func(b *testing.B) { benchPairCorral(b, channel.Unlimited) })
}

// BenchmarkSelect measures a Select receiving from either of two buffered
// channels fed by two producers.
func BenchmarkSelect(b *testing.B) {
	b.Run("impl=native", func(b *testing.B) {
		b.ReportAllocs()
		x, y := make(chan int, 64), make(chan int, 64)
		half := b.N / 2
		go func() {
			for i := 0; i < half; i++ {
				x <- i
			}
		}()
		go func() {
			for i := half; i < b.N; i++ {
				y <- i
			}
		}()
		sum := 0
		for i := 0; i < b.N; i++ {
			select {
			case v := <-x:
				sum += v
			case v := <-y:
				sum += v
			}
		}
	})
	b.Run("impl=corral", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		x, y := channel.New[int](64), channel.New[int](64)
		half := b.N / 2
		go feed(ctx, x, half)
		go feed(ctx, y, b.N-half)
		sum := 0
		add := func(v int) { sum += v }
		for i := 0; i < b.N; i++ {
			if _, err := channel.Select(ctx, channel.OnReceive(x, add), channel.OnReceive(y, add)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=corral-reused", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		x, y := channel.New[int](64), channel.New[int](64)
		half := b.N / 2
		go feed(ctx, x, half)
		go feed(ctx, y, b.N-half)
		sum := 0
		add := func(v int) { sum += v }
		clauses := []channel.Clause{channel.OnReceive(x, add), channel.OnReceive(y, add)}
		for i := 0; i < b.N; i++ {
			if _, err := channel.Select(ctx, clauses...); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func feed(ctx context.Context, c *channel.Chan[int], n int) {
	for i := 0; i < n; i++ {
		if err := c.Send(ctx, i); err != nil {
			panic(err)
		}
	}
}

// BenchmarkFanInOut measures 4 producers and 4 consumers sharing one
// channel with room for 64 values; each op is one value through.
func BenchmarkFanInOut(b *testing.B) {
	const p = 4
	b.Run("impl=native", func(b *testing.B) {
		b.ReportAllocs()
		c := make(chan int, 64)
		var wg sync.WaitGroup
		for w := 0; w < p; w++ {
			n := b.N/p + boolInt(w < b.N%p)
			wg.Go(func() {
				for i := range n {
					c <- i
				}
			})
			wg.Go(func() {
				for range n {
					<-c
				}
			})
		}
		wg.Wait()
	})
	b.Run("impl=corral", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		c := channel.New[int](64)
		var wg sync.WaitGroup
		for w := 0; w < p; w++ {
			n := b.N/p + boolInt(w < b.N%p)
			wg.Go(func() { feed(ctx, c, n) })
			wg.Go(func() {
				for range n {
					if _, err := c.Receive(ctx); err != nil {
						panic(err)
					}
				}
			})
		}
		wg.Wait()
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkHandOffUnderLoad measures a round trip between two goroutines
// over two rendezvous channels while CPU-bound goroutines keep every
// processor busy: the latency a parked waiter sees when its counterpart
// wakes it. It guards the choice, recorded in
// docs/decisions/0004-channel-algorithm.md, never to yield the processor
// (runtime.Gosched) before parking: a yielding waiter waits behind the
// CPU-bound goroutines, where a parked one is woken ahead of them.
func BenchmarkHandOffUnderLoad(b *testing.B) {
	load := func(b *testing.B) {
		var stop atomic.Bool
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				for x := 0; !stop.Load(); x++ {
				}
			})
		}
		b.Cleanup(func() { stop.Store(true); wg.Wait() })
	}
	b.Run("impl=native", func(b *testing.B) {
		load(b)
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				pong <- v
			}
		}()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			ping <- i
			<-pong
		}
		close(ping)
	})
	b.Run("impl=corral", func(b *testing.B) {
		load(b)
		ctx := context.Background()
		ping, pong := channel.New[int](0), channel.New[int](0)
		go func() {
			for v := range ping.All(ctx) {
				if pong.Send(ctx, v) != nil {
					return
				}
			}
		}()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := ping.Send(ctx, i); err != nil {
				b.Fatal(err)
			}
			if _, err := pong.Receive(ctx); err != nil {
				b.Fatal(err)
			}
		}
		_ = ping.Close()
	})
}
