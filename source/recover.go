package source

import (
	"context"
	"fmt"

	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/scope"
)

// The stages in this file deal with the end of their upstream, as those of
// fused_end.go do: they see the upstream's error, and not a failure further
// down, which stops the upstream without an error.

var onCompleteScope = scope.WithName("source.OnComplete")

// Retry returns a Source that runs s again, from the start, each time it
// fails, on the schedule and with the limits of the [retry] options: the
// same options as [retry.Do], whose loop runs the attempts. With no option,
// that is at most 3 attempts, an exponential delay from 100ms between them.
// When the loop gives up, the run fails with retry's error, which wraps the
// last failure ([retry.Error]; errors.Is finds the failure).
//
// Every attempt runs the whole of s, so the values that a failed attempt
// passed downstream before it failed are passed again by the next: Retry
// suits a stream whose failures come before its values (a connection, a
// query), or whose values can be seen twice (idempotent writes, a
// downstream that deduplicates). To retry each value's work rather than
// the stream, retry inside the function of [MapErr] or [MapPar] with
// [retry.Value].
//
// Only the failures of s are retried. A failure further down stops s
// without an error, and a cancelled run is not retried (retry.Do does not
// retry an attempt during which its context ended). The downstream's
// demand holds across attempts: after a Take(3) that has its values, no
// attempt is made.
//
// Fused: the attempts and the waits between them run on the goroutine that
// runs s, and a wait ends when the run's context is cancelled.
func (s Source[T]) Retry(opts ...retry.Option) Source[T] {
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		pass := tracked(out, &want)
		return retry.Do(ctx, func(ctx context.Context) error {
			if stop(want) {
				return nil
			}
			return up(ctx, want, pass)
		}, opts...)
	}}
}

// RecoverWith returns a Source of the values of s that, if s fails, goes on
// with the values of the Source that f returns for the error: the values s
// emitted before it failed have gone downstream, and those of the new
// Source follow. To let the error go on instead, f returns [Failed](err);
// if the new Source fails, the run fails with its error.
//
// As with [Source.Recover], a cancellation is not a failure: once the run's
// context is done, an error from s goes on without calling f.
//
// Fused: f and the Source it returns run on the goroutine that ran s, once s
// has ended.
func (s Source[T]) RecoverWith(f func(err error) Source[T]) Source[T] {
	mustFunc("RecoverWith", "f", f == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		pass := tracked(out, &want)
		err := up(ctx, want, pass)
		if err == nil || ctx.Err() != nil || stop(want) {
			return err
		}
		return f(err).runner()(ctx, want, pass)
	}}
}

// RecoverErr is [Source.Recover] for an f that can fail: if s fails, f gets
// the error and returns either a last value with a nil error, which is
// emitted before the stream ends without error, or an error, which ends the
// run instead of s's. To let s's error go on, f returns it.
//
// As with Recover, once the run's context is done an error from s goes on
// without calling f.
//
// Fused: f runs on the goroutine that runs s.
func (s Source[T]) RecoverErr(f func(err error) (T, error)) Source[T] {
	mustFunc("RecoverErr", "f", f == nil)
	return recoverErr(s, f)
}

// recoverErr is the run of RecoverErr, and of Recover, whose f returns
// the error it lets go on.
func recoverErr[T any](s Source[T], f func(err error) (T, error)) Source[T] {
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		err := up(ctx, want, tracked(out, &want))
		if err == nil || ctx.Err() != nil {
			return err
		}
		v, ferr := f(err)
		if ferr != nil {
			return ferr
		}
		if !stop(want) {
			out.one(v)
		}
		return nil
	}}
}

// EndOnError returns a Source of the values of s that ends without error
// when s fails with an error for which match reports true: the values s
// emitted before the failure have gone downstream, and the stream ends
// there. Other errors go on. Use it for a source whose failure means "no
// more", such as a connection closed by the peer.
//
// A cancellation is not a failure: once the run's context is done, an
// error from s goes on without calling match, so that EndOnError cannot
// make a cancelled run look complete. To end on any error, pass a match
// that always reports true.
//
// Fused: match runs on the goroutine that runs s.
func (s Source[T]) EndOnError(match func(err error) bool) Source[T] {
	mustFunc("EndOnError", "match", match == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		err := up(ctx, want, out)
		if err != nil && ctx.Err() == nil && match(err) {
			return nil
		}
		return err
	}}
}

// OnComplete returns a Source of the values of s that calls f once s has
// stopped, whatever the reason, before the downstream learns of it. f gets
// nil when s ran out of values or the downstream stopped it (a
// [Source.Take] satisfied, a failure further down); s's error when s
// failed or the run was cancelled; and, when a function of s panicked or
// called [runtime.Goexit], the [*scope.PanicError] (or an error matching
// [scope.ErrGoexit]), after which the panic goes on to the terminal. So f
// can release what s used, as a defer would. For a hook on one outcome
// only, see [Source.OnDone] and [Source.OnError].
//
// Fused: f runs on the goroutine that runs s. s runs in a scope of its
// own, so that a panic reaches f with its stack.
func (s Source[T]) OnComplete(f func(err error)) Source[T] {
	mustFunc("OnComplete", "f", f == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var err error
		p := catch.Call(func() {
			err = scope.Supervised(ctx, func(sc *scope.Scope) error {
				return up(sc.Context(), want, out)
			}, onCompleteScope)
		}, func() {
			f(fmt.Errorf("source: OnComplete: %w", scope.ErrGoexit))
		})
		if p != nil {
			f(p.Value.(error)) // a *scope.PanicError
			panic(p.Value)
		}
		f(err)
		return err
	}}
}
