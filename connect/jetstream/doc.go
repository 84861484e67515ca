// Package jetstream connects corral's pipelines to NATS JetStream, so that
// work spreads over processes and machines with at-least-once delivery: a
// [source.Source] of the messages of a durable pull consumer, an [Acker]
// that acks each message once its work is done (and naks, terminates or
// dead-letters the ones that fail), and a [Publish] stage that stores a
// pipeline's values in a stream with publish acknowledgements and
// de-duplication.
//
// It is a module of its own (github.com/corral-go/corral/connect/jetstream),
// so that corral itself does not depend on nats.go. It works with the
// jetstream package of nats.go, imported here as natsjs:
//
//	import (
//		natsjs "github.com/nats-io/nats.go/jetstream"
//		cjs "github.com/corral-go/corral/connect/jetstream"
//	)
//
// # A pipeline, at least once
//
// A worker process reads jobs from a consumer, works on up to eight at a
// time, stores each result in another stream, and acks each job once its
// result is stored:
//
//	jobs := cjs.FromConsumer(js, consumer)                         // Source[*cjs.Msg]
//	done := source.MapPar(jobs, 8, cjs.Process(work))          // Source[cjs.Result[Out]]
//	stored := cjs.Publish(done, js, toResultMsg)               // after each pub ack, in order
//	err := cjs.Settle(stored, cjs.NewAcker()).RunDrain(ctx)    // ack, or nak / term the failures
//
//	  FromConsumer --> MapPar(8, Process(work)) --> Publish --> Settle(Acker)
//	  pulls while       f on 8 goroutines;           waits for    Ack on success;
//	  credits last      errors flow on as values     pub acks     Nak with delay, or
//	                                                              dead-letter and Term
//
// A job is acked only after its result was stored, so a crash anywhere
// loses nothing: the server delivers again every job that was not acked,
// once the consumer's AckWait has passed. Work may then be done twice;
// results are stored once if each has an [Outgoing.ID] derived from its job,
// since the stream drops a second message with the same Nats-Msg-Id.
//
// To learn that the work is done, ask the consumer, not the stream: all
// jobs are settled when [natsjs.ConsumerInfo]'s NumPending and
// NumAckPending are both zero. A work-queue stream usually drops a job
// once it is acked, but a server stopped between the two steps can keep
// the acked job after its restart, below the consumer's ack floor, where
// it is never delivered again.
//
// # Backpressure
//
// [FromConsumer] holds at most [MaxOutstanding] messages that the server
// has delivered and that are not settled (acked, nak'd or terminated): half
// for nats.go's prefetching, half for the pipeline. When the pipeline is
// slow, the source stops taking messages and nats.go stops asking for
// them, so a slow stage never fills an unbounded buffer and messages do
// not wait in one while their AckWait runs out.
//
// # Ordered and unordered acks
//
// [Settle] acks messages in the order it receives them: after
// [source.MapPar], in the order of the consumer (as a consumer with
// AckAll needs); after [source.MapParUnordered], as soon as each is done.
// A message can also be settled by hand, with [Msg.Ack] and the other
// methods of [Msg], or with [Acker.Settle] where its work ends. Only the
// first settling call on a message acts.
//
// # Failures
//
// A message whose work fails is nak'd with a delay from a retry schedule
// ([RetryDelays], with the schedules of package retry), and terminated on
// its last delivery ([MaxDeliveries], or the consumer's MaxDeliver if that
// is lower), after a copy went to a dead-letter subject ([DeadLetter]).
// Failures of the connection are ridden through: the source and Publish
// report what they saw to [OnError], nats.go reconnects, and the work goes
// on; an error that cannot pass (the connection closed for good, the
// consumer deleted, the stream refusing a message) ends the run.
//
// # Callbacks
//
// nats.go also delivers messages through callbacks on its own goroutines
// (core NATS subscriptions, push consumers, [natsjs.Consumer.Consume]);
// package dispatcher is corral's bridge from such callbacks to scoped
// work. docs/jetstream.md shows a service built that way.
package jetstream
