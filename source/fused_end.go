package source

import "context"

// The stages in this file act when the upstream ends: normally, or with an
// error. The upstream's error is the error of everything before the stage;
// a failure further down stops the upstream without an error, so these
// stages do not see it.

// OnDone returns a Source of the values of s that calls f when s has run
// out of values without an error, before the downstream learns that the
// stream has ended. f is not called if s fails or the run is cancelled, nor
// if the downstream stopped s early (a [Source.Take] satisfied, a failure
// further down), even if s had no values left.
//
// Fused: f runs on the goroutine that runs s.
func (s Source[T]) OnDone(f func()) Source[T] {
	mustFunc("OnDone", "f", f == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		err := up(ctx, want, tracked(out, &want))
		if err == nil && !stop(want) {
			f()
		}
		return err
	}}
}

// OnError returns a Source of the values of s that calls f with the error
// s fails with, if it fails, before the error goes on downstream. The
// run's cancellation counts: if the run's context is cancelled, f sees the
// error that s returns for it (usually [context.Canceled]).
//
// Fused: f runs on the goroutine that runs s.
func (s Source[T]) OnError(f func(error)) Source[T] {
	mustFunc("OnError", "f", f == nil)
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		err := up(ctx, want, out)
		if err != nil {
			f(err)
		}
		return err
	}}
}

// Recover returns a Source of the values of s that, if s fails, calls f
// with the error: if f returns a value and true, that value is emitted last
// and the stream ends without error; if f returns false, the error goes on.
// The values s emitted before it failed have already gone downstream.
//
// A failure is not the same as a cancellation: once the run's context is
// done, an error from s goes on without calling f, so that Recover cannot
// hide a cancelled run.
//
// Fused: f runs on the goroutine that runs s.
func (s Source[T]) Recover(f func(err error) (T, bool)) Source[T] {
	mustFunc("Recover", "f", f == nil)
	return recoverErr(s, func(err error) (T, error) {
		v, ok := f(err)
		if !ok {
			return v, err
		}
		return v, nil
	})
}

// OrElse returns a Source of the values of s, or, if s ends without any
// value and without error, of the values of alt. If s fails, the run fails;
// alt is not a fallback for errors (see [Source.Recover] for that).
//
// The choice follows Ox's orElse and Go's [cmp.Or] ("the first one that is
// not empty"): continuing after a failure with another stream, when part of
// the first may already have gone downstream, would easily deliver values
// twice.
//
// Fused: alt runs on the goroutine that ran s, once s has ended.
func (s Source[T]) OrElse(alt Source[T]) Source[T] {
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		emitted := false
		err := up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				emitted = true
				want = out.push(batch)
				return want
			}),
			one: func(v T) int {
				emitted = true
				want = out.one(v)
				return want
			},
		})
		if err != nil || emitted {
			return err
		}
		return alt.runner()(ctx, want, out)
	}}
}
