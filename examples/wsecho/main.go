// Command wsecho is a WebSocket server that answers every message with the
// message in upper case. It shows the bridge from callbacks into structured
// concurrency of package dispatcher: net/http calls the handler on a
// goroutine of its own, the handler's reads feed a corral channel, and a
// source pipeline per connection runs through a dispatcher, in a nested scope
// under the server's scope.
//
//	go run . -addr 127.0.0.1:8080     # then connect to ws://127.0.0.1:8080/ws
//
// SIGINT or SIGTERM shuts it down gracefully: it stops accepting, closes
// every connection with status 1001 (going away), waits for every goroutine
// it started, and exits.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wsecho: listening on ws://%s/ws\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "wsecho: ", log.LstdFlags)
	if err := run(ctx, ln, logger.Printf); err != nil {
		logger.Fatal(err)
	}
	logger.Print("stopped")
}
