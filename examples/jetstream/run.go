package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/corral-go/corral/scope"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// run runs the roles that cfg.role names and returns when they are done:
// for "all" and "collector", once every job has its result.
func run(ctx context.Context, cfg config, out io.Writer) error {
	log := logf(out, time.Now())
	url := cfg.url
	if url == "" {
		dir := cfg.storeDir
		if dir == "" {
			var err error
			if dir, err = os.MkdirTemp("", "corral-jetstream-"); err != nil {
				return err
			}
			defer os.RemoveAll(dir)
		}
		srv, err := embeddedServer(dir)
		if err != nil {
			return err
		}
		defer func() {
			srv.Shutdown()
			srv.WaitForShutdown()
		}()
		url = srv.ClientURL()
		log("embedded nats-server with JetStream at %s", url)
	}
	// Each role has a connection of its own, as separate processes would.
	connect := func() (*nats.Conn, natsjs.JetStream, error) {
		nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
		if err != nil {
			return nil, nil, err
		}
		js, err := natsjs.New(nc)
		if err != nil {
			nc.Close()
			return nil, nil, err
		}
		return nc, js, nil
	}
	nc, js, err := connect()
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := createStreams(ctx, js); err != nil {
		return err
	}

	stats := &stats{}
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		withConn := func(name string, role func(ctx context.Context, js natsjs.JetStream) error) func(ctx context.Context) error {
			return func(ctx context.Context) error {
				nc, js, err := connect()
				if err != nil {
					return err
				}
				defer nc.Close()
				if err := role(ctx, js); err != nil && !errors.Is(err, context.Canceled) {
					return fmt.Errorf("%s: %w", name, err)
				}
				return nil
			}
		}
		switch cfg.role {
		case "producer":
			return withConn("producer", func(ctx context.Context, js natsjs.JetStream) error {
				return produce(ctx, js, cfg.jobs, log)
			})(s.Context())
		case "worker":
			return withConn("worker", func(ctx context.Context, js natsjs.JetStream) error {
				return work(ctx, js, "worker", cfg.fail, stats, nil)
			})(s.Context())
		case "service":
			return withConn("service", func(ctx context.Context, js natsjs.JetStream) error {
				return serve(ctx, js, "service", cfg.fail, stats, 10*time.Second)
			})(s.Context())
		case "collector":
			return withConn("collector", func(ctx context.Context, js natsjs.JetStream) error {
				return collect(ctx, js, cfg.jobs, stats, log)
			})(s.Context())
		case "all":
		default:
			return fmt.Errorf("unknown role %q: use all, producer, worker, service or collector", cfg.role)
		}

		// Workers are daemons: they serve until the collector has every
		// result and the scope ends. The last one, if there are two or
		// more, is a callback service on the dispatcher.
		for i := range cfg.workers {
			if i == cfg.workers-1 && i > 0 {
				name := fmt.Sprintf("service %d", i+1)
				s.GoDaemon(withConn(name, func(ctx context.Context, js natsjs.JetStream) error {
					return serve(ctx, js, name, cfg.fail, stats, 10*time.Second)
				}))
				continue
			}
			name := fmt.Sprintf("worker %d", i+1)
			var crash <-chan struct{}
			if cfg.crash && i == 0 {
				crash = stats.crashAfter(cfg.jobs / 10)
			}
			s.GoDaemon(withConn(name, func(ctx context.Context, js natsjs.JetStream) error {
				return work(ctx, js, name, cfg.fail, stats, crash)
			}))
		}
		s.Go(withConn("producer", func(ctx context.Context, js natsjs.JetStream) error {
			return produce(ctx, js, cfg.jobs, log)
		}))
		return withConn("collector", func(ctx context.Context, js natsjs.JetStream) error {
			return collect(ctx, js, cfg.jobs, stats, log)
		})(s.Context())
	})
}

// embeddedServer starts a nats-server with JetStream on a file store in
// dir, on a free port of the loopback interface.
func embeddedServer(dir string) (*server.Server, error) {
	srv, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT,
		JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true,
	})
	if err != nil {
		return nil, err
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		return nil, errors.New("embedded nats-server did not start")
	}
	return srv, nil
}

// createStreams makes JOBS, a work queue that forgets a job once it is
// acked, with the workers' durable consumer, and RESULTS, which stores a
// result once however often it is published within ten minutes.
func createStreams(ctx context.Context, js natsjs.JetStream) error {
	jobs, err := js.CreateOrUpdateStream(ctx, natsjs.StreamConfig{
		Name: "JOBS", Subjects: []string{"jobs.>"},
		Retention: natsjs.WorkQueuePolicy, Storage: natsjs.FileStorage,
	})
	if err != nil {
		return err
	}
	// No MaxDeliver: a job that times out on a slow worker is delivered
	// again as often as it takes; the Acker gives up on a job whose work
	// keeps failing, after ten deliveries.
	if _, err := jobs.CreateOrUpdateConsumer(ctx, natsjs.ConsumerConfig{
		Durable: "workers", AckPolicy: natsjs.AckExplicitPolicy, AckWait: 2 * time.Second,
	}); err != nil {
		return err
	}
	_, err = js.CreateOrUpdateStream(ctx, natsjs.StreamConfig{
		Name: "RESULTS", Subjects: []string{"results.>"},
		Storage: natsjs.FileStorage, Duplicates: 10 * time.Minute,
	})
	return err
}
