package source

import "context"

// The generators in this file compute their values a batch at a time, up to
// what the downstream wants, so their functions should be quick and should
// not wait for input: a producer that blocks between values belongs in
// FromFunc, which passes each value on as soon as it has it.

// integer is the set of integer types that [Range] counts with.
type integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// Range returns a Source of the integers from start up to but not including
// end, step apart: start, start+step, start+2*step, ... With a negative step
// it counts down, from start down to but not including end. The Source is
// empty if start is already at or past end in the direction of step. Range
// never overflows: it stops before a value would wrap around.
//
// Range panics if step is 0.
func Range[N integer](start, end, step N) Source[N] {
	if step == 0 {
		panic("source: Range called with step 0; pass a positive step to count up or a negative one to count down")
	}
	up := step > 0
	return Source[N]{run: func(ctx context.Context, want int, out sink[N]) error {
		if up && start >= end || !up && start <= end {
			return nil
		}
		var buf []N
		for v := start; !stop(want); {
			if err := ctx.Err(); err != nil {
				return err
			}
			buf = grow(buf, batchSize(want))
			for i := range buf {
				buf[i] = v
				next := v + step
				// A wrapped next is on the wrong side of v.
				if up && (next <= v || next >= end) || !up && (next >= v || next <= end) {
					out.push(buf[:i+1])
					return nil
				}
				v = next
			}
			want = out.push(buf)
		}
		return nil
	}}
}

// Iterate returns the infinite Source seed, f(seed), f(f(seed)), ... f is
// called only for values the downstream wants: Iterate(seed, f).Take(3)
// calls f twice.
//
// Iterate panics if f is nil.
func Iterate[T any](seed T, f func(T) T) Source[T] {
	mustFunc("Iterate", "f", f == nil)
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var buf []T
		v, first := seed, true
		for !stop(want) {
			if err := ctx.Err(); err != nil {
				return err
			}
			buf = grow(buf, batchSize(want))
			for i := range buf {
				if !first {
					v = f(v)
				}
				first = false
				buf[i] = v
			}
			want = out.push(buf)
		}
		return nil
	}}
}

// Unfold returns a Source built from a state: each call f(state) returns
// a value, the next state, and whether there is a value; the stream ends at
// the first call that returns false. The initial state is given; f is called
// only for values the downstream wants.
//
// Unfold panics if f is nil.
func Unfold[S, T any](state S, f func(S) (T, S, bool)) Source[T] {
	mustFunc("Unfold", "f", f == nil)
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var buf []T
		s := state
		for !stop(want) {
			if err := ctx.Err(); err != nil {
				return err
			}
			buf = grow(buf, batchSize(want))
			for i := range buf {
				v, next, ok := f(s)
				if !ok {
					if i > 0 {
						out.push(buf[:i])
					}
					return nil
				}
				buf[i], s = v, next
			}
			want = out.push(buf)
		}
		return nil
	}}
}

// Repeat returns the infinite Source v, v, v, ...
func Repeat[T any](v T) Source[T] {
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var buf []T
		for !stop(want) {
			if err := ctx.Err(); err != nil {
				return err
			}
			n := batchSize(want)
			if cap(buf) < n {
				buf = grow(buf, n)
				buf = buf[:cap(buf)]
				for i := range buf {
					buf[i] = v
				}
			}
			want = out.push(buf[:n])
		}
		return nil
	}}
}

// RepeatFunc returns the infinite Source f(), f(), f(), ... f is called once
// per value the downstream wants, on the goroutine that runs the pipeline:
// RepeatFunc(f).Take(3) calls f three times.
//
// RepeatFunc panics if f is nil.
func RepeatFunc[T any](f func() T) Source[T] {
	mustFunc("RepeatFunc", "f", f == nil)
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		var buf []T
		for !stop(want) {
			if err := ctx.Err(); err != nil {
				return err
			}
			buf = grow(buf, batchSize(want))
			for i := range buf {
				buf[i] = f()
			}
			want = out.push(buf)
		}
		return nil
	}}
}
