package dispatcher_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// messageBus stands for a library that calls its handler back on goroutines
// of its own, and knows nothing of scopes.
type messageBus struct{ handler func(msg string) }

func (b *messageBus) OnMessage(h func(msg string)) { b.handler = h }

func (b *messageBus) deliver(msgs ...string) {
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Go(func() { b.handler(m) })
	}
	wg.Wait()
}

// This example demonstrates the bridge from callbacks into a long-lived
// scope: the bus's callback only submits a task, and each task runs in a
// nested scope of its own, where it may fork.
func Example() {
	bus := new(messageBus)
	results := make(chan string, 3)
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		bus.OnMessage(func(msg string) {
			_ = d.RunAsync(func(s *scope.Scope) error {
				s.Go(func(ctx context.Context) error { // a fork of the task's scope
					results <- strings.ToUpper(msg)
					return nil
				})
				return nil
			}, func(err error) { fmt.Println("task failed:", err) })
		})
		bus.deliver("hello", "structured", "world")
		var got []string
		for range 3 {
			got = append(got, <-results)
		}
		slices.Sort(got)
		fmt.Println(got)
		return nil // the outer scope ends: the dispatcher closes
	})
	fmt.Println("server stopped:", err)
	// Output:
	// [HELLO STRUCTURED WORLD]
	// server stopped: <nil>
}

// This example demonstrates that a task's failure, even a panic, goes to its
// onError function and leaves the outer scope and the other tasks alone.
func ExampleDispatcher_RunAsync() {
	failures := make(chan error, 1)
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		_ = d.RunAsync(func(*scope.Scope) error {
			panic("bad input")
		}, func(err error) { failures <- err })
		var pe *scope.PanicError
		if errors.As(<-failures, &pe) {
			fmt.Println("task panicked:", pe.Value)
		}
		return nil
	})
	fmt.Println("outer scope:", err)
	// Output:
	// task panicked: bad input
	// outer scope: <nil>
}

// This example demonstrates a task handle: Wait returns the task's result,
// and Cancel cancels one task alone.
func ExampleDispatcher_Submit() {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		quick := d.Submit(func(*scope.Scope) error { return nil })
		slow := d.Submit(func(s *scope.Scope) error {
			<-s.Context().Done() // until cancelled
			return s.Context().Err()
		})
		fmt.Println("quick:", quick.Wait(context.Background()))
		slow.Cancel()
		fmt.Println("slow:", slow.Wait(context.Background()))
		return nil
	})
	// Output:
	// quick: <nil>
	// slow: context canceled
}

// This example demonstrates fairness across lanes: with one running slot, a
// caller's tasks start in turn with a flooder's, not after the whole flood.
func ExampleDispatcher_NewLane() {
	var order []string
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1))
		gate := make(chan struct{})
		_ = d.RunAsync(func(*scope.Scope) error { <-gate; return nil }, nil) // holds the slot
		record := func(name string) func(*scope.Scope) error {
			return func(*scope.Scope) error { order = append(order, name); return nil }
		}
		flooder, polite := d.NewLane(), d.NewLane()
		var tasks []*dispatcher.Task
		for i := range 4 {
			tasks = append(tasks, flooder.Submit(record(fmt.Sprint("flood", i))))
		}
		for i := range 2 {
			tasks = append(tasks, polite.Submit(record(fmt.Sprint("polite", i))))
		}
		close(gate)
		for _, t := range tasks {
			_ = t.Wait(context.Background())
		}
		return nil
	})
	fmt.Println(order)
	// Output: [flood0 polite0 flood1 polite1 flood2 flood3]
}

// This example demonstrates a graceful shutdown: Shutdown refuses new tasks,
// lets every accepted one run to its end, and returns nil, all before the
// outer scope ends.
func ExampleDispatcher_Shutdown() {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(2))
		var mu sync.Mutex
		done := 0
		for range 10 { // two run at once; eight wait
			_ = d.RunAsync(func(*scope.Scope) error {
				mu.Lock()
				done++
				mu.Unlock()
				return nil
			}, nil)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // the grace period
		defer cancel()
		fmt.Println("Shutdown:", d.Shutdown(ctx))
		fmt.Println("tasks done:", done)
		fmt.Println("RunAsync after:", d.RunAsync(func(*scope.Scope) error { return nil }, nil))
		return nil
	})
	// Output:
	// Shutdown: <nil>
	// tasks done: 10
	// RunAsync after: dispatcher: closed
}

// This example demonstrates a rate limit in front of the task starts: the
// tasks wait for a token of a golang.org/x/time/rate limiter, in the order
// they were submitted.
func ExampleWithRateLimit() {
	var order []int
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		limiter := rate.NewLimiter(rate.Every(time.Millisecond), 1) // one start per millisecond
		d := dispatcher.New(s, dispatcher.WithRateLimit(limiter), dispatcher.WithLimit(1))
		for i := range 5 {
			_ = d.RunAsync(func(*scope.Scope) error { order = append(order, i); return nil }, nil)
		}
		return d.Shutdown(context.Background())
	})
	fmt.Println(order)
	// Output: [0 1 2 3 4]
}

// This example demonstrates a bounded mailbox that rejects work when full.
func ExampleWithMailbox() {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1), dispatcher.WithMailbox(1, dispatcher.Reject))
		gate := make(chan struct{})
		defer close(gate)
		noop := func(*scope.Scope) error { return nil }
		fmt.Println(d.RunAsync(func(*scope.Scope) error { <-gate; return nil }, nil)) // runs
		fmt.Println(d.RunAsync(noop, nil))                                            // waits in the mailbox
		fmt.Println(d.RunAsync(noop, nil))                                            // rejected
		return nil
	})
	// Output:
	// <nil>
	// <nil>
	// dispatcher: mailbox full
}

type account struct{ balance int }

// This example demonstrates an actor: its state is touched only by its own
// goroutine, so Tell and Ask need no locks, and an error from Ask goes back
// to the caller while the actor keeps running.
func ExampleNewActor() {
	errInsufficient := errors.New("insufficient funds")
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		acct := dispatcher.NewActor(s, &account{})
		_ = acct.Tell(func(a *account) { a.balance += 100 })
		withdraw := func(n int) func(a *account) (int, error) {
			return func(a *account) (int, error) {
				if a.balance < n {
					return a.balance, errInsufficient
				}
				a.balance -= n
				return a.balance, nil
			}
		}
		fmt.Println(dispatcher.Ask(context.Background(), acct, withdraw(30)))
		fmt.Println(dispatcher.Ask(context.Background(), acct, withdraw(500)))
		fmt.Println(dispatcher.Ask(context.Background(), acct, withdraw(70)))
		return nil
	})
	// Output:
	// 70 <nil>
	// 70 insufficient funds
	// 0 <nil>
}

// This example demonstrates that an actor runs every function it accepted
// before it stops at its scope's normal end, and that Shutdown does the same
// earlier.
func ExampleActor_Shutdown() {
	var total int
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		acct := dispatcher.NewActor(s, &account{})
		for range 100 {
			_ = acct.Tell(func(a *account) { a.balance++ })
		}
		_ = acct.Tell(func(a *account) { total = a.balance })
		fmt.Println("Shutdown:", acct.Shutdown(context.Background()))
		fmt.Println("Tell after:", acct.Tell(func(a *account) {}))
		return nil
	})
	fmt.Println("balance:", total)
	// Output:
	// Shutdown: <nil>
	// Tell after: dispatcher: closed
	// balance: 100
}

// This example demonstrates Await bridging a one-shot callback API, here
// time.AfterFunc, into a call that honours its context and cancels the
// operation when the context ends first.
func ExampleAwait() {
	after := func(ctx context.Context, d time.Duration, v string) (string, error) {
		return dispatcher.Await(ctx, func(complete func(string, error)) (cancel func()) {
			t := time.AfterFunc(d, func() { complete(v, nil) })
			return func() { t.Stop() }
		})
	}
	v, err := after(context.Background(), time.Millisecond, "ready")
	fmt.Printf("%q %v\n", v, err)

	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	v, err = after(ctx, time.Hour, "never") // the timer is stopped
	fmt.Printf("%q %v\n", v, err)
	// Output:
	// "ready" <nil>
	// "" context deadline exceeded
}
