// Package handoff moves values between the goroutines of source's async
// stages. It holds the three mechanisms that every such stage is built
// from, so that each exists once:
//
//   - [Signal], one wake-up signal: a goroutine that waits for a change
//     made under a lock arms it under that lock, and the goroutine that
//     makes the change notifies it, without a lost or a spurious wake-up
//     mattering. [Waiters] is a list of them, for several goroutines that
//     wait for the same change.
//   - [Queue], a batched FIFO with demand: producers append values, one
//     consumer takes whole batch buffers (or several workers take runs of
//     values), buffers are reused, and producers are kept within the
//     downstream's demand. Buffer, Merge, FlatMapPar, the zips,
//     Interleave, FromCallback and MapPar's input are queues.
//   - [Slot], one value with a timer: a producer updates the value that
//     waits; the consumer takes it when it is ready, at once or after a
//     delay since it arrived. Conflate, Debounce, Batch and GroupedWithin
//     are slots.
//
// The package knows nothing of sources, scopes or the public API: errors
// are its own sentinels, which package source turns into the errors it
// documents.
package handoff
