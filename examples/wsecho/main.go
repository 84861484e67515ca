// Command wsecho is a WebSocket server that answers every message with the
// message in upper case. It shows the bridge from callbacks into structured
// concurrency of package dispatcher: net/http calls the handler on a
// goroutine of its own, the handler's reads feed a corral channel, and a
// source pipeline per connection runs through a dispatcher, in a nested scope
// under the server's scope.
//
//	go run . -addr 127.0.0.1:8080     # then connect to ws://127.0.0.1:8080/ws
//
// main is app.Main. SIGINT or SIGTERM drains the server: it stops accepting
// connections and messages, answers every message it had accepted, closes
// each connection with status 1001 (going away), prints what it drained, and
// exits with code 0. The drain may take -drain, 80% of the grace period
// (-grace, 10s) by default; answers still pending then are cancelled and the
// exit code is 1. A
// second signal, or a shutdown longer than the grace period, exits at once
// with 128 plus the signal's number. -work makes each answer take a while,
// so that a shutdown has messages to drain.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"

	"github.com/corral-go/corral/app"
	"github.com/corral-go/corral/scope"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	grace := flag.Duration("grace", app.DefaultGrace, "how long a shutdown may take before the exit is forced")
	drain := flag.Duration("drain", 0, "how long a shutdown waits for accepted messages to be answered (default 80% of -grace)")
	work := flag.Duration("work", 0, "simulated work before each answer")
	flag.Parse()
	if *drain <= 0 {
		*drain = *grace * 8 / 10 // leave time to cancel what is left, and to close
	}

	app.Main(func(s *scope.Scope) error {
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err // app prints it and exits with code 1
		}
		fmt.Printf("wsecho: listening on ws://%s/ws\n", ln.Addr())
		logger := log.New(os.Stderr, "wsecho: ", log.LstdFlags|log.Lmicroseconds)
		return run(s.Context(), ln, config{drain: *drain, work: *work}, logger.Printf)
	}, app.WithName("wsecho"), app.WithGrace(*grace))
}
