// Command stuck shows how corral finds a fork that does not stop: a worker
// ignores its context, the scope fails, and the stuck-fork report names the
// worker and the line that started it, while a monitor's snapshot shows the
// scope tree on a debug endpoint.
//
//	go run ./examples/stuck
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/scope/scopehttp"
)

func main() {
	if err := run(os.Stdout, 100*time.Millisecond); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run starts a scope whose worker ignores cancellation for 3.5 grace
// periods, so that the report fires at 1, 2 (and would at 4) grace periods.
func run(w io.Writer, grace time.Duration) error {
	m := scope.NewMonitor()
	report := func(r scope.StuckReport) { fmt.Fprintln(w, r) }
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		started, cacheUp := make(chan struct{}), make(chan struct{})
		s.GoNamed("flaky-upload", func(ctx context.Context) error {
			close(started)
			time.Sleep(3*grace + grace/2) // a blocking call that ignores ctx
			return nil
		})
		s.Go(func(ctx context.Context) error {
			return scope.Supervised(ctx, func(inner *scope.Scope) error {
				inner.GoDaemon(func(ctx context.Context) error { <-ctx.Done(); return nil })
				close(cacheUp)
				<-ctx.Done()
				return nil
			}, scope.WithName("cache"))
		})
		<-started
		<-cacheUp // both running: the snapshot shows the whole tree
		fmt.Fprintln(w, "snapshot while running:")
		scopehttp.WriteText(w, m.Snapshot())
		return errors.New("upstream unavailable")
	}, scope.WithName("ingest"), scope.WithMonitor(m), scope.WithStuckReport(grace, report))
	fmt.Fprintln(w, "scope returned:", err)
	return nil
}
