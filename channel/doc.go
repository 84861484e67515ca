// Package channel provides [Chan], a channel that ends in one of two ways,
// done or failed, and [Select], which waits on several channels at once.
//
// A Go channel can only be closed, and it panics when a value is sent after
// that. A producer that fails has no way to tell its consumers why, so
// programs pair every channel with an error variable or a second channel,
// and a shutdown that closes a channel while a sender is still running
// crashes the process. A [Chan] instead ends either done, with
// [Chan.Close], or failed, with [Chan.Fail](cause); every operation reports
// the end as an error value:
//
//	c := channel.New[Order](16)
//
//	// producer
//	for o := range orders {
//		if err := c.Send(ctx, o); err != nil {
//			return err // the consumer gave up: ErrClosed or its failure
//		}
//	}
//	c.Close() // or c.Fail(err) if reading orders failed
//
//	// consumer
//	for o, err := range c.All(ctx) {
//		if err != nil {
//			return err // the producer's failure, or ctx's error
//		}
//		handle(o)
//	}
//
// # States
//
// A channel is open until the first Close or Fail; that first call decides
// for good, and later ones return an error and change nothing.
//
//   - Open: Send and Receive move values.
//   - Done (Close): no value can be sent any more. Send returns [ErrClosed];
//     Receive returns the values still buffered, then ErrClosed.
//   - Failed (Fail): the buffered values are dropped and every Send and
//     Receive returns an error that matches both [ErrFailed] and the cause,
//     as errors.Is tells.
//
// Blocked senders and receivers wake when the channel ends or when their
// context ends. Nothing is lost silently: a value whose Send returned nil is
// received exactly once, unless the channel failed; a Send that returns an
// error did not deliver its value.
//
// # Capacity
//
// [New] takes the capacity. With 0 the channel is a rendezvous: a Send
// waits until a Receive takes its value, so the producer never runs ahead
// of the consumer. With n > 0 up to n values wait in a buffer, which
// absorbs bursts while still pushing back on a producer that is faster for
// good. With [Unlimited] the buffer grows as needed and Send never waits;
// use it when the producer must not block (a callback from a library that
// cannot wait) and something else bounds the number of values.
//
// # Select
//
// [Select] waits until one of several operations can proceed and performs
// exactly that one: a receive ([OnReceive]), a send ([OnSend]), a timeout
// ([OnTimeout]), or [Default] when nothing can proceed at once. It returns
// the index of the clause that fired, and runs that clause's function on
// the calling goroutine:
//
//	for {
//		_, err := channel.Select(ctx,
//			channel.OnReceive(requests, serve),
//			channel.OnReceive(events, handleEvent),
//			channel.OnTimeout(time.Minute, ping),
//		)
//		if err != nil {
//			return err
//		}
//	}
//
// Select waits on Chans only. To mix in a plain Go channel, such as one a
// library delivers events on, forward it into a Chan from a fork, as the
// example of Select with a Go channel shows: a receive from a Go channel
// cannot be taken back, so a Select that waited on one directly could not
// keep a Chan's guarantees.
//
// Like Go's select statement it chooses at random among the clauses that
// can fire, so none starves. A clause whose channel has ended is chosen only
// when no clause can fire, and Select then returns its index with the
// channel's error (and does not run its function), so a loop can drop the
// clause by setting it to nil and go on with the others.
//
// # Speed
//
// Chan is a ring buffer under a mutex, with queues of parked senders and
// receivers as in the Go runtime; a value goes straight from a sender to a
// waiting receiver, and nothing is allocated per Send or Receive. A
// buffered Send and Receive cost about as much as on a Go channel; see the
// benchmarks in this package and in corral's bench module.
package channel
