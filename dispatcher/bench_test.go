package dispatcher_test

import (
	"context"
	"sync"
	"testing"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// Comparisons with plain goroutines and other libraries are in the bench
// module; these track the package's own hot paths.

func BenchmarkRunAsync(b *testing.B) {
	b.ReportAllocs()
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		var wg sync.WaitGroup
		body := func(*scope.Scope) error { wg.Done(); return nil }
		for b.Loop() {
			wg.Add(1)
			_ = d.RunAsync(body, nil)
		}
		wg.Wait()
		return nil
	})
}

func BenchmarkSubmitWait(b *testing.B) {
	b.ReportAllocs()
	ctx := context.Background()
	_ = scope.Supervised(ctx, func(s *scope.Scope) error {
		d := dispatcher.New(s)
		body := func(*scope.Scope) error { return nil }
		for b.Loop() {
			_ = d.Submit(body).Wait(ctx)
		}
		return nil
	})
}

func BenchmarkActorAsk(b *testing.B) {
	b.ReportAllocs()
	ctx := context.Background()
	_ = scope.Supervised(ctx, func(s *scope.Scope) error {
		a := dispatcher.NewActor(s, new(int))
		incr := func(n *int) (int, error) { *n++; return *n, nil }
		for b.Loop() {
			_, _ = dispatcher.Ask(ctx, a, incr)
		}
		return nil
	})
}

func BenchmarkActorTell(b *testing.B) {
	b.ReportAllocs()
	ctx := context.Background()
	_ = scope.Supervised(ctx, func(s *scope.Scope) error {
		a := dispatcher.NewActor(s, new(int))
		incr := func(n *int) { *n++ }
		for b.Loop() {
			_ = a.Tell(incr)
		}
		_, _ = dispatcher.Ask(ctx, a, func(n *int) (int, error) { return *n, nil }) // drain
		return nil
	})
}

func BenchmarkAwait(b *testing.B) {
	b.ReportAllocs()
	ctx := context.Background()
	register := func(complete func(int, error)) func() { complete(1, nil); return nil }
	for b.Loop() {
		_, _ = dispatcher.Await(ctx, register)
	}
}
