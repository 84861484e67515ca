package main

import (
	"bytes"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf); err != nil {
		t.Fatalf("run: %v\noutput so far:\n%s", err, buf.String())
	}
	out := buf.String()
	for _, want := range []string{
		// scope
		"release: runs after all 3 forks have returned",
		"Supervised returned <nil> with 3 of 3 forks finished",
		`inventory fork: cancelled, cause "payment service unavailable"`,
		`Supervised returned "payment service unavailable" (errors.Is errPayment: true)`,
		`recovered *scope.PanicError: panic in scope "orders": stock count went negative`,
		"its stack shows the panicking fork: true",
		// fork
		"New + Join: 20 + 22 = 42 (<nil>)",
		"Par: [1 4 9] in input order (<nil>)",
		`slow replica: cancelled, cause "scope: ended"`,
		`Race returned "fast replica" (<nil>)`,
		// timeout
		"10ms limit: timeout after 10ms (ErrTimeout: true, DeadlineExceeded: true)",
		"caller cancelled: context canceled (ErrTimeout: false)",
		// retry
		"attempt 2 failed (call 2: connection refused); next in 5ms",
		`result "connected" after 3 attempts (<nil>)`,
		"giving up: retry: gave up after 2 attempts: payment service unavailable (*retry.Error: true)",
		// channel
		"consumer: numbers summed to 10, 3 words, both channels done",
		"Receive after Fail: channel: failed: disk full (ErrFailed: true)",
		// source
		"first 5 odd squares: <1> <9> <25> <49> <81> (<nil>)",
		"stdin-to-stdout in three lines: STRUCTURED CONCURRENCY ",
		// dispatcher
		`task "hello": <nil>; task "": empty message`,
		"outer scope still running: true",
		// app
		"body and forks returned nil: exit code 0",
		`level=ERROR msg="app: failed" scope=tour err="config file missing"`,
		"a fork failed: exit code 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
}

// TestRunIsDeterministic runs the tour twice: a tour whose output changed
// from run to run would teach the reader the wrong thing.
func TestRunIsDeterministic(t *testing.T) {
	var first, second bytes.Buffer
	if err := run(&first); err != nil {
		t.Fatal(err)
	}
	if err := run(&second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("two runs differ:\n%s\n----\n%s", first.String(), second.String())
	}
}

// TestEverySectionHasAHeading checks that each section prints its heading,
// in order, so that sections added later keep the tour's shape.
func TestEverySectionHasAHeading(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	at := 0
	for _, sec := range sections {
		i := strings.Index(out[at:], "== "+sec.name+"\n")
		if i < 0 {
			t.Fatalf("heading of section %q missing or out of order", sec.name)
		}
		at += i
	}
}
