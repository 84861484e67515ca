package fork_test

import (
	"context"
	"sync"
	"testing"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// Each benchmark runs beside a plain-goroutine baseline doing the same work,
// so the cost of the scope (and of its guarantees) is visible.

func BenchmarkNewJoin(b *testing.B) {
	ctx := context.Background()
	b.Run("fork", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = scope.Supervised(ctx, func(s *scope.Scope) error {
				_, err := fork.New(s, func(context.Context) (int, error) { return 1, nil }).Join()
				return err
			})
		}
	})
	b.Run("goroutine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, cancel := context.WithCancelCause(ctx)
			ch := make(chan int, 1)
			go func() { ch <- 1 }()
			<-ch
			cancel(nil)
		}
	})
}

func BenchmarkPar100(b *testing.B) {
	ctx := context.Background()
	tasks := make([]func(context.Context) (int, error), 100)
	for i := range tasks {
		tasks[i] = func(context.Context) (int, error) { return i, nil }
	}
	b.Run("fork", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := fork.Par(ctx, tasks...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goroutine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out := make([]int, len(tasks))
			var wg sync.WaitGroup
			for i, task := range tasks {
				wg.Go(func() { out[i], _ = task(ctx) })
			}
			wg.Wait()
		}
	})
}

func BenchmarkMap(b *testing.B) {
	const limit = 4
	ctx := context.Background()
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	double := func(_ context.Context, v int) (int, error) { return 2 * v, nil }
	b.Run("fork", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := fork.Map(ctx, limit, in, double); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goroutine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out := make([]int, len(in))
			next := make(chan int)
			var wg sync.WaitGroup
			for range limit {
				wg.Go(func() {
					for i := range next {
						out[i], _ = double(ctx, in[i])
					}
				})
			}
			for i := range in {
				next <- i
			}
			close(next)
			wg.Wait()
		}
	})
}
