package scope_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/corral-go/corral/scope"
)

// This example demonstrates that a scope waits for its forks: Supervised
// returns only after both forks have returned.
func ExampleSupervised() {
	var total atomic.Int64
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		for _, n := range []int64{1, 2, 3} {
			s.Go(func(ctx context.Context) error {
				total.Add(n)
				return nil
			})
		}
		return nil
	})
	fmt.Println(total.Load(), err)
	// Output: 6 <nil>
}

// This example demonstrates that the first failure cancels the other forks
// and is returned.
func ExampleSupervised_failure() {
	errNotFound := errors.New("user not found")
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			select {
			case <-time.After(time.Hour):
				return nil
			case <-ctx.Done():
				fmt.Println("slow fork cancelled:", context.Cause(ctx))
				return ctx.Err()
			}
		})
		s.Go(func(ctx context.Context) error { return errNotFound })
		return nil
	})
	fmt.Println("scope:", err)
	// Output:
	// slow fork cancelled: user not found
	// scope: user not found
}

// This example demonstrates a daemon fork: the scope does not wait for it,
// but cancels it once the body is done, and waits for it to return.
func ExampleScope_GoDaemon() {
	ticks := make(chan int)
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.GoDaemon(func(ctx context.Context) error {
			for i := 0; ; i++ {
				select {
				case ticks <- i:
				case <-ctx.Done():
					fmt.Println("daemon stopped:", context.Cause(ctx))
					return ctx.Err() // discarded: the scope asked it to stop
				}
			}
		})
		fmt.Println(<-ticks, <-ticks, <-ticks)
		return nil
	})
	fmt.Println("scope:", err)
	// Output:
	// 0 1 2
	// daemon stopped: scope: ended
	// scope: <nil>
}

// This example demonstrates Defer: releases run after every fork has
// returned, last registered first.
func ExampleScope_Defer() {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		fmt.Println("open database")
		s.Defer(func() { fmt.Println("close database") })
		fmt.Println("open cache")
		s.Defer(func() { fmt.Println("close cache") })
		s.Go(func(ctx context.Context) error {
			fmt.Println("work")
			return nil
		})
		return nil
	})
	// Output:
	// open database
	// open cache
	// work
	// close cache
	// close database
}

// This example demonstrates Run, which returns the body's value once the
// scope has ended.
func ExampleRun() {
	sum, err := scope.Run(context.Background(), func(s *scope.Scope) (int, error) {
		parts := make(chan int, 2)
		s.Go(func(ctx context.Context) error { parts <- 20; return nil })
		s.Go(func(ctx context.Context) error { parts <- 22; return nil })
		return <-parts + <-parts, nil
	})
	fmt.Println(sum, err)
	// Output: 42 <nil>
}

// This example demonstrates that a panic in a fork is raised again on the
// caller's goroutine, as a *PanicError, after the scope has cleaned up.
func ExamplePanicError() {
	defer func() {
		pe := recover().(*scope.PanicError)
		fmt.Println("recovered:", pe.Value)
	}()
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Defer(func() { fmt.Println("released") })
		s.Go(func(ctx context.Context) error { panic("out of cheese") })
		return nil
	})
	// Output:
	// released
	// recovered: out of cheese
}

// This example demonstrates a limited scope: however many forks the body
// starts, at most two run at once; Go waits for a free slot.
func ExampleWithLimit() {
	var running, most atomic.Int32
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		for range 20 {
			s.Go(func(context.Context) error {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(time.Millisecond) // the work
				running.Add(-1)
				return nil
			})
		}
		return nil
	}, scope.WithLimit(2))
	fmt.Println("error:", err, "most at once:", most.Load() <= 2)
	// Output: error: <nil> most at once: true
}

// This example demonstrates TryGo: a producer that finds every slot taken
// does the work itself instead of waiting, so it never blocks.
func ExampleScope_TryGo() {
	release := make(chan struct{})
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error { // holds the only slot
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil
		})
		if !s.TryGo(func(context.Context) error { return nil }) {
			fmt.Println("no free slot: doing the work inline")
		}
		close(release)
		return nil
	}, scope.WithLimit(1))
	fmt.Println("error:", err)
	// Output:
	// no free slot: doing the work inline
	// error: <nil>
}
