// Package bench holds corral's comparative benchmarks: corral beside
// golang.org/x/sync/errgroup, github.com/sourcegraph/conc and plain goroutines
// and channels. It is its own module so that the core module does not depend
// on the libraries it is compared with. See README.md for the numbers.
package bench
