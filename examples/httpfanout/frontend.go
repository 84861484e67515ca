package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/timeout"
)

// Time limits of the backend calls. The recommendations call is retried,
// and its limit covers all of its attempts.
const (
	callLimit  = 500 * time.Millisecond
	retryLimit = 2 * time.Second
)

// A frontend serves a dashboard made of the answers of three backends,
// called in parallel.
//
// The handler runs the calls with fork.Par under the request's context.
// That context is what Kotlin calls a structured scope: net/http cancels it
// when the client closes the connection, Par cancels it for the other calls
// when one fails, and Par does not return before every call has returned.
// A handler that started its calls with a bare go statement (Kotlin's
// GlobalScope.launch) would answer, or notice the client is gone, and
// return with the calls still running and the backends still working for
// nobody.
type frontend struct {
	client *http.Client
	urls   map[string]string // backend name to URL
	trace  *tracer

	running atomic.Int32 // backend calls in progress

	// runningAtEnd is the number of backend calls still in progress when
	// the handler returned. A scope's promise is that it is 0.
	runningAtEnd atomic.Int32
}

func (f *frontend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f.trace.Printf("frontend: %s %s: calling profile, orders and recommendations", r.Method, r.URL.Path)
	parts, err := fork.Par(ctx,
		f.call("profile", callLimit, f.get),
		f.call("orders", callLimit, f.get),
		f.call("recommendations", retryLimit, f.getWithRetry),
	)
	running := f.running.Load()
	f.runningAtEnd.Store(running)
	switch {
	case ctx.Err() != nil:
		// Nobody is left to answer.
		f.trace.Printf("frontend: the client went away (%v); backend calls still running: %d", context.Cause(ctx), running)
	case errors.Is(err, timeout.ErrTimeout):
		f.trace.Printf("frontend: 504 Gateway Timeout; backend calls still running: %d", running)
		http.Error(w, err.Error(), http.StatusGatewayTimeout)
	case err != nil:
		f.trace.Printf("frontend: 502 Bad Gateway; backend calls still running: %d", running)
		http.Error(w, err.Error(), http.StatusBadGateway)
	default:
		f.trace.Printf("frontend: 200 OK; backend calls still running: %d", running)
		io.WriteString(w, strings.Join(parts, "\n")+"\n")
	}
}

// call returns a task for fork.Par that calls the backend name with get,
// within limit, and traces how the call ended.
func (f *frontend) call(name string, limit time.Duration,
	get func(ctx context.Context, name string) (string, error)) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		f.running.Add(1)
		defer f.running.Add(-1)
		answer, err := timeout.Value(ctx, limit, func(ctx context.Context) (string, error) {
			return get(ctx, name)
		})
		switch {
		case ctx.Err() != nil:
			f.trace.Printf("frontend: %s call cancelled (cause: %v)", name, context.Cause(ctx))
			return "", ctx.Err()
		case err != nil:
			f.trace.Printf("frontend: %s call failed: %v", name, err)
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return name + ": " + answer, nil
	}
}

// getWithRetry is get for a flaky backend: it retries server errors, twice
// at most, 20ms apart.
func (f *frontend) getWithRetry(ctx context.Context, name string) (string, error) {
	return retry.Value(ctx, func(ctx context.Context) (string, error) {
		return f.get(ctx, name)
	},
		retry.WithBackOff(retry.Fixed(20*time.Millisecond)),
		retry.MaxAttempts(3),
		retry.If(func(err error) bool {
			var se statusError
			return !errors.As(err, &se) || se >= 500 // network errors and 5xx
		}),
		retry.AfterAttempt(func(a retry.Attempt) {
			if a.Err != nil && !a.Last() {
				f.trace.Printf("frontend: %s attempt %d failed (%v); retrying in %v", name, a.Number, a.Err, a.Delay)
			}
		}),
	)
}

// get makes one GET request to the backend name and returns its body.
func (f *frontend) get(ctx context.Context, name string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.urls[name], nil)
	if err != nil {
		return "", err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL has a random port: keep the trace the same on every run
		}
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", statusError(resp.StatusCode)
	}
	return string(body), nil
}

// statusError is an HTTP status other than 200 OK.
type statusError int

func (e statusError) Error() string {
	return fmt.Sprintf("%d %s", int(e), http.StatusText(int(e)))
}
