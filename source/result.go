package source

import "context"

// A Result is a value or the error that took its place: the element type
// of a stream that carries failures as values (rill's Try), made by
// [MapTry], [MapParTry] and [MapParUnorderedTry]. A Result with a nil Err
// holds a Value; one with an Err holds what the function returned with it,
// usually the zero value.
//
// Carry errors as values when one bad item must not end the run: a
// pipeline that imports a million records can count, log or dead-letter
// the thousand that fail and still finish, and decide at the end whether
// that was too many ([Successes] passes the values on and hands each error
// to a function that can still end the run). Fail the run instead, with
// [MapErr] and [MapPar], when an error means the rest is pointless (the
// database is gone, the input is corrupt) or when a partial result is
// worse than none: the first error then stops everything at once, without
// doing the remaining work.
type Result[T any] struct {
	Value T
	Err   error
}

// Ok reports whether r holds a value: whether r.Err is nil.
func (r Result[T]) Ok() bool { return r.Err == nil }

// MapTry returns a Source of the results of f for each value of src, as
// [MapErr] does, except that an error of f does not end the run: it goes
// downstream as a [Result] with that Err, and the values after it are
// mapped as usual.
//
// Fused: one Result out for each value in, so the downstream's demand goes
// to the upstream as it is.
func MapTry[T, U any](src Source[T], f func(T) (U, error)) Source[Result[U]] {
	mustFunc("MapTry", "f", f == nil)
	up := src.runner()
	return Source[Result[U]]{run: func(ctx context.Context, want int, out sink[Result[U]]) error {
		var buf []Result[U]
		one := out.one
		return up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				buf = grow(buf, len(batch))
				res := buf[:len(batch)]
				for i, v := range batch {
					u, err := f(v)
					res[i] = Result[U]{Value: u, Err: err}
				}
				return out.push(res)
			}),
			one: func(v T) int {
				u, err := f(v)
				return one(Result[U]{Value: u, Err: err})
			},
		})
	}}
}

// MapParTry is [MapPar] with errors as values: the results of f, in the
// order of src, each as a [Result], so that an error of f goes downstream
// with the values and does not end the run. The run fails only if src
// fails, the run is cancelled, or f panics; when the stage is being
// stopped (the downstream stopped, another goroutine failed), an error
// that f returns after its context was cancelled is not passed on as a
// value, since no value is wanted any more.
//
// Async, as MapPar: up to limit goroutines call f.
//
// MapParTry panics if limit is not positive or f is nil.
func MapParTry[T, U any](src Source[T], limit int, f func(ctx context.Context, v T) (U, error)) Source[Result[U]] {
	mustFunc("MapParTry", "f", f == nil)
	return mapPar("MapParTry", src, limit, tryFunc(f), true)
}

// MapParUnorderedTry is [MapParUnordered] with errors as values, as
// [MapParTry] is MapPar with them: results are passed on as soon as they
// are ready.
//
// MapParUnorderedTry panics if limit is not positive or f is nil.
func MapParUnorderedTry[T, U any](src Source[T], limit int, f func(ctx context.Context, v T) (U, error)) Source[Result[U]] {
	mustFunc("MapParUnorderedTry", "f", f == nil)
	return mapPar("MapParUnorderedTry", src, limit, tryFunc(f), false)
}

// tryFunc turns f's errors into Results, except those that come after the
// stage's context was cancelled: those report the end of the stage.
func tryFunc[T, U any](f func(context.Context, T) (U, error)) func(context.Context, T) (Result[U], error) {
	return func(ctx context.Context, v T) (Result[U], error) {
		u, err := f(ctx, v)
		if err != nil && ctx.Err() != nil {
			return Result[U]{}, err
		}
		return Result[U]{Value: u, Err: err}, nil
	}
}

// Successes returns a Source of the values of the Results of src that hold
// one, and calls onErr with the Err of each of the others, in order: to
// count, log or dead-letter them. If onErr returns nil the stream goes on;
// if it returns an error, the run ends with that error, after the values
// before it (return an error once the failures are too many).
//
// Fused: onErr runs on the goroutine that runs src. The downstream's
// demand goes to the upstream as it is, as through [Source.Filter].
//
// Successes panics if onErr is nil; to drop the failures, pass a function
// that returns nil.
func Successes[T any](src Source[Result[T]], onErr func(err error) error) Source[T] {
	mustFunc("Successes", "onErr", onErr == nil)
	up := src.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var buf []T
		var ferr error
		err := up(ctx, want, sink[Result[T]]{
			batches: pushFunc[Result[T]](func(batch []Result[T]) int {
				buf = grow(buf, len(batch))
				res := buf[:len(batch)]
				n := 0
				for _, r := range batch {
					if r.Err == nil {
						res[n] = r.Value
						n++
						continue
					}
					if ferr = onErr(r.Err); ferr != nil {
						if n > 0 {
							out.push(res[:n])
						}
						return 0
					}
				}
				if n > 0 {
					want = out.push(res[:n])
				}
				return want
			}),
			one: func(r Result[T]) int {
				if r.Err == nil {
					want = out.one(r.Value)
				} else if ferr = onErr(r.Err); ferr != nil {
					return 0
				}
				return want
			},
		})
		if ferr != nil {
			return ferr
		}
		return err
	}}
}
