package channel_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/scope"
)

// This example demonstrates a producer that tells its consumer it is done:
// the consumer receives every value, then the loop ends.
func Example() {
	ctx := context.Background()
	c := channel.New[string](2)
	go func() {
		for _, s := range []string{"a", "b", "c"} {
			if err := c.Send(ctx, s); err != nil {
				return
			}
		}
		c.Close()
	}()
	for s, err := range c.All(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(s)
	}
	// Output:
	// a
	// b
	// c
}

// This example demonstrates how a failure reaches the consumer: buffered
// values are dropped and the error matches both ErrFailed and the cause.
func ExampleChan_Fail() {
	ctx := context.Background()
	errDisk := errors.New("disk full")
	c := channel.New[int](4)
	c.Send(ctx, 1)
	c.Fail(errDisk)

	_, err := c.Receive(ctx)
	fmt.Println(err)
	fmt.Println(errors.Is(err, channel.ErrFailed), errors.Is(err, errDisk))
	fmt.Println(c.Send(ctx, 2) == err)
	// Output:
	// channel: failed: disk full
	// true true
	// true
}

// This example demonstrates that a done channel still delivers its
// buffered values, and that sending to it is an error, not a panic.
func ExampleChan_Close() {
	ctx := context.Background()
	c := channel.New[int](4)
	c.Send(ctx, 1)
	c.Close()

	fmt.Println(c.Send(ctx, 2))
	fmt.Println(c.Receive(ctx))
	fmt.Println(c.Receive(ctx))
	fmt.Println(c.Close())
	// Output:
	// channel: closed
	// 1 <nil>
	// 0 channel: closed
	// channel: closed
}

// This example demonstrates the non-blocking operations.
func ExampleChan_TrySend() {
	c := channel.New[int](1)
	fmt.Println(c.TrySend(1))
	fmt.Println(c.TrySend(2)) // full
	fmt.Println(c.TryReceive())
	fmt.Println(c.TryReceive()) // empty
	// Output:
	// true <nil>
	// false <nil>
	// 1 true <nil>
	// 0 false <nil>
}

// This example demonstrates a loop that selects over two channels until
// both are done, dropping each clause when its channel ends.
func ExampleSelect() {
	ctx := context.Background()
	words, numbers := channel.New[string](2), channel.New[int](2)
	words.Send(ctx, "hello")
	words.Close()
	numbers.Send(ctx, 42)
	numbers.Close()

	var got []string
	clauses := []channel.Clause{
		channel.OnReceive(words, func(w string) { got = append(got, w) }),
		channel.OnReceive(numbers, func(n int) { got = append(got, fmt.Sprint(n)) }),
	}
	for open := len(clauses); open > 0; {
		i, err := channel.Select(ctx, clauses...)
		if errors.Is(err, channel.ErrClosed) {
			clauses[i] = nil
			open--
		}
	}
	fmt.Println(len(got), "values")
	// Output:
	// 2 values
}

// This example demonstrates waiting on a plain Go channel, such as one a
// library delivers events on, together with a channel and a timeout: a fork
// forwards the Go channel's values into a Chan, which Select waits on like
// any other, and closes it when the Go channel is closed.
func ExampleSelect_goChannel() {
	events := make(chan string, 2) // a library's Go channel
	events <- "connected"
	events <- "ready"
	close(events)

	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		bridge := channel.New[string](0)
		s.Go(func(ctx context.Context) error {
			for e := range events {
				if bridge.Send(ctx, e) != nil {
					return nil // the Select loop ended the bridge, or ctx ended
				}
			}
			return bridge.Close()
		})

		messages := channel.New[string](0)
		for {
			_, err := channel.Select(s.Context(),
				channel.OnReceive(messages, func(m string) { fmt.Println("message:", m) }),
				channel.OnReceive(bridge, func(e string) { fmt.Println("event:", e) }),
				channel.OnTimeout(time.Minute, func() { fmt.Println("quiet for a minute") }),
			)
			if errors.Is(err, channel.ErrClosed) {
				fmt.Println("no more events")
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
	fmt.Println(err)
	// Output:
	// event: connected
	// event: ready
	// no more events
	// <nil>
}

// This example demonstrates a non-blocking receive with Default.
func ExampleDefault() {
	ctx := context.Background()
	c := channel.New[int](1)
	i, _ := channel.Select(ctx,
		channel.OnReceive(c, func(v int) { fmt.Println("got", v) }),
		channel.Default(func() { fmt.Println("nothing yet") }),
	)
	fmt.Println(i)
	// Output:
	// nothing yet
	// 1
}
