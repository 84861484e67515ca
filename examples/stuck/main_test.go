package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunReportsTheStuckFork(t *testing.T) {
	var out bytes.Buffer
	// The worker ignores cancellation for 3.5 grace periods; the first
	// report is due after one, which leaves ample slack on a loaded machine.
	if err := run(&out, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		`scope "ingest": running`,
		`scope "cache": running`,
		`corral: scope "ingest" cancelled`,
		`(cause: upstream unavailable)`,
		`awaited fork "flaky-upload"`,
		"main.go:35",
		"scope returned: upstream unavailable",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
