package jetstream_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/source"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// The benchmarks compare FromConsumer -> MapPar(8) -> Settle with a
// hand-written nats.go loop that does the same work and acks: a
// Messages iterator feeding 8 worker goroutines over a Go channel, with
// the same prefetch (128 messages).
//
//	go test -run '^$' -bench . -count 10 | tee bench.txt
//	benchstat bench.txt

const (
	benchBatch   = 2000 // messages consumed per iteration
	benchWorkers = 8
	benchPayload = 128
)

// benchWork is the work done on each message: a hash of its payload.
func benchWork(data []byte) [32]byte { return sha256.Sum256(data) }

type benchEnv struct {
	js natsjs.JetStream
	c  natsjs.Consumer
}

func newBenchEnv(b *testing.B) *benchEnv {
	ts := startServer(b)
	_, js := ts.connect(b)
	return &benchEnv{js: js, c: setup(b, js, 30*time.Second, 0)}
}

// fill publishes n messages whose payload starts with the publish time.
func (e *benchEnv) fill(b *testing.B, n int) {
	payload := make([]byte, benchPayload)
	for range n {
		binary.LittleEndian.PutUint64(payload, uint64(time.Now().UnixNano()))
		if _, err := e.js.PublishMsgAsync(&nats.Msg{Subject: "jobs.bench", Data: slices.Clone(payload)}); err != nil {
			b.Fatal(err)
		}
	}
	<-e.js.PublishAsyncComplete()
}

// impls consume n messages each, calling done(publish time) after each ack.
var impls = []struct {
	name string
	run  func(ctx context.Context, js natsjs.JetStream, c natsjs.Consumer, n int, done func(int64)) error
}{
	{"corral", runCorral},
	{"handwritten", runHandwritten},
}

func runCorral(ctx context.Context, js natsjs.JetStream, c natsjs.Consumer, n int, done func(int64)) error {
	work := func(_ context.Context, m *cjs.Msg) (int64, error) {
		benchWork(m.Data())
		return int64(binary.LittleEndian.Uint64(m.Data())), nil
	}
	src := source.MapPar(cjs.FromConsumer(js, c), benchWorkers, cjs.Process(work))
	return cjs.Settle(src, cjs.NewAcker()).Take(n).RunForEach(ctx, func(t int64) error {
		done(t)
		return nil
	})
}

func runHandwritten(ctx context.Context, _ natsjs.JetStream, c natsjs.Consumer, n int, done func(int64)) error {
	it, err := c.Messages(natsjs.PullMaxMessages(cjs.DefaultMaxOutstanding / 2))
	if err != nil {
		return err
	}
	defer func() {
		// Wait until the server has dropped the pull requests, so that
		// none takes messages published later, and nak what came.
		it.Drain()
		for {
			m, err := it.Next(natsjs.NextMaxWait(time.Second))
			if err != nil {
				break
			}
			_ = m.Nak()
		}
	}()
	work := make(chan natsjs.Msg, benchWorkers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ackErr error
	for range benchWorkers {
		wg.Go(func() {
			for m := range work {
				benchWork(m.Data())
				if err := m.Ack(); err != nil {
					mu.Lock()
					ackErr = err
					mu.Unlock()
				}
				mu.Lock()
				done(int64(binary.LittleEndian.Uint64(m.Data())))
				mu.Unlock()
			}
		})
	}
	for range n {
		m, err := it.Next(natsjs.NextContext(ctx))
		if err != nil {
			ackErr = err
			break
		}
		work <- m
	}
	close(work)
	wg.Wait()
	return ackErr
}

// BenchmarkThroughput measures messages per second through the consumer,
// the work and the ack, for both implementations in turn in each
// iteration, on one server, with the stream filled before each timed part:
// on a shared machine, only figures taken side by side compare. It reports
// each one's msgs/s and their ratio, corral/handwritten.
func BenchmarkThroughput(b *testing.B) {
	e := newBenchEnv(b)
	ctx := context.Background()
	busy := make([]time.Duration, len(impls))
	var iter int
	for b.Loop() {
		for k := range impls {
			k = (k + iter) % len(impls) // alternate which goes first
			e.fill(b, benchBatch)
			start := time.Now()
			if err := impls[k].run(ctx, e.js, e.c, benchBatch, func(int64) {}); err != nil {
				b.Fatal(err)
			}
			busy[k] += time.Since(start)

		}
		iter++
	}
	n := float64(iter * benchBatch)
	for k, impl := range impls {
		b.ReportMetric(n/busy[k].Seconds(), impl.name+"-msgs/s")
	}
	b.ReportMetric(busy[1].Seconds()/busy[0].Seconds(), "corral/handwritten")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkLatency measures the time from publish to ack while a publisher
// sends at a steady rate, LATENCY_RATE messages per second (default 28000,
// half the corral pipeline's throughput in BenchmarkThroughput on the
// machine of the README's table), for half a second per implementation and
// iteration.
func BenchmarkLatency(b *testing.B) {
	rate := benchLatencyRate()
	e := newBenchEnv(b)
	lat := make([][]time.Duration, len(impls))
	var iter int
	for b.Loop() {
		for k := range impls {
			k = (k + iter) % len(impls)
			lat[k] = append(lat[k], e.latencyRound(b, impls[k].run, rate, time.Second/2)...)
		}
		iter++
	}
	for k, impl := range impls {
		slices.Sort(lat[k])
		b.ReportMetric(float64(lat[k][len(lat[k])/2].Microseconds()), impl.name+"-p50-µs")
		b.ReportMetric(float64(lat[k][len(lat[k])*99/100].Microseconds()), impl.name+"-p99-µs")
	}
	b.ReportMetric(0, "ns/op")
}

func (e *benchEnv) latencyRound(b *testing.B, run func(context.Context, natsjs.JetStream, natsjs.Consumer, int, func(int64)) error, rate int, d time.Duration) []time.Duration {
	n := int(int64(rate) * int64(d) / int64(time.Second))
	lat := make([]time.Duration, 0, n)
	var mu sync.Mutex
	var consumed atomic.Int64
	errc := make(chan error, 1)
	go func() {
		errc <- run(context.Background(), e.js, e.c, n, func(t int64) {
			mu.Lock()
			lat = append(lat, time.Duration(time.Now().UnixNano()-t))
			mu.Unlock()
			consumed.Add(1)
		})
	}()
	// Publish in ticks of 1ms, each tick the messages due by then.
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	payload := make([]byte, benchPayload)
	for sent := 0; sent < n; {
		<-tick.C
		due := min(n, int(int64(rate)*int64(time.Since(start))/int64(time.Second)))
		for ; sent < due; sent++ {
			binary.LittleEndian.PutUint64(payload, uint64(time.Now().UnixNano()))
			if _, err := e.js.PublishMsgAsync(&nats.Msg{Subject: "jobs.bench", Data: slices.Clone(payload)}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
	if consumed.Load() != int64(n) {
		b.Fatalf("consumed %d, want %d", consumed.Load(), n)
	}
	return lat
}

// benchLatencyRate is the publish rate of BenchmarkLatency, from
// LATENCY_RATE.
func benchLatencyRate() int {
	var r int
	if _, err := fmt.Sscan(getenv("LATENCY_RATE", "28000"), &r); err != nil || r <= 0 {
		panic("LATENCY_RATE must be a positive number of messages per second")
	}
	return r
}
