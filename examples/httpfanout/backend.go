package main

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// A backend is a fake remote service on a loopback HTTP server. Each request
// takes latency to answer, and the first failures requests fail at once
// with 503 Service Unavailable, as a flaky service does. While it waits,
// the handler watches its request's context, which net/http cancels when
// the caller closes the connection: that is how a backend learns that the
// frontend gave up on it.
type backend struct {
	name     string
	answer   string
	latency  time.Duration
	failures int32

	trace *tracer
	busy  chan<- string // told the backend's name each time a request starts waiting

	requests, failed, answered, cancelled atomic.Int32
}

func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := b.requests.Add(1)
	if n <= b.failures {
		b.failed.Add(1)
		b.trace.Printf("backend %s: request %d: 503 Service Unavailable", b.name, n)
		http.Error(w, "overloaded, try again", http.StatusServiceUnavailable)
		return
	}
	b.trace.Printf("backend %s: request %d: working on it", b.name, n)
	select {
	case b.busy <- b.name:
	default: // nobody is counting
	}
	t := time.NewTimer(b.latency)
	defer t.Stop()
	select {
	case <-t.C:
		b.answered.Add(1)
		b.trace.Printf("backend %s: request %d: answered", b.name, n)
		fmt.Fprint(w, b.answer)
	case <-r.Context().Done():
		b.cancelled.Add(1)
		b.trace.Printf("backend %s: request %d: cancelled, the caller went away", b.name, n)
	}
}

// backendStats is what a backend saw, once its server has closed.
type backendStats struct {
	Requests, Failed, Answered, Cancelled int
}

func (b *backend) stats() backendStats {
	return backendStats{
		Requests:  int(b.requests.Load()),
		Failed:    int(b.failed.Load()),
		Answered:  int(b.answered.Load()),
		Cancelled: int(b.cancelled.Load()),
	}
}
