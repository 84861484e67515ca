package channel_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/corral-go/corral/channel"
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

// This example demonstrates waiting on a channel and a plain Go channel
// together, with a timeout.
func ExampleOnGoReceive() {
	ctx := context.Background()
	messages := channel.New[string](0)
	events := make(chan string, 1)
	events <- "connected"

	i, err := channel.Select(ctx,
		channel.OnReceive(messages, func(m string) { fmt.Println("message:", m) }),
		channel.OnGoReceive(events, func(e string) { fmt.Println("event:", e) }),
		channel.OnTimeout(time.Second, func() { fmt.Println("timeout") }),
	)
	fmt.Println(i, err)
	// Output:
	// event: connected
	// 1 <nil>
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
