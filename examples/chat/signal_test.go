//go:build unix

package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMainStopsOnSIGTERM runs the program, connects a client, and sends
// SIGTERM: the client is told goodbye and hung up on, and the program exits
// with code 0.
func TestMainStopsOnSIGTERM(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), mainEnv+"=1",
		"GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0") // under -race, exit at once
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "chat: listening on ")
	if err != nil || !ok {
		t.Fatalf("first line %q, %v; want the address", line, err)
	}

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := &chatter{t: t, conn: conn, lines: bufio.NewReader(conn)}
	c.expect("* your name?")
	c.say("alice")
	c.expect("* welcome alice, 1 here")

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	c.expect("* server shutting down")
	c.expectHangUp()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("program ended with %v, want exit code 0; stderr:\n%s", err, stderr.String())
	}
	t.Logf("exited %v after SIGTERM", time.Since(start))
	for _, want := range []string{"chat: received terminated; stopping", " stopped\n"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}
