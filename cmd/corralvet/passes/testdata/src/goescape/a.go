package goescape

import (
	"context"
	"sync"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

func refresh()             {}
func work(n int)           {}
func use(v ...any)         {}
func serve(s *scope.Scope) {}

func handle(pattern string, h func()) {}

func inBody(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		go refresh() // want `go statement in a scope body passed to scope.Supervised starts a goroutine that no scope owns`
		go func() {  // want `go statement in a scope body passed to scope.Supervised`
			refresh()
		}()
		go work(1) // want `go statement in a scope body`
		return nil
	})
}

func inFork(s *scope.Scope) {
	s.Go(func(ctx context.Context) error {
		go func() { // want `go statement in a fork function passed to Scope.Go`
			if ctx.Err() != nil {
				return
			}
			refresh()
		}()
		return nil
	})
	fork.New(s, func(context.Context) (int, error) {
		go refresh() // want `go statement in a fork function passed to fork.New`
		return 1, nil
	})
}

// abandons waits for the goroutine only if ctx does not end first.
func abandons(s *scope.Scope, srv server) {
	s.Go(func(ctx context.Context) error {
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve() }() // want `go statement in a fork function passed to Scope.Go`
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			return err
		}
	})
}

func inDaemonLoop(s *scope.Scope) {
	s.GoDaemon(func(ctx context.Context) error {
		go func() { // want `go statement in a fork function passed to Scope.GoDaemon`
			for {
				refresh()
			}
		}()
		return nil
	})
}

func worker(ctx context.Context) error {
	go refresh() // want `go statement in a fork function passed to Scope.Go`
	return nil
}

func namedFork(s *scope.Scope) { s.Go(worker) }

func inTask(d *dispatcher.Dispatcher) {
	_ = d.RunAsync(func(task *scope.Scope) error {
		go refresh() // want `go statement in a scope body passed to Dispatcher.RunAsync`
		return nil
	}, nil)
}

func inStage(src source.Source[int]) source.Source[int] {
	return source.MapPar(src, 4, func(ctx context.Context, v int) (int, error) {
		go work(v) // want `go statement in a fork function passed to source.MapPar`
		return v, nil
	})
}

type job struct{}

func (job) Run(ctx context.Context) error {
	go refresh() // want `go statement in a fork function passed to Scope.Start`
	return nil
}

func (job) Finish(error) {}

func started(s *scope.Scope) { s.Start(scope.ForkSpec{Name: "job"}, job{}) }

func inRun(ctx context.Context) (int, error) {
	return scope.Run(ctx, func(s *scope.Scope) (int, error) {
		f := func(ctx context.Context) error {
			go refresh() // want `go statement in a fork function passed to Scope.TryGo`
			return nil
		}
		s.TryGo(f)
		return 0, nil
	})
}

// Negative cases.

// notABody is not a scope body, so its goroutines are its own business.
func notABody() {
	go refresh()
}

// helper receives a scope but is not a scope body.
func helper(s *scope.Scope) {
	go refresh()
}

func waitGroup(s *scope.Scope, items []int) {
	s.Go(func(ctx context.Context) error {
		var wg sync.WaitGroup
		for _, it := range items {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(it)
			}()
		}
		wg.Wait()
		return nil
	})
}

type server struct{}

func (server) Serve() error { return nil }
func (server) Close()       {}

// bridge runs a call that takes no context in a goroutine, and waits for it
// on every path.
func bridge(s *scope.Scope, srv server) {
	s.Go(func(ctx context.Context) error {
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve() }()
		select {
		case <-ctx.Done():
			srv.Close()
			return <-errc
		case err := <-errc:
			return err
		}
	})
}

func closes(s *scope.Scope) {
	s.Go(func(ctx context.Context) error {
		done := make(chan struct{})
		go func() {
			defer close(done)
			refresh()
		}()
		<-done
		return nil
	})
}

func nestedLiteral(s *scope.Scope) error {
	return scope.Supervised(context.Background(), func(s *scope.Scope) error {
		// The handler runs when a request comes, not as part of the body.
		handle("/", func() {
			go refresh()
		})
		s.Go(func(ctx context.Context) error {
			serve(s)
			return nil
		})
		return nil
	})
}
