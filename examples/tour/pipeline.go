package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

// pipeline shows a lazy Source: nothing runs until RunToSlice; the fused
// stages run as one loop, MapPar runs its function on 4 goroutines and keeps
// the order, and Take stops the infinite upstream after 5 values.
func pipeline(ctx context.Context, w io.Writer) error {
	squares := source.Map(source.Iterate(1, func(n int) int { return n + 1 }), func(n int) int { return n * n })
	odd := squares.Filter(func(n int) bool { return n%2 == 1 })
	labelled := source.MapPar(odd, 4, func(ctx context.Context, n int) (string, error) {
		return fmt.Sprintf("<%d>", n), nil
	})
	got, err := labelled.Take(5).RunToSlice(ctx)
	fmt.Fprintf(w, "first 5 odd squares: %s (%v)\n", strings.Join(got, " "), err)

	lines := source.Lines(strings.NewReader("structured\nconcurrency\n"))
	upper := source.Map(lines, strings.ToUpper)
	fmt.Fprint(w, "stdin-to-stdout in three lines: ")
	err = source.RunToWriter(ctx, upper, w, " ")
	fmt.Fprintln(w)
	return err
}

// dispatch shows a dispatcher: callbacks from goroutines the program does not
// own start tasks, each in its own scope under a long-lived outer scope; a
// task's failure goes to its onError, and the outer scope carries on.
func dispatch(ctx context.Context, w io.Writer) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		d := dispatcher.New(s)
		onMessage := func(msg string) *dispatcher.Task { // a library's callback
			return d.Submit(func(task *scope.Scope) error {
				if msg == "" {
					return fmt.Errorf("empty message")
				}
				return nil
			})
		}
		ok, bad := onMessage("hello"), onMessage("")
		fmt.Fprintf(w, "task \"hello\": %v; task \"\": %v\n", ok.Wait(ctx), bad.Wait(ctx))
		fmt.Fprintf(w, "outer scope still running: %t\n", s.Context().Err() == nil)
		return nil
	})
}
