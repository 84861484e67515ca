package forkctx

import (
	"context"
	"sync"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
	"github.com/corral-go/corral/timeout"
)

func refresh()                                 {}
func process(ctx context.Context, v int) error { return nil }
func keep(s *scope.Scope)                      {}

func sleeps(s *scope.Scope) {
	s.Go(func(context.Context) error {
		for {
			time.Sleep(time.Minute) // want `fork function passed to Scope.Go never reads its ctx but blocks in time.Sleep`
			refresh()
		}
	})
}

func unusedName(s *scope.Scope, jobs chan int) {
	s.GoDaemon(func(ctx context.Context) error {
		for j := range jobs { // want `fork function passed to Scope.GoDaemon never reads its ctx but blocks in a range over a channel`
			_ = j
		}
		return nil
	})
}

func receives(s *scope.Scope, done chan struct{}) {
	fork.New(s, func(_ context.Context) (int, error) {
		<-done // want `fork function passed to fork.New never reads its ctx but blocks in a channel receive`
		return 1, nil
	})
}

func sends(s *scope.Scope, out chan<- int) {
	s.Go(func(context.Context) error {
		out <- 1 // want `never reads its ctx but blocks in a channel send`
		return nil
	})
}

func waitGroup(s *scope.Scope, wg *sync.WaitGroup) {
	s.Go(func(context.Context) error {
		wg.Wait() // want `blocks in sync.WaitGroup.Wait`
		return nil
	})
}

func foreignContext(s *scope.Scope, c *channel.Chan[int]) {
	s.Go(func(context.Context) error {
		return c.Send(context.Background(), 1) // want `blocks in Chan.Send with a context that is not its own`
	})
}

func worker(ctx context.Context) error {
	time.Sleep(time.Second) // want `fork function passed to Scope.GoNamed never reads its ctx`
	return nil
}

func named(s *scope.Scope) { s.GoNamed("worker", worker) }

func stage(src source.Source[int]) source.Source[int] {
	return source.MapPar(src, 2, func(_ context.Context, v int) (int, error) {
		time.Sleep(time.Second) // want `fork function passed to source.MapPar never reads its ctx`
		return v, nil
	})
}

func op(ctx context.Context) error {
	return retry.Do(ctx, func(context.Context) error {
		time.Sleep(time.Second) // want `fork function passed to retry.Do never reads its ctx`
		return nil
	})
}

type job struct{ done chan struct{} }

func (j job) Run(context.Context) error {
	<-j.done // want `fork function passed to Scope.Start never reads its ctx`
	return nil
}

func (job) Finish(error) {}

func start(s *scope.Scope) { s.Start(scope.ForkSpec{}, job{}) }

// Negative cases.

func selectsOnDone(s *scope.Scope, ticks <-chan time.Time) {
	s.GoDaemon(func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-ticks:
				refresh()
			}
		}
	})
}

func sleepsWithContext(s *scope.Scope) {
	s.Go(func(ctx context.Context) error {
		return timeout.Sleep(ctx, time.Second)
	})
}

func passesContextOn(s *scope.Scope, wg *sync.WaitGroup) {
	s.Go(func(ctx context.Context) error {
		wg.Wait() // the fork reads ctx below: the analyzer trusts it
		return process(ctx, 1)
	})
}

// outerContext selects on a context, but not on the fork's own: the analyzer
// cannot tell whether that context ends with the scope, and trusts it.
func outerContext(ctx context.Context, s *scope.Scope, ticks <-chan time.Time) {
	s.GoDaemon(func(context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-ticks:
				refresh()
			}
		}
	})
}

type watcher struct {
	ctx     context.Context // derived from the scope's
	drained chan struct{}
}

func (w *watcher) watch(context.Context) error {
	<-w.ctx.Done()
	<-w.drained
	return nil
}

func startWatch(s *scope.Scope, w *watcher) { s.GoDaemon(w.watch) }

func watchesScope(s *scope.Scope, ticks <-chan time.Time) {
	s.GoDaemon(func(context.Context) error {
		for {
			select {
			case <-s.Context().Done():
				return nil
			case <-ticks:
				refresh()
			}
		}
	})
}

func shortWork(s *scope.Scope) {
	s.Go(func(context.Context) error {
		time.Sleep(time.Millisecond) // the work
		return nil
	})
}

func shortButLooping(s *scope.Scope) {
	s.Go(func(context.Context) error {
		for {
			time.Sleep(10 * time.Millisecond) // want `never reads its ctx but blocks in time.Sleep`
			refresh()
		}
	})
}

func doesNotBlock(s *scope.Scope) {
	s.Go(func(context.Context) error {
		refresh()
		return nil
	})
}

func tryOnly(s *scope.Scope, out chan int) {
	s.Go(func(context.Context) error {
		select {
		case out <- 1:
		default:
		}
		return nil
	})
}

func definesCallback(s *scope.Scope, register func(func())) {
	s.Go(func(context.Context) error {
		register(func() { time.Sleep(time.Second) })
		return nil
	})
}

// Scope bodies and dispatcher tasks are not checked: they run on their
// caller's goroutine, and often wait for their own forks.
func bodyWaits(ctx context.Context, signals <-chan struct{}) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error { return process(ctx, 1) })
		<-signals
		return nil
	})
}

func task(d *dispatcher.Dispatcher) {
	_ = d.RunAsync(func(*scope.Scope) error {
		time.Sleep(time.Second)
		return nil
	}, nil)
}

func bufferedSend(s *scope.Scope, items []int) []int {
	results := make(chan int, len(items))
	for _, it := range items {
		s.Go(func(context.Context) error {
			results <- it * 2 // the buffer has room for every fork's result
			return nil
		})
	}
	return nil
}

func unbufferedSend(s *scope.Scope) {
	results := make(chan int)
	s.Go(func(context.Context) error {
		results <- 1 // want `never reads its ctx but blocks in a channel send`
		return nil
	})
	<-results
}

func bodyReadsContext(ctx context.Context, signals <-chan struct{}) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		select {
		case <-s.Context().Done():
		case <-signals:
		}
		return nil
	})
}

func bodyPassesScopeOn(ctx context.Context, signals <-chan struct{}) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		keep(s)
		<-signals
		return nil
	})
}

func bodyStartsForksOnly(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error { return process(ctx, 1) })
		f := fork.New(s, func(ctx context.Context) (int, error) { return 1, process(ctx, 1) })
		_, err := f.Join()
		return err
	})
}

func timeoutBody(ctx context.Context) error {
	return timeout.Do(ctx, time.Second, func(ctx context.Context) error {
		return process(ctx, 2)
	})
}
