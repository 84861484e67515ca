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
// others. SIGINT or SIGTERM shuts the server down gracefully: it stops
// accepting, tells every client, and exits once every connection is closed.
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
	fmt.Printf("chat: listening on %s\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "chat: ", log.LstdFlags)
	if err := run(ctx, ln, logger.Printf); err != nil {
		logger.Fatal(err)
	}
	logger.Print("stopped")
}
