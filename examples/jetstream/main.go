// Command jetstream runs a distributed pipeline on NATS JetStream, at least
// once: a producer publishes jobs to the stream JOBS, workers take them
// from a durable consumer, compute eight at a time with source.MapPar,
// store each result in the stream RESULTS and ack the job once its result
// is stored, and a collector reads the results.
//
//	producer --JOBS--> worker 1..W-1: FromConsumer -> MapPar(8) -> Publish -> Settle --RESULTS--> collector
//	                   service W:   Consume callbacks -> dispatcher task per job, a lane per subject
//
// The last worker is built the other way round: nats.go calls it back with
// each job, and each job runs as a task of a dispatcher in a long-lived
// scope, which drains on SIGTERM (see service.go).
//
// One command runs it all, on an embedded nats-server (JetStream on a file
// store in a temporary directory) when NATS_URL is not set:
//
//	go run .                       # 2000 jobs, 3 workers, embedded server
//	go run . -jobs 10000 -workers 5 -fail 0.05
//	NATS_URL=nats://127.0.0.1:4222 go run . -role worker   # one role, real server
//
// With -role, each role runs on its own, as a process of a real
// deployment: start the workers and the collector, then the producer.
// -fail makes that share of first attempts fail, so that the jobs are nak'd
// and delivered again; -crash kills a worker mid-run, without acking, to
// show its jobs delivered again to the others.
//
// SIGINT or SIGTERM stops every role: the pipelines are cancelled, and what
// was not acked is delivered again to whoever runs next.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

func main() {
	var cfg config
	flag.IntVar(&cfg.jobs, "jobs", 2000, "jobs to publish, and results to collect")
	flag.IntVar(&cfg.workers, "workers", 3, "worker processes to run (role all)")
	flag.Float64Var(&cfg.fail, "fail", 0.02, "share of first attempts that fail")
	flag.BoolVar(&cfg.crash, "crash", true, "kill one worker mid-run without acking (role all)")
	flag.StringVar(&cfg.role, "role", "all", "all, producer, worker, service or collector")
	flag.Parse()
	cfg.url = os.Getenv("NATS_URL")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "jetstream:", err)
		os.Exit(1)
	}
}

type config struct {
	url           string // "" starts an embedded server
	role          string
	jobs, workers int
	fail          float64
	crash         bool
	storeDir      string // embedded server's store; "" is a new temporary directory
}

// logf returns a function that writes a line, with the time since start,
// to w; it may be called from any goroutine.
func logf(w io.Writer, start time.Time) func(format string, args ...any) {
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%6.3fs  %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
}
