package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// produce publishes jobs 0..n-1 to JOBS, each with its message ID, so that
// a producer run twice stores each job once.
func produce(ctx context.Context, js natsjs.JetStream, n int, log func(string, ...any)) error {
	start := time.Now()
	err := cjs.RunPublish(ctx, source.Range(0, n, 1), js, func(i int) (cjs.Outgoing, error) {
		return cjs.Outgoing{
			Subject: "jobs." + strconv.Itoa(i%4),
			Data:    strconv.AppendInt(nil, int64(i), 10),
			ID:      "job-" + strconv.Itoa(i),
		}, nil
	}, cjs.MaxInFlight(256))
	if err == nil {
		log("producer: published %d jobs in %v", n, time.Since(start).Round(time.Millisecond))
	}
	return err
}

// A result is what a worker makes of a job.
type result struct {
	Job    string `json:"job"`
	Square int    `json:"square"`
	Worker string `json:"worker"`
}

// acker settles jobs: a failed job is delivered again after 50ms, 100ms,
// ... up to 1s, and given up if it fails on its tenth delivery.
var acker = cjs.NewAcker(cjs.MaxDeliveries(10), cjs.RetryDelays(retry.Exponential(50*time.Millisecond, 2, time.Second)))

// computeJob is the work on one job: its square, after a millisecond of
// the I/O a real job would wait on. A share fail of first deliveries fail.
func computeJob(m *cjs.Msg, worker string, fail float64, st *stats) (result, error) {
	st.attempt(m.Delivered())
	i, err := strconv.Atoi(string(m.Data()))
	if err != nil {
		return result{}, err // nak'd, and dead on its last delivery
	}
	if m.Delivered() == 1 && rand.Float64() < fail {
		st.failed()
		return result{}, fmt.Errorf("job %d: transient failure", i)
	}
	time.Sleep(time.Millisecond)
	return result{Job: m.ID(), Square: i * i, Worker: worker}, nil
}

// resultMsg is the message that stores r in RESULTS, with the job's ID as
// its message ID, so that a job done twice has its result stored once.
func resultMsg(r result) (cjs.Outgoing, error) {
	data, err := json.Marshal(r)
	return cjs.Outgoing{Subject: "results." + r.Job, Data: data, ID: r.Job}, err
}

// work serves jobs until ctx ends, or until crash is closed: then it stops
// at once, leaving the jobs it holds unacked, as a killed process would.
func work(ctx context.Context, js natsjs.JetStream, name string, fail float64, st *stats, crash <-chan struct{}) error {
	jobs, err := js.Consumer(ctx, "JOBS", "workers")
	if err != nil {
		return err
	}
	compute := func(ctx context.Context, m *cjs.Msg) (result, error) {
		return computeJob(m, name, fail, st)
	}
	toResult := func(r cjs.Result[result]) (cjs.Outgoing, error) {
		if r.Err != nil {
			return cjs.Outgoing{}, nil // nothing to store: Settle naks the job
		}
		return resultMsg(r.Value)
	}

	return scope.Supervised(ctx, func(s *scope.Scope) error {
		ctx, kill := context.WithCancel(s.Context())
		defer kill()
		if crash != nil {
			s.GoDaemon(func(ctx context.Context) error {
				select {
				case <-crash:
					kill()
				case <-ctx.Done():
				}
				return nil
			})
		}
		done := source.MapPar(cjs.FromConsumer(js, jobs, cjs.MaxOutstanding(64)), 8, cjs.Process(compute))
		stored := cjs.Publish(done, js, toResult)
		err := cjs.Settle(stored, acker).RunDrain(ctx)
		if crash != nil && ctx.Err() != nil && s.Context().Err() == nil {
			st.crashed()
			return nil // killed: its unacked jobs go to the other workers
		}
		return err
	})
}

// collect reads RESULTS until every job has a result, and reports.
func collect(ctx context.Context, js natsjs.JetStream, n int, st *stats, log func(string, ...any)) error {
	results, err := js.Stream(ctx, "RESULTS")
	if err != nil {
		return err
	}
	c, err := results.CreateOrUpdateConsumer(ctx, natsjs.ConsumerConfig{
		Durable: "collector", AckPolicy: natsjs.AckExplicitPolicy,
	})
	if err != nil {
		return err
	}
	start := time.Now()
	seen := make(map[string]bool, n)
	byWorker := map[string]int{}
	errAll := errors.New("every result collected")
	err = cjs.FromConsumer(js, c).RunForEach(ctx, func(m *cjs.Msg) error {
		var r result
		if err := json.Unmarshal(m.Data(), &r); err != nil {
			return err
		}
		if !seen[r.Job] {
			seen[r.Job] = true
			byWorker[r.Worker]++
		}
		if err := m.Ack(); err != nil {
			return err
		}
		if len(seen) == n {
			return errAll
		}
		return nil
	})
	if !errors.Is(err, errAll) {
		return err
	}
	elapsed := time.Since(start)
	info, err := results.Info(ctx)
	if err != nil {
		return err
	}
	log("collector: %d results in %v (%.0f jobs/s); results by worker: %v",
		len(seen), elapsed.Round(time.Millisecond), float64(len(seen))/elapsed.Seconds(), byWorker)
	a := st.snapshot()
	log("collector: %d attempts, %d failed and nak'd, %d deliveries after the first; workers killed mid-run: %d",
		a.attempts, a.failures, a.redeliveries, a.crashes)
	log("collector: RESULTS stores %d messages, one per job", info.State.Msgs)
	return nil
}

// stats counts what the workers did, for the collector's report.
type stats struct {
	mu                               sync.Mutex
	attempts, failures, redeliveries int
	crashes                          int
	crashAt                          int
	crash                            chan struct{}
	errs                             []error
}

type counts struct{ attempts, failures, redeliveries, crashes int }

func (s *stats) attempt(delivered uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if delivered > 1 {
		s.redeliveries++
	}
	if s.crash != nil && s.attempts == s.crashAt {
		close(s.crash)
	}
}

// report keeps an error that a task of the service reported.
func (s *stats) report(err error) {
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.mu.Unlock()
}

func (s *stats) failed() {
	s.mu.Lock()
	s.failures++
	s.mu.Unlock()
}

func (s *stats) crashed() {
	s.mu.Lock()
	s.crashes++
	s.mu.Unlock()
}

// crashAfter returns a channel closed after the k-th attempt of any worker.
func (s *stats) crashAfter(k int) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.crash, s.crashAt = make(chan struct{}), max(k, 1)
	return s.crash
}

func (s *stats) snapshot() counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return counts{s.attempts, s.failures, s.redeliveries, s.crashes}
}
