package bench

import (
	"context"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
	"github.com/sourcegraph/conc/pool"
)

// callers is how many goroutines submit at once, like a network library's
// event loops calling back.
const callers = 8

// submitFromCallers has callers goroutines call submit b.N times in all,
// and returns when b.N tasks have called tasks.Done. Besides the wall time
// per task it reports the process's CPU time per task (cpu-ns/op), which
// other processes on a shared machine disturb much less.
func submitFromCallers(b *testing.B, tasks *sync.WaitGroup, submit func()) {
	tasks.Add(b.N)
	var submitters sync.WaitGroup
	before := cpuTime()
	defer func() {
		b.ReportMetric(float64(cpuTime()-before)/float64(b.N), "cpu-ns/op")
	}()
	b.ResetTimer()
	for c := range callers {
		n := b.N / callers
		if c < b.N%callers {
			n++
		}
		submitters.Go(func() {
			for range n {
				submit()
			}
		})
	}
	submitters.Wait()
	tasks.Wait()
}

// BenchmarkRunAsync: the cost per task of starting it from 8 calling
// goroutines, with dispatcher.RunAsync (each task in its own nested scope
// under the outer scope), with one go statement per callback, and with a
// conc pool.
func BenchmarkRunAsync(b *testing.B) {
	b.Run("impl=dispatcher", func(b *testing.B) {
		b.ReportAllocs()
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s)
			var tasks sync.WaitGroup
			body := func(*scope.Scope) error { tasks.Done(); return nil }
			submitFromCallers(b, &tasks, func() {
				if err := d.RunAsync(body, nil); err != nil {
					b.Error(err)
				}
			})
			return nil
		})
	})
	b.Run("impl=dispatcher-limit", func(b *testing.B) {
		b.ReportAllocs()
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(64))
			var tasks sync.WaitGroup
			body := func(*scope.Scope) error { tasks.Done(); return nil }
			submitFromCallers(b, &tasks, func() {
				if err := d.RunAsync(body, nil); err != nil {
					b.Error(err)
				}
			})
			return nil
		})
	})
	b.Run("impl=go", func(b *testing.B) {
		b.ReportAllocs()
		var tasks sync.WaitGroup
		submitFromCallers(b, &tasks, func() { go tasks.Done() })
	})
	b.Run("impl=conc-pool", func(b *testing.B) {
		b.ReportAllocs()
		p := pool.New()
		var tasks sync.WaitGroup
		submitFromCallers(b, &tasks, func() { p.Go(tasks.Done) })
		p.Wait()
	})
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
