package bench

import (
	"context"
	"sync"
	"testing"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
	"github.com/sourcegraph/conc"
	"golang.org/x/sync/errgroup"
)

func work(context.Context) error { return nil }

// BenchmarkOneFork: a scope (or its equivalent) that starts one goroutine and
// waits for it.
func BenchmarkOneFork(b *testing.B) {
	ctx := context.Background()
	b.Run("corral", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = scope.Supervised(ctx, func(s *scope.Scope) error {
				s.Go(work)
				return nil
			})
		}
	})
	b.Run("corral-fork-join", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = scope.Supervised(ctx, func(s *scope.Scope) error {
				_, err := fork.New(s, func(context.Context) (int, error) { return 1, nil }).Join()
				return err
			})
		}
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g, gctx := errgroup.WithContext(ctx)
			g.Go(func() error { return work(gctx) })
			_ = g.Wait()
		}
	})
	b.Run("conc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var wg conc.WaitGroup
			wg.Go(func() { _ = work(ctx) })
			wg.Wait()
		}
	})
	b.Run("go-waitgroup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = work(ctx)
			}()
			wg.Wait()
		}
	})
}

// BenchmarkHundredForks: a scope with 100 awaited forks.
func BenchmarkHundredForks(b *testing.B) {
	ctx := context.Background()
	b.Run("corral", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = scope.Supervised(ctx, func(s *scope.Scope) error {
				for range 100 {
					s.Go(work)
				}
				return nil
			})
		}
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g, gctx := errgroup.WithContext(ctx)
			for range 100 {
				g.Go(func() error { return work(gctx) })
			}
			_ = g.Wait()
		}
	})
	b.Run("conc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var wg conc.WaitGroup
			for range 100 {
				wg.Go(func() { _ = work(ctx) })
			}
			wg.Wait()
		}
	})
	b.Run("go-waitgroup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var wg sync.WaitGroup
			for range 100 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_ = work(ctx)
				}()
			}
			wg.Wait()
		}
	})
}

// BenchmarkEmptyScope: the cost of a scope with no forks, beside the one
// context.WithCancelCause it is built on.
func BenchmarkEmptyScope(b *testing.B) {
	ctx := context.Background()
	b.Run("corral", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = scope.Supervised(ctx, func(*scope.Scope) error { return nil })
		}
	})
	b.Run("WithCancelCause", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, cancel := context.WithCancelCause(ctx)
			cancel(nil)
		}
	})
}

// BenchmarkTypedForks: 100 typed forks that each compute a value, joined in
// order, against errgroup with 100 Go writing into a slice (issue 13).
func BenchmarkTypedForks(b *testing.B) {
	ctx := context.Background()
	const n = 100
	b.Run("corral-fork-new-join", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = scope.Run(ctx, func(s *scope.Scope) ([]int, error) {
				var forks [n]*fork.Fork[int]
				for i := range forks {
					forks[i] = fork.New(s, func(context.Context) (int, error) { return i, nil })
				}
				out := make([]int, n)
				for i, f := range forks {
					v, err := f.Join()
					if err != nil {
						return nil, err
					}
					out[i] = v
				}
				return out, nil
			})
		}
	})
	b.Run("errgroup-slice", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g, _ := errgroup.WithContext(ctx)
			out := make([]int, n)
			for i := range out {
				g.Go(func() error { out[i] = i; return nil })
			}
			_ = g.Wait()
		}
	})
}

// BenchmarkOneTypedFork: a scope with one typed fork that is joined, against
// errgroup.WithContext, one Go and Wait (issue 13).
func BenchmarkOneTypedFork(b *testing.B) {
	ctx := context.Background()
	b.Run("corral-fork-new-join", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = scope.Run(ctx, func(s *scope.Scope) (int, error) {
				return fork.New(s, func(context.Context) (int, error) { return 1, nil }).Join()
			})
		}
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g, _ := errgroup.WithContext(ctx)
			var v int
			g.Go(func() error { v = 1; return nil })
			_ = g.Wait()
			_ = v
		}
	})
}

// BenchmarkLimitedForks: 100 forks through a scope limited to 4 running at
// once, against errgroup with SetLimit(4) (issue 15).
func BenchmarkLimitedForks(b *testing.B) {
	ctx := context.Background()
	const n, limit = 100, 4
	b.Run("corral-WithLimit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = scope.Supervised(ctx, func(s *scope.Scope) error {
				for range n {
					s.Go(work)
				}
				return nil
			}, scope.WithLimit(limit))
		}
	})
	b.Run("errgroup-SetLimit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g, gctx := errgroup.WithContext(ctx)
			g.SetLimit(limit)
			for range n {
				g.Go(func() error { return work(gctx) })
			}
			_ = g.Wait()
		}
	})
}
