package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/channel"
)

// Corral channels beside native Go channels. Each benchmark op moves one
// value from a producer goroutine to a consumer goroutine.
//
//	go test -run '^$' -bench Chan -count=10 > /tmp/chan.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl /tmp/chan.txt
//
// The native variant of each benchmark runs first, so benchstat compares
// corral against it. The channel package's own micro-benchmarks (one path
// at a time, no comparison) are in channel/bench_test.go.

// produceNative sends 0, 1, 2, ... on c until stop is set, then closes c.
// The consumer sets stop and drains c, which unblocks a waiting send.
func produceNative(c chan<- int, stop *atomic.Bool) {
	defer close(c)
	for i := 0; !stop.Load(); i++ {
		c <- i
	}
}

// stopNative ends produceNative.
func stopNative(c <-chan int, stop *atomic.Bool) {
	stop.Store(true)
	for range c {
	}
}

// produceCorral sends 0, 1, 2, ... on c until a Send fails: the consumer
// closes c to end it. It closes done on return.
func produceCorral(c *channel.Chan[int], done chan<- struct{}) {
	defer close(done)
	ctx := context.Background()
	for i := 0; c.Send(ctx, i) == nil; i++ {
	}
}

func chanPairNative(b *testing.B, capacity int) {
	b.ReportAllocs()
	c := make(chan int, capacity)
	var stop atomic.Bool
	go produceNative(c, &stop)
	for b.Loop() {
		<-c
	}
	stopNative(c, &stop)
}

func chanPairCorral(b *testing.B, capacity int) {
	b.ReportAllocs()
	ctx := context.Background()
	c := channel.New[int](capacity)
	done := make(chan struct{})
	go produceCorral(c, done)
	for b.Loop() {
		if _, err := c.Receive(ctx); err != nil {
			b.Fatal(err)
		}
	}
	_ = c.Close()
	<-done
}

// BenchmarkChanBuffered: a Send+Receive pair on a channel with room for 64.
func BenchmarkChanBuffered(b *testing.B) {
	b.Run("impl=native", func(b *testing.B) { chanPairNative(b, 64) })
	b.Run("impl=corral", func(b *testing.B) { chanPairCorral(b, 64) })
}

// BenchmarkChanRendezvous: a Send+Receive hand-off on an unbuffered channel.
func BenchmarkChanRendezvous(b *testing.B) {
	b.Run("impl=native", func(b *testing.B) { chanPairNative(b, 0) })
	b.Run("impl=corral", func(b *testing.B) { chanPairCorral(b, 0) })
}

// BenchmarkChanUnlimited: a Send+Receive pair on an Unlimited channel
// (native: a channel with a large buffer). A producer that never waits
// would run ahead of the consumer without bound, so it sends in batches of
// creditBatch values, each allowed by the consumer: one native channel
// operation per batch, on both variants.
func BenchmarkChanUnlimited(b *testing.B) {
	b.Run("impl=native", func(b *testing.B) {
		b.ReportAllocs()
		c, credit := make(chan int, 1<<16), newCredit()
		go func() {
			defer close(c)
			for range credit {
				for i := range creditBatch {
					c <- i
				}
			}
		}()
		n := 0
		for b.Loop() {
			<-c
			n = credit.give(n)
		}
		close(credit)
		for range c {
		}
	})
	b.Run("impl=corral", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		c, credit := channel.New[int](channel.Unlimited), newCredit()
		go func() {
			defer c.Close()
			for range credit {
				for i := range creditBatch {
					_ = c.Send(ctx, i)
				}
			}
		}()
		n := 0
		for b.Loop() {
			if _, err := c.Receive(ctx); err != nil {
				b.Fatal(err)
			}
			n = credit.give(n)
		}
		close(credit)
		for range c.All(ctx) {
		}
	})
}

const creditBatch = 256

// credit lets a producer send creditBatch values per token; it starts with
// two tokens, so the producer keeps one batch ahead.
type credit chan struct{}

func newCredit() credit {
	c := make(credit, 2)
	c <- struct{}{}
	c <- struct{}{}
	return c
}

// give counts a received value and grants a batch after every
// creditBatch; it returns the new count.
func (c credit) give(n int) int {
	if n++; n == creditBatch {
		c <- struct{}{}
		return 0
	}
	return n
}

// BenchmarkChanSelect: a consumer selecting over two buffered channels, each
// fed by its own producer. "corral" builds the clauses on every call, as
// most code will; "corral-reused" builds them once.
func BenchmarkChanSelect(b *testing.B) {
	b.Run("impl=native", func(b *testing.B) {
		b.ReportAllocs()
		x, y := make(chan int, 64), make(chan int, 64)
		var stop atomic.Bool
		go produceNative(x, &stop)
		go produceNative(y, &stop)
		sum := 0
		for b.Loop() {
			select {
			case v := <-x:
				sum += v
			case v := <-y:
				sum += v
			}
		}
		stopNative(x, &stop)
		stopNative(y, &stop)
	})
	corral := func(b *testing.B, reuse bool) {
		b.ReportAllocs()
		ctx := context.Background()
		x, y := channel.New[int](64), channel.New[int](64)
		xDone, yDone := make(chan struct{}), make(chan struct{})
		go produceCorral(x, xDone)
		go produceCorral(y, yDone)
		sum := 0
		add := func(v int) { sum += v }
		clauses := []channel.Clause{channel.OnReceive(x, add), channel.OnReceive(y, add)}
		for b.Loop() {
			var err error
			if reuse {
				_, err = channel.Select(ctx, clauses...)
			} else {
				_, err = channel.Select(ctx, channel.OnReceive(x, add), channel.OnReceive(y, add))
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		_, _ = x.Close(), y.Close()
		<-xDone
		<-yDone
	}
	b.Run("impl=corral", func(b *testing.B) { corral(b, false) })
	b.Run("impl=corral-reused", func(b *testing.B) { corral(b, true) })
}

// BenchmarkChanFanInOut: 4 producers and 4 consumers on one channel with
// room for 64.
func BenchmarkChanFanInOut(b *testing.B) {
	const p = 4
	b.Run("impl=native", func(b *testing.B) {
		b.ReportAllocs()
		c := make(chan int, 64)
		var stop atomic.Bool
		var wg sync.WaitGroup
		for range p {
			wg.Go(func() {
				for j := 0; !stop.Load(); j++ {
					c <- j
				}
			})
		}
		b.SetParallelism(p / 2) // p consumers on 2 processors
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				<-c
			}
		})
		stop.Store(true)
		go func() { wg.Wait(); close(c) }()
		for range c {
		}
	})
	b.Run("impl=corral", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		c := channel.New[int](64)
		var wg sync.WaitGroup
		for range p {
			wg.Go(func() {
				for j := 0; c.Send(ctx, j) == nil; j++ {
				}
			})
		}
		b.SetParallelism(p / 2)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Receive(ctx); err != nil {
					panic(err)
				}
			}
		})
		_ = c.Close()
		wg.Wait()
	})
}

// BenchmarkChanHandOffUnderLoad measures a round trip between two
// goroutines over two rendezvous channels while CPU-bound goroutines keep
// every processor busy: the latency a parked waiter sees when its
// counterpart wakes it. It guards the choice, recorded in
// docs/decisions/0004-channel-algorithm.md, never to yield the processor
// (runtime.Gosched) before parking: a yielding waiter waits behind the
// CPU-bound goroutines, where a parked one is woken ahead of them.
func BenchmarkChanHandOffUnderLoad(b *testing.B) {
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
		for b.Loop() {
			ping <- 1
			<-pong
		}
		close(ping)
	})
	b.Run("impl=corral", func(b *testing.B) {
		load(b)
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
			if err := ping.Send(ctx, 1); err != nil {
				b.Fatal(err)
			}
			if _, err := pong.Receive(ctx); err != nil {
				b.Fatal(err)
			}
		}
		_ = ping.Close()
		<-done
	})
}
