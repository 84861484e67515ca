// Command httpfanout serves an HTTP endpoint that fans out to three backends
// in parallel, and shows that when the client disconnects or a deadline
// passes, every backend call still running is cancelled and has returned
// before the endpoint's handler returns, and that the backends' handlers see
// their requests cancelled.
//
// It is the point the Kotlin coroutines talk makes with a Spring controller:
// a coroutine started in GlobalScope keeps working after the request has
// timed out, while one started in the request's scope is cancelled with it,
// and so are the coroutines it started. In Go the request's scope is its
// context, and corral's forks live in it.
//
// Everything runs in this process, on loopback: three backends (profile,
// orders, and a flaky recommendations service that fails its first request),
// a frontend that calls them with fork.Par, timeout.Value and retry.Value,
// and a client. The program plays three scenarios and prints a trace of
// each:
//
//	go run ./examples/httpfanout
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/corral-go/corral/scope"
)

// hang is the latency of a backend that does not answer in time: only a
// cancellation ends its requests early enough for the scenario.
const hang = time.Minute

// A scenario sets how the backends behave and what the client does.
type scenario struct {
	title string
	// latency of profile, orders and recommendations.
	latency [3]time.Duration
	// disconnect makes the client give up once every backend is working on
	// its request.
	disconnect bool
}

var scenarios = []scenario{
	{title: "every backend answers", latency: [3]time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 5 * time.Millisecond}},
	{title: "the client disconnects", latency: [3]time.Duration{hang, hang, hang}, disconnect: true},
	{title: "orders misses its deadline", latency: [3]time.Duration{10 * time.Millisecond, hang, hang}},
}

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "httpfanout:", err)
		os.Exit(1)
	}
}

// run plays every scenario, writing its trace to w.
func run(ctx context.Context, w io.Writer) error {
	for i, sc := range scenarios {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "== %s\n", sc.title)
		if _, err := play(ctx, w, sc); err != nil {
			return fmt.Errorf("%s: %w", sc.title, err)
		}
	}
	return nil
}

// A report is what happened in a scenario, for the tests.
type report struct {
	// Status and Body are the response the client got; Status is 0 if it
	// got none.
	Status int
	Body   string
	// ClientErr is the client's error, if it got no response.
	ClientErr error
	// RunningAtEnd is the number of backend calls the frontend still had in
	// progress when its handler returned.
	RunningAtEnd int
	// Backends is what each backend saw, by name.
	Backends map[string]backendStats
}

// play starts the backends and the frontend on loopback servers, sends the
// client's request, and shuts everything down. It returns once every server
// has closed, which waits for every handler to return.
func play(ctx context.Context, w io.Writer, sc scenario) (report, error) {
	trace := newTracer(w)
	busy := make(chan string, 16)
	backends := []*backend{
		{name: "profile", answer: "Ada Lovelace, member since 1843"},
		{name: "orders", answer: "2 open orders"},
		{name: "recommendations", answer: "a difference engine", failures: 1},
	}
	fe := &frontend{
		client: &http.Client{Transport: &http.Transport{}},
		urls:   make(map[string]string),
		trace:  trace,
	}
	var servers []*httptest.Server // the backends', then the frontend's
	for i, b := range backends {
		b.latency, b.trace, b.busy = sc.latency[i], trace, busy
		srv := httptest.NewServer(b)
		servers = append(servers, srv)
		fe.urls[b.name] = srv.URL + "/" + b.name
	}
	feSrv := httptest.NewServer(fe)
	servers = append(servers, feSrv)
	client := &http.Client{Transport: &http.Transport{}}
	defer func() {
		// Close blocks until every handler of the server has returned.
		// The frontend's goes first; closing the backends then waits for
		// those of their handlers that have not yet seen the frontend go.
		for _, srv := range slices.Backward(servers) {
			srv.Close()
		}
		client.CloseIdleConnections()
		fe.client.CloseIdleConnections()
	}()

	var rep report
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		reqCtx, cancel := context.WithCancel(s.Context())
		defer cancel()
		if sc.disconnect {
			// The user closes the tab while the backends are at work.
			s.GoDaemon(func(ctx context.Context) error {
				for range backends {
					select {
					case <-busy:
					case <-ctx.Done():
						return nil
					}
				}
				trace.Printf("client: gives up and closes the connection")
				cancel()
				return nil
			})
		}
		req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, feSrv.URL+"/dashboard", nil)
		if err != nil {
			return err
		}
		trace.Printf("client: GET /dashboard")
		resp, err := client.Do(req)
		if err != nil {
			rep.ClientErr = err
			trace.Printf("client: no response: %v", context.Cause(reqCtx))
			return nil
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		rep.Status, rep.Body = resp.StatusCode, string(body)
		trace.Printf("client: %s\n%s", resp.Status, indent(rep.Body))
		return nil
	})
	if err != nil {
		return rep, err
	}
	for _, srv := range slices.Backward(servers) {
		srv.Close() // idempotent: the deferred Close does nothing more
	}
	rep.RunningAtEnd = int(fe.runningAtEnd.Load())
	rep.Backends = make(map[string]backendStats)
	for _, b := range backends {
		rep.Backends[b.name] = b.stats()
	}
	return rep, nil
}

// indent indents the lines of a response body for the trace.
func indent(body string) string {
	return "    " + strings.ReplaceAll(strings.TrimSuffix(body, "\n"), "\n", "\n    ")
}

// A tracer writes lines to w from any goroutine, one whole line at a time.
type tracer struct {
	mu sync.Mutex
	w  io.Writer
}

func newTracer(w io.Writer) *tracer { return &tracer{w: w} }

func (t *tracer) Printf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, format+"\n", args...)
}
