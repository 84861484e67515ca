package timeout_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/timeout"
)

// TestDoKeepsOwnError is the regression test for issue 11 item 8: an error
// of f that wraps ctx.Err(), as net/http, database/sql and gRPC return, is
// kept, with the limit in the message.
func TestDoKeepsOwnError(t *testing.T) {
	tests := []struct {
		name string
		give func(ctx context.Context) error
		// wantAs is checked with errors.As when not nil.
		wantAs  func(err error) bool
		wantMsg string
	}{
		{
			name: "url.Error",
			give: func(ctx context.Context) error {
				return &url.Error{Op: "Get", URL: "http://backend/users", Err: ctx.Err()}
			},
			wantAs: func(err error) bool {
				var ue *url.Error
				return errors.As(err, &ue) && ue.URL == "http://backend/users"
			},
			wantMsg: `timeout after 1s: Get "http://backend/users": context deadline exceeded`,
		},
		{
			name:    "wrapped ctx.Err()",
			give:    func(ctx context.Context) error { return fmt.Errorf("query users: %w", ctx.Err()) },
			wantMsg: "timeout after 1s: query users: context deadline exceeded",
		},
		{
			name:    "wrapped cause",
			give:    func(ctx context.Context) error { return fmt.Errorf("rpc: %w", context.Cause(ctx)) },
			wantMsg: "timeout after 1s: rpc: timeout: time limit exceeded",
		},
		{
			name: "joined with a driver error",
			give: func(ctx context.Context) error { return errors.Join(driver.ErrBadConn, ctx.Err()) },
			wantAs: func(err error) bool {
				return errors.Is(err, driver.ErrBadConn)
			},
			wantMsg: "timeout after 1s: driver: bad connection\ncontext deadline exceeded",
		},
		{
			name:    "bare ctx.Err()",
			give:    func(ctx context.Context) error { return ctx.Err() },
			wantMsg: "timeout after 1s",
		},
		{
			name:    "bare cause",
			give:    func(ctx context.Context) error { return context.Cause(ctx) },
			wantMsg: "timeout after 1s",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				err := timeout.Do(t.Context(), limit, func(ctx context.Context) error {
					<-ctx.Done()
					return tt.give(ctx)
				})
				if !isTimeout(err) {
					t.Errorf("Do() = %v, want an error matching ErrTimeout and context.DeadlineExceeded", err)
				}
				if tt.wantAs != nil && !tt.wantAs(err) {
					t.Errorf("Do() = %v, lost f's own error", err)
				}
				if err != nil && err.Error() != tt.wantMsg {
					t.Errorf("Do() message = %q, want %q", err, tt.wantMsg)
				}
			})
		})
	}
}

// TestDoHTTPBackendTimesOut calls a real HTTP server whose handler blocks:
// the error names the request, says which limit passed, and is still a
// timeout.
func TestDoHTTPBackendTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done(): // the client gave up
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	client := srv.Client()
	defer client.CloseIdleConnections()

	const d = 50 * time.Millisecond
	err := timeout.Do(t.Context(), d, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/users", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("Do() = %v, want an error that errors.As finds a *url.Error in", err)
	}
	if ue.URL != srv.URL+"/users" {
		t.Errorf("url.Error.URL = %q, want %q", ue.URL, srv.URL+"/users")
	}
	if !errors.Is(err, timeout.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Do() = %v, want it to match ErrTimeout and context.DeadlineExceeded", err)
	}
	if want := fmt.Sprintf(`timeout after %v: Get "%s/users": `, d, srv.URL); !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Do() message = %q, want it to start with %q", err, want)
	}
}

// TestValueKeepsOwnError checks Value the same way, with the zero value.
func TestValueKeepsOwnError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v, err := timeout.Value(t.Context(), limit, func(ctx context.Context) (int, error) {
			<-ctx.Done()
			return 42, &url.Error{Op: "Post", URL: "http://backend", Err: ctx.Err()}
		})
		var ue *url.Error
		if v != 0 || !isTimeout(err) || !errors.As(err, &ue) {
			t.Errorf("Value() = (%v, %v), want (0, a timeout wrapping the *url.Error)", v, err)
		}
	})
}
