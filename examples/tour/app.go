package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/corral-go/corral/app"
	"github.com/corral-go/corral/scope"
)

// appExit shows app.Run, main's root scope: the way the scope ends becomes
// the exit code, and a failure is reported once, with the scope's name. A
// real main calls app.Main, which exits with that code; the first SIGINT or
// SIGTERM would cancel s.Context() (see docs/lifecycle.md).
func appExit(_ context.Context, w io.Writer) error {
	logger := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // the same output on every run
			}
			return a
		},
	}))
	clean := app.Run(func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error { return nil })
		return nil
	}, app.WithName("tour"), app.WithLogger(logger))
	fmt.Fprintf(w, "body and forks returned nil: exit code %d\n", clean)

	failed := app.Run(func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error { return errors.New("config file missing") })
		return nil
	}, app.WithName("tour"), app.WithLogger(logger))
	fmt.Fprintf(w, "a fork failed: exit code %d\n", failed)
	return nil
}
