// Command pipe reads lines from standard input and writes their words to
// standard output, one word a line, each input line announced by a header
// that says when it arrived: how long after the start, and after the line
// before it.
//
// It is the stream example of Richard Whaling's "Fast, Simple Concurrency
// with Scala Native" talk, where an event loop calls a callback for each
// line read from stdin and starts a timer for it. With corral the loop and
// its callbacks become a pipeline, read top to bottom:
//
//	lines := source.ZipWithIndex(source.Lines(os.Stdin))
//	words := source.MapConcat(lines, ...) // a header and the line's words
//	err := source.RunToWriter(ctx, words, os.Stdout, "\n")
//
// The stages are fused: they run as nested calls on the goroutine that runs
// the pipeline, with no channel between them, and each line goes out as soon
// as it has been read, so typing a line shows its words at once. Try it:
//
//	go run ./examples/pipe
//	printf 'the quick brown fox\njumps over the lazy dog\n' | go run ./examples/pipe
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/corral-go/corral/source"
)

func main() {
	start := time.Now()
	since := func() time.Duration { return time.Since(start).Round(time.Millisecond) }
	if err := run(context.Background(), os.Stdin, os.Stdout, since); err != nil {
		fmt.Fprintln(os.Stderr, "pipe:", err)
		os.Exit(1)
	}
}

// run copies the words of the lines of r to w, one a line, each input line
// preceded by a header stamped with since(), the time since the program
// started. It returns when r is exhausted, or with the first read or write
// error.
func run(ctx context.Context, r io.Reader, w io.Writer, since func() time.Duration) error {
	return source.RunToWriter(ctx, words(r, since), w, "\n")
}

// words describes the pipeline: nothing is read until it runs.
func words(r io.Reader, since func() time.Duration) source.Source[string] {
	lines := source.ZipWithIndex(source.Lines(r))
	var prev time.Duration // when the line before arrived: the stage runs on one goroutine
	return source.MapConcat(lines, func(l source.Indexed[string]) []string {
		at := since()
		ws := strings.Fields(l.Value)
		out := make([]string, 0, 1+len(ws))
		out = append(out, fmt.Sprintf("# line %d at +%v (+%v): %s", l.Index+1, at, at-prev, plural(len(ws), "word")))
		prev = at
		return append(out, ws...)
	})
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
