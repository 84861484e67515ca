package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// slow is the latency of a backend that should be cancelled. If it is not,
// it answers after slow, and the test fails on what it answered instead of
// hanging for a minute.
const slow = 3 * time.Second

func TestEveryBackendAnswers(t *testing.T) {
	var trace bytes.Buffer
	rep, err := play(context.Background(), &trace, scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != 200 {
		t.Fatalf("status = %d, want 200; trace:\n%s", rep.Status, trace.String())
	}
	wantBody := "profile: Ada Lovelace, member since 1843\norders: 2 open orders\nrecommendations: a difference engine\n"
	if rep.Body != wantBody {
		t.Errorf("body = %q, want %q", rep.Body, wantBody)
	}
	checkBackends(t, rep, map[string]backendStats{
		"profile":         {Requests: 1, Answered: 1},
		"orders":          {Requests: 1, Answered: 1},
		"recommendations": {Requests: 2, Failed: 1, Answered: 1}, // retried once
	})
	if !strings.Contains(trace.String(), "frontend: recommendations attempt 1 failed (503 Service Unavailable); retrying in 20ms\n") {
		t.Errorf("trace does not show the retry:\n%s", trace.String())
	}
}

// TestClientDisconnectCancelsEveryBackendCall has a real net/http client
// cancel its request once all three backends are working on theirs (the
// recommendations backend on its second attempt). Each backend handler must
// see its request's context cancelled (or it would answer after 3s), the
// frontend must have no backend call left running when its handler returns,
// and no goroutine may be left behind.
func TestClientDisconnectCancelsEveryBackendCall(t *testing.T) {
	defer goleak.VerifyNone(t)
	var trace bytes.Buffer
	sc := scenario{title: "the client disconnects", latency: [3]time.Duration{slow, slow, slow}, disconnect: true}
	start := time.Now()
	rep, err := play(context.Background(), &trace, sc)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(rep.ClientErr, context.Canceled) || rep.Status != 0 {
		t.Errorf("client got status %d and error %v, want no response and context.Canceled", rep.Status, rep.ClientErr)
	}
	checkBackends(t, rep, map[string]backendStats{
		"profile":         {Requests: 1, Cancelled: 1},
		"orders":          {Requests: 1, Cancelled: 1},
		"recommendations": {Requests: 2, Failed: 1, Cancelled: 1},
	})
	if elapsed := time.Since(start); elapsed >= slow {
		t.Errorf("took %v: the backends were not cancelled", elapsed)
	}
	out := trace.String()
	for _, want := range []string{
		"frontend: profile call cancelled (cause: context canceled)\n",
		"frontend: orders call cancelled (cause: context canceled)\n",
		"frontend: recommendations call cancelled (cause: context canceled)\n",
		"frontend: the client went away (context canceled); backend calls still running: 0\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
	// The frontend's calls ended before its handler did.
	if i, j := strings.Index(out, "frontend: recommendations call cancelled"), strings.Index(out, "frontend: the client went away"); i > j {
		t.Errorf("the handler returned before the recommendations call ended:\n%s", out)
	}
}

// TestDeadlineCancelsTheOtherCalls has the orders backend miss its 500ms
// deadline: the timeout fails the fan-out, which cancels the
// recommendations call still running, and the client gets a 504.
func TestDeadlineCancelsTheOtherCalls(t *testing.T) {
	defer goleak.VerifyNone(t)
	var trace bytes.Buffer
	sc := scenario{title: "orders misses its deadline", latency: [3]time.Duration{10 * time.Millisecond, slow, slow}}
	rep, err := play(context.Background(), &trace, sc)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != 504 || rep.Body != "orders: timeout after 500ms\n" {
		t.Errorf("response %d %q, want 504 and the orders timeout; trace:\n%s", rep.Status, rep.Body, trace.String())
	}
	checkBackends(t, rep, map[string]backendStats{
		"profile":         {Requests: 1, Answered: 1},
		"orders":          {Requests: 1, Cancelled: 1},
		"recommendations": {Requests: 2, Failed: 1, Cancelled: 1},
	})
	if want := "frontend: recommendations call cancelled (cause: orders: timeout after 500ms)\n"; !strings.Contains(trace.String(), want) {
		t.Errorf("trace lacks %q:\n%s", want, trace.String())
	}
}

// TestRun plays the program's own scenarios.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"== every backend answers\n",
		"client: 200 OK\n    profile: Ada Lovelace, member since 1843\n    orders: 2 open orders\n    recommendations: a difference engine\n",
		"== the client disconnects\n",
		"client: gives up and closes the connection\n",
		"backend profile: request 1: cancelled, the caller went away\n",
		"backend orders: request 1: cancelled, the caller went away\n",
		"backend recommendations: request 2: cancelled, the caller went away\n",
		"== orders misses its deadline\n",
		"client: 504 Gateway Timeout\n    orders: timeout after 500ms\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out.String())
	}
}

func checkBackends(t *testing.T, rep report, want map[string]backendStats) {
	t.Helper()
	if rep.RunningAtEnd != 0 {
		t.Errorf("%d backend calls still running when the frontend's handler returned", rep.RunningAtEnd)
	}
	for name, w := range want {
		if got := rep.Backends[name]; got != w {
			t.Errorf("backend %s saw %+v, want %+v", name, got, w)
		}
	}
}
