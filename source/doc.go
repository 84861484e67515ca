// Package source builds lazy pipelines of values: a [Source] describes a
// stream, operators transform it, and a terminal call runs it.
//
//	lines := source.Lines(os.Stdin)
//	words := source.MapConcat(lines, strings.Fields)
//	err := source.RunToWriter(ctx, words, os.Stdout, "\n")
//
// Building a Source runs nothing. Sources are created from values ([Of],
// [Range], [Iterate], [Unfold], [RepeatFunc]), from Go sequences and
// channels ([FromSeq], [FromGoChan], [FromChannel]), from a producer
// function ([FromFunc]) or from I/O ([Lines], [Chunks]). Operators return
// new Sources: generic functions where the element type changes ([Map],
// [FlatMap], [Grouped]) and methods where it does not ([Source.Filter],
// [Source.Take]), so a pipeline reads from top to bottom. A terminal, named
// Run..., runs the pipeline and returns only when every goroutine the run
// needed has ended: [Source.RunForEach], [Source.RunToSlice], [RunFold],
// [Source.RunDrain], [RunToWriter], and the bridges [Source.All] (a range
// loop) and [Source.RunToChannel] (a channel fed from a fork of a scope).
//
// # Fused and async stages
//
// Most operators are fused: their doc says "Fused". Consecutive fused
// stages run on one goroutine as nested function calls, with no channel in
// between. Values from a slice or a generator move through them in batches
// of up to 1024, each stage looping over the batch it receives and passing
// one batch on, so a fused stage costs a function call per batch and a loop
// iteration per value, and allocates nothing per value: a
// Map-Filter-Map-fold pipeline takes 1.0 to 1.1 times as long as a
// hand-written loop that calls the same functions through func values.
// Values that arrive one at a time ([FromFunc], [FromSeq], [FromChannel])
// go through the hot stages by a direct call per stage, without waiting to
// fill a batch: the same pipeline fed by FromFunc takes about 1.8 times the
// loop over the same generator (bench/README.md and
// docs/decisions/0006-fusion.md give the numbers and why).
//
// Operators that need concurrency or time are async: their doc says
// "Async" and which goroutines they start (Buffer, MapPar, Merge, Zip,
// Throttle, GroupedWithin, Tick and the others in the async files). An
// async stage runs the stages before it in goroutines of its own and hands
// their values over in batches, in a scope that ends before the run does:
//
//	  goroutine started by Buffer            goroutine that called RunForEach
//	+-------------------------------+      +----------------------------------+
//	| FromSlice --> Map --> Filter -+----->+-> Map --> Take(10) --> RunForEach |
//	+-------------------------------+  ^   +----------------------------------+
//	         fused: nested calls       |            fused: nested calls
//	                              Buffer(64)
//
//	values, then the end or the error, flow right  ------->
//	demand and cancellation flow left              <-------
//
// Without async stages, the whole pipeline runs on the goroutine that calls
// the terminal, and so do all the functions passed to its operators.
//
// # Demand
//
// Each stage tells the one before it how many more values it can use, and
// no stage produces more: after [Source.Take](n) has its n values, the
// upstream stops, so RepeatFunc(f).Take(3) calls f exactly three times, and
// Map(src, f).Take(3) calls f three times. Stages that drop values
// ([Source.Filter], [Source.Drop]) pass on what they need to find the
// values wanted; stages that expand values ([FlatMap], [MapConcat]) ask for
// one at a time while the demand is bounded.
//
// A stage that stops on its own, such as [Source.TakeWhile] or a loop over
// [Source.All] that may break, cannot say in advance how many values it
// needs: it asks for 1, then 2, 4, ... up to a full batch, so that the work
// done upstream and never used is at most about the work that was used.
// When a run fails, up to a batch of values computed before the failure may
// never be used. Generators ([Iterate], [Unfold], [RepeatFunc], [Range])
// compute a batch at a time, so their functions should not block; a
// producer that waits between values belongs in [FromFunc], which passes
// each value on as soon as it has it.
//
// # Errors flow downstream, cancellation upstream
//
// The first error ends the run: a source that fails ([Failed], a read
// error in [Lines], a failed [channel.Chan] in [FromChannel]), a function
// that returns an error ([MapErr], the callback of [Source.RunForEach]), or
// an async stage's goroutine. Values emitted before the error still reach
// the terminal, which returns the error once every stage has stopped.
// [Source.OnError] observes an error on its way down and [Source.Recover]
// turns it into a last value.
//
// Cancellation flows up: when the terminal's context is cancelled, or a
// stage stops early (a Take is satisfied, a loop over All breaks), the
// stages before it stop, and async stages cancel the goroutines they started
// and wait for them. Sources check the context between batches, and those
// that pass values one at a time every 64 values; a blocked [FromChannel] or
// [FromGoChan] receive wakes on cancellation; a blocked read in [Lines] or
// [Chunks] does not, as Go's I/O cannot be interrupted: close the reader to
// stop it.
//
// A panic in any function of a pipeline stops the run and is raised again
// by the terminal, on the caller's goroutine, as a [*scope.PanicError] with
// the original value and stack, once every stage has ended. A panic in the
// body of a loop over [Source.All] propagates as it is.
//
// # Recovering, and errors as values
//
// A failure can be handled where it happens. [Source.Retry] runs a failing
// stream again from the start on a [retry] schedule; [Source.RecoverWith]
// goes on with another Source, [Source.Recover] and [Source.RecoverErr]
// with a last value; [Source.EndOnError] ends the stream normally on the
// errors it matches; [Source.OnComplete] runs a hook whatever the outcome.
// None of them hides a cancelled run. Every operator whose function cannot
// fail has a form, named with Err appended, whose function can: [MapErr],
// [MapConcatErr], [Source.RecoverErr], [Source.ConflateErr], [RunFoldErr],
// [Source.RunReduceErr]; the first error ends the run.
//
// When one bad item must not end the run, carry errors as values:
// [MapTry], [MapParTry] and [MapParUnorderedTry] emit a [Result] for each
// value, and [Successes] passes the good ones on and hands each error to a
// function that may count, log or dead-letter it, or end the run.
//
// # Grouping, state and merging
//
// [GroupBy] runs a sub-pipeline per key, with at most a given number of
// groups live at once. [MapStateful], [Source.TakeLast], [Split],
// [SplitOn] and [DistinctAdjacentBy] keep state across values;
// [GroupedWeighted], [BatchWeighted] and [GroupedWeightedWithin] group
// values by weight, and [ConflateWithSeed] combines them into another type.
// [MergeUntil] ends a merge with one of its sources, [InterleaveShortest]
// an interleaving with the shortest; [Expand] and [Extrapolate] feed a fast
// consumer from a slow producer; [Source.DebounceBy] debounces with a
// quiet period per value, and [Source.Timeout] limits a whole stream in
// time. [Source.RunSendTo] and [Source.RunSendToGoChan] feed a channel
// that the caller owns, without closing it.
//
// # Running, again and again
//
// A Source is cold: every run starts from the beginning, and runs are
// independent. What a second run sees depends on the input: a slice, a
// Range or a generator gives the same values again; a reader, a channel or
// a single-use [iter.Seq] gives what is left of them. The same holds for
// the iterator of [Source.All]: each range loop over it is a new run, so it
// is single-use exactly when the Source's input is.
package source
