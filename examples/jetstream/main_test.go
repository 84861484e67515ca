package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// The whole distributed pipeline, on an embedded server: a producer, three
// workers of which one is killed mid-run, failures retried, and every job's
// result collected and stored once.
func TestRunAll(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	cfg := config{role: "all", jobs: 300, workers: 3, fail: 0.05, crash: true, storeDir: t.TempDir()}
	if err := run(ctx, cfg, &out); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for _, want := range []string{
		`producer: published 300 jobs`,
		`collector: 300 results in`,
		`failed and nak'd, \d+ deliveries after the first; workers killed mid-run: 1`,
		`RESULTS stores 300 messages, one per job`,
	} {
		if !regexp.MustCompile(want).Match(out.Bytes()) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestUnknownRole(t *testing.T) {
	cfg := config{role: "chef", jobs: 1, storeDir: t.TempDir()}
	if err := run(context.Background(), cfg, &bytes.Buffer{}); err == nil {
		t.Fatal("run with an unknown role succeeded")
	}
}
