package bench

import (
	"context"
	"sync"
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
// corral against it.

func chanPairCorral(b *testing.B, capacity int) {
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

func chanPairNative(b *testing.B, capacity int) {
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

// BenchmarkChanSelect: a consumer selecting over two buffered channels, each
// fed by its own producer. "corral" builds the clauses on every call, as
// most code will; "corral-reused" builds them once.
func BenchmarkChanSelect(b *testing.B) {
	feed := func(c *channel.Chan[int], n int) {
		for i := 0; i < n; i++ {
			if err := c.Send(context.Background(), i); err != nil {
				panic(err)
			}
		}
	}
	b.Run("impl=native", func(b *testing.B) {
		b.ReportAllocs()
		x, y := make(chan int, 64), make(chan int, 64)
		go func() {
			for i := 0; i < b.N/2; i++ {
				x <- i
			}
		}()
		go func() {
			for i := b.N / 2; i < b.N; i++ {
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
		go feed(x, b.N/2)
		go feed(y, b.N-b.N/2)
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
		go feed(x, b.N/2)
		go feed(y, b.N-b.N/2)
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

// BenchmarkChanFanInOut: 4 producers and 4 consumers on one channel with
// room for 64.
func BenchmarkChanFanInOut(b *testing.B) {
	const p = 4
	share := func(b *testing.B, w int) int {
		n := b.N / p
		if w < b.N%p {
			n++
		}
		return n
	}
	b.Run("impl=native", func(b *testing.B) {
		b.ReportAllocs()
		c := make(chan int, 64)
		var wg sync.WaitGroup
		for w := range p {
			n := share(b, w)
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
		for w := range p {
			n := share(b, w)
			wg.Go(func() {
				for i := range n {
					if err := c.Send(ctx, i); err != nil {
						panic(err)
					}
				}
			})
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
