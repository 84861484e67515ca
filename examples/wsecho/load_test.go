package main

import (
	"context"
	"fmt"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestLoad runs many concurrent WebSocket clients against the server, on
// loopback only, each sending messagesPerClient messages and checking every
// reply; then it shuts the server down with half of them still connected.
// It reports throughput, latency percentiles and peak memory of the whole
// process (clients and server).
//
// By default it runs 100 clients, so that CI stays fast. The full load test
// is opt-in:
//
//	WSECHO_LOAD=1 go test -run TestLoad -v .        # 2,500 clients
//	WSECHO_LOAD=5000 go test -run TestLoad -v .     # any number
func TestLoad(t *testing.T) {
	const messagesPerClient = 20
	clients := 100
	if v := os.Getenv("WSECHO_LOAD"); v != "" && !testing.Short() {
		clients = 2500
		if n, err := strconv.Atoi(v); err == nil && n > 1 {
			clients = n
		}
	}
	raiseFileLimit(t, uint64(2*clients+256)) // both ends of each connection live here

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	mem := sampleMemory()
	srv := startServer(t)

	conns := make([]*websocket.Conn, clients)
	var wg sync.WaitGroup
	dials := make(chan struct{}, 64) // do not overflow the listen backlog
	for i := range conns {
		dials <- struct{}{}
		wg.Go(func() {
			defer func() { <-dials }()
			conn, _, err := websocket.Dial(ctx, srv.url, nil)
			if err != nil {
				t.Errorf("client %d: dial: %v", i, err)
				return
			}
			conns[i] = conn
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	defer func() {
		for _, c := range conns {
			c.CloseNow()
		}
	}()

	latencies := make([][]time.Duration, clients)
	start := time.Now()
	for i, conn := range conns {
		wg.Go(func() {
			for j := range messagesPerClient {
				msg := fmt.Sprintf("client %d message %d", i, j)
				sent := time.Now()
				reply, err := roundTrip(ctx, conn, msg)
				if err != nil {
					t.Errorf("client %d: %v", i, err)
					return
				}
				latencies[i] = append(latencies[i], time.Since(sent))
				if want := fmt.Sprintf("CLIENT %d MESSAGE %d", i, j); reply != want {
					t.Errorf("client %d: reply %q, want %q", i, reply, want)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if t.Failed() {
		t.FailNow()
	}

	// Half the clients leave; the server shuts down with the others still
	// connected, and closes them as going away.
	for _, conn := range conns[:clients/2] {
		wg.Go(func() { _ = conn.Close(websocket.StatusNormalClosure, "") })
	}
	wg.Wait()
	goingAway := make(chan websocket.StatusCode, clients)
	for _, conn := range conns[clients/2:] {
		wg.Go(func() {
			_, _, err := conn.Read(ctx)
			goingAway <- websocket.CloseStatus(err)
		})
	}
	shutdownStart := time.Now()
	srv.stop(t)
	wg.Wait()
	shutdown := time.Since(shutdownStart)
	close(goingAway)
	for code := range goingAway {
		if code != websocket.StatusGoingAway {
			t.Errorf("a client saw close status %v, want %v", code, websocket.StatusGoingAway)
		}
	}
	peak := mem.stop()

	all := slices.Concat(latencies...)
	slices.Sort(all)
	total := clients * messagesPerClient
	t.Logf("%d clients x %d messages = %d round trips in %v: %.0f messages/s",
		clients, messagesPerClient, total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds())
	t.Logf("latency p50 %v, p99 %v, max %v",
		percentile(all, 50), percentile(all, 99), all[len(all)-1].Round(time.Microsecond))
	t.Logf("peak heap in use %.1f MiB, peak goroutine stacks %.1f MiB, peak goroutines %d (clients and server in one process)",
		mib(peak.heap), mib(peak.stacks), peak.goroutines)
	t.Logf("shutdown with %d clients connected: %v", clients-clients/2, shutdown.Round(time.Millisecond))
}

func percentile(sorted []time.Duration, p int) time.Duration {
	return sorted[(len(sorted)-1)*p/100].Round(time.Microsecond)
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// raiseFileLimit raises the soft limit on open files to at least n, within
// the hard limit, or skips the test.
func raiseFileLimit(t *testing.T, n uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	if lim.Cur >= n {
		return
	}
	if lim.Max < n {
		t.Skipf("need %d open files, the hard limit is %d", n, lim.Max)
	}
	old := lim.Cur
	lim.Cur = n
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("setrlimit to %d: %v", n, err)
	}
	t.Cleanup(func() {
		lim.Cur = old
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	})
}

type memPeak struct {
	heap, stacks uint64
	goroutines   uint64
}

type memSampler struct {
	stopc chan struct{}
	done  chan memPeak
}

// sampleMemory samples the process's memory every 10ms, through
// runtime/metrics, which does not stop the world, until stop.
func sampleMemory() *memSampler {
	m := &memSampler{stopc: make(chan struct{}), done: make(chan memPeak)}
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/stacks:bytes"},
		{Name: "/sched/goroutines:goroutines"},
	}
	go func() {
		var peak memPeak
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peak.heap = max(peak.heap, samples[0].Value.Uint64()+samples[1].Value.Uint64())
			peak.stacks = max(peak.stacks, samples[2].Value.Uint64())
			peak.goroutines = max(peak.goroutines, samples[3].Value.Uint64())
			select {
			case <-tick.C:
			case <-m.stopc:
				m.done <- peak
				return
			}
		}
	}()
	return m
}

func (m *memSampler) stop() memPeak {
	close(m.stopc)
	return <-m.done
}
