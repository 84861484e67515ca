// Package rangeerr defines an analyzer that finds range loops over corral's
// iter.Seq2[T, error] iterators that drop the error.
//
// # Analyzer rangeerr
//
// rangeerr: check that a range over corral's All iterators reads the error
//
// Source.All, Chan.All and every other corral function or method that
// returns an iter.Seq2[T, error] yield (value, nil) for each value and, if
// the stream or the channel fails, one last pair (zero, err). A loop with one
// variable, or none, compiles, since Go lets a range over an iter.Seq2
// ignore the second value, but it turns the failure into a phantom zero
// value and goes on as if the stream had ended normally:
//
//	for v := range c.All(ctx) { // c failed: v is 0 once, and no error
//		sum += v
//	}
//
// Write the second variable and check it:
//
//	for v, err := range c.All(ctx) {
//		if err != nil {
//			return err
//		}
//		sum += v
//	}
//
// The suggested fix does that where the enclosing function returns an error
// last. A loop that names the error _ (for v, _ := range) says on purpose
// that it ignores it, and is not reported.
package rangeerr
