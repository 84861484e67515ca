// Command chat is a TCP chat server built the way Erlang builds I/O servers:
// each connection's reads are turned into channel messages, and a single hub
// goroutine selects over them (joins, leaves, lines said, and the shutdown
// signal), so the chat's state has one owner and needs no lock.
//
// Run it and connect with any line-based client:
//
//	go run ./examples/chat -addr 127.0.0.1:7000
//	nc 127.0.0.1 7000
//
// The first line a client sends is its name; every later line is said to the
// others. SIGINT or SIGTERM shuts the server down gracefully (app.Main
// cancels the root scope): it stops accepting, tells every client, and exits
// with code 0 once every connection is closed. A second signal, or a
// shutdown longer than the grace period, exits at once with 128 plus the
// signal's number, naming what was still running.
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
	flag.Parse()

	app.Main(func(s *scope.Scope) error {
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err // app prints it and exits with code 1
		}
		fmt.Printf("chat: listening on %s\n", ln.Addr())
		logger := log.New(os.Stderr, "chat: ", log.LstdFlags)
		s.Defer(func() { logger.Print("stopped") })
		return run(s.Context(), ln, logger.Printf)
	}, app.WithName("chat"))
}
