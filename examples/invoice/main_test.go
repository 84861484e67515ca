package main

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// lines splits what a logger wrote into lines.
func lines(buf *bytes.Buffer) []string {
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

func TestGenerateInvoice(t *testing.T) {
	var buf bytes.Buffer
	inv, err := generateInvoice(context.Background(), newServices(newLogger(&buf), ""))
	if err != nil {
		t.Fatalf("generateInvoice: %v", err)
	}
	want := Invoice{
		Issuer:   Issuer{"Corral Supplies Ltd"},
		Customer: Customer{"Ada Lovelace"},
		Items:    []Item{{"fence post", 1250}, {"gate hinge", 499}, {"hay bale", 700}},
	}
	if inv.Issuer != want.Issuer || inv.Customer != want.Customer || !slices.Equal(inv.Items, want.Items) {
		t.Errorf("invoice = %+v, want %+v", inv, want)
	}
	// Every call was sent and answered before generateInvoice returned.
	got := lines(&buf)
	for _, name := range []string{"findIssuer", "findCustomer", "findItems"} {
		sent := slices.Index(got, name+": request sent")
		answered := slices.Index(got, name+": answered")
		if sent < 0 || answered < sent {
			t.Errorf("%s: want sent, then answered; log:\n%s", name, buf.String())
		}
	}
}

// TestFailureCancelsSiblings checks the ShutdownOnFailure behaviour: when
// findCustomer fails, the other two calls, still waiting for their answers,
// see their context cancelled with that failure as the cause, and
// generateInvoice returns only after they have. The siblings would otherwise
// wait a minute, so a run that did not cancel them would time out.
func TestFailureCancelsSiblings(t *testing.T) {
	var buf bytes.Buffer
	inv, err := generateInvoice(context.Background(), newServices(newLogger(&buf), "findCustomer"))
	// Nothing has been written since generateInvoice returned: what the log
	// holds now happened before it returned.
	got := lines(&buf)

	if !errors.Is(err, errNoCustomer) {
		t.Fatalf("err = %v, want errNoCustomer", err)
	}
	if err.Error() != "findCustomer: customer 42 not found" {
		t.Errorf("err = %q: the first failure should be reported alone, with no echoes of the cancellation", err)
	}
	if inv.Issuer != (Issuer{}) || inv.Customer != (Customer{}) || inv.Items != nil {
		t.Errorf("invoice = %+v, want the zero Invoice", inv)
	}
	failed := slices.Index(got, "findCustomer: failed: customer 42 not found")
	if failed < 0 {
		t.Fatalf("findCustomer did not fail; log:\n%s", buf.String())
	}
	for _, name := range []string{"findIssuer", "findItems"} {
		sent := slices.Index(got, name+": request sent")
		cancelled := slices.Index(got, name+": cancelled (cause: findCustomer: customer 42 not found)")
		switch {
		case sent < 0 || sent > failed:
			t.Errorf("%s: not sent before findCustomer failed; log:\n%s", name, buf.String())
		case cancelled < failed:
			t.Errorf("%s: not cancelled after findCustomer failed; log:\n%s", name, buf.String())
		}
		if slices.Contains(got, name+": answered") {
			t.Errorf("%s answered although it was cancelled", name)
		}
	}
}

// TestParentCancellation checks that cancelling the caller's context
// cancels all three calls.
func TestParentCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	_, err := generateInvoice(ctx, newServices(newLogger(&buf), ""))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	got := lines(&buf)
	for _, name := range []string{"findIssuer", "findCustomer", "findItems"} {
		if !slices.Contains(got, name+": cancelled (cause: context canceled)") {
			t.Errorf("%s not cancelled; log:\n%s", name, buf.String())
		}
	}
}

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	if err := run(context.Background(), &buf); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, buf.String())
	}
	out := buf.String()
	for _, want := range []string{
		"== every service answers\n",
		"invoice: Corral Supplies Ltd for Ada Lovelace, 3 items, total 24.49\n",
		"== findCustomer fails\n",
		"findIssuer: cancelled (cause: findCustomer: customer 42 not found)\n",
		"findItems: cancelled (cause: findCustomer: customer 42 not found)\n",
		"generateInvoice failed: findCustomer: customer 42 not found\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q; output:\n%s", want, out)
		}
	}
}
