package retry_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/timeout"
)

// TestAttemptTimeoutKeepsOwnError: an attempt cut short by AttemptTimeout
// reports the op's own error (issue 11 item 8, through timeout.Value), both
// to the hook and in the *Error the loop gives up with.
func TestAttemptTimeoutKeepsOwnError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var hooked []error
		err := retry.Do(t.Context(), func(ctx context.Context) error {
			<-ctx.Done()
			return &url.Error{Op: "Get", URL: "http://backend/users", Err: ctx.Err()}
		}, retry.AttemptTimeout(time.Second), retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(2),
			retry.AfterAttempt(func(a retry.Attempt) { hooked = append(hooked, a.Err) }))

		var ue *url.Error
		if attemptsOf(err) != 2 || !errors.As(err, &ue) || !errors.Is(err, timeout.ErrTimeout) {
			t.Errorf("Do = %v, want 2 attempts ending in a timeout that wraps the *url.Error", err)
		}
		for i, e := range hooked {
			if !errors.As(e, &ue) || !errors.Is(e, timeout.ErrTimeout) {
				t.Errorf("hook saw attempt %d fail with %v, want a timeout wrapping the *url.Error", i+1, e)
			}
		}
	})
}

// TestAttemptTimeoutHTTP retries a request to a real server whose handler
// blocks.
func TestAttemptTimeoutHTTP(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	client := srv.Client()
	defer client.CloseIdleConnections()

	const d = 50 * time.Millisecond
	err := retry.Do(t.Context(), func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/users", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, retry.AttemptTimeout(d), retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(2))

	var ue *url.Error
	if attemptsOf(err) != 2 || !errors.As(err, &ue) || !errors.Is(err, timeout.ErrTimeout) ||
		!errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Do = %v, want 2 attempts ending in a timeout that wraps the *url.Error", err)
	}
	want := fmt.Sprintf(`retry: gave up after 2 attempts: timeout after %v: Get "%s/users": `, d, srv.URL)
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Do = %q, want it to start with %q", err, want)
	}
}
