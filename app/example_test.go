package app_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/corral-go/corral/app"
	"github.com/corral-go/corral/scope"
)

// This example demonstrates the exit code of a body that returns at once:
// the root scope ends without failure, and Run returns 0 without printing
// anything.
func ExampleRun() {
	code := app.Run(func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			fmt.Println("working")
			return nil
		})
		return nil
	})
	fmt.Println("exit code", code)
	// Output:
	// working
	// exit code 0
}

// This example demonstrates how a failure is reported: once, with the
// scope's name, here to a logger instead of standard error.
func ExampleRun_failure() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the output stable
			}
			return a
		},
	}))
	code := app.Run(func(s *scope.Scope) error {
		return errors.New("config file missing")
	}, app.WithName("example"), app.WithLogger(logger))
	fmt.Println("exit code", code)
	// Output:
	// level=ERROR msg="app: failed" scope=example err="config file missing"
	// exit code 1
}

// This example demonstrates a server's main: the first SIGINT or SIGTERM
// cancels s.Context(), which shuts the HTTP server down; Main exits with 0
// once it has, or with 143 if it takes longer than the grace period.
func ExampleMain() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	app.Main(func(s *scope.Scope) error {
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err // printed as "PROGRAM: listen tcp ...", exit code 1
		}
		srv := &http.Server{Handler: http.NotFoundHandler()}
		s.Go(func(ctx context.Context) error {
			<-ctx.Done()
			var sig *app.SignalError
			if errors.As(context.Cause(ctx), &sig) {
				fmt.Println("stopping on", sig.Signal)
			}
			// Within the grace period: requests in flight finish.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 8*time.Second)
			defer cancel()
			return srv.Shutdown(ctx)
		})
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}, app.WithGrace(10*time.Second))
}
