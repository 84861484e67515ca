package scopehttp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/scope/scopehttp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestHandler(t *testing.T) {
	m := scope.NewMonitor()
	srv := httptest.NewServer(scopehttp.Handler(m))
	defer srv.Close()
	get := func(url string) string {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := get(srv.URL); !strings.Contains(got, "no running scopes") {
		t.Errorf("empty snapshot = %q", got)
	}
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		started := make(chan struct{})
		release := make(chan struct{})
		s.GoNamed("server", func(context.Context) error { close(started); <-release; return nil })
		<-started
		defer close(release)
		text := get(srv.URL)
		for _, w := range []string{`scope "app": running`, "body app, called at", `awaited fork "server"`, "scopehttp_test.go:"} {
			if !strings.Contains(text, w) {
				t.Errorf("text = %q, want %q", text, w)
			}
		}
		var snap []scope.Info
		if err := json.Unmarshal([]byte(get(srv.URL+"?format=json")), &snap); err != nil {
			return err
		}
		// The body, still running, is listed first, then the fork.
		if len(snap) != 1 || snap[0].Name != `scope "app"` || len(snap[0].Forks) != 2 ||
			snap[0].Forks[0].Kind != "body" || snap[0].Forks[1].Name != "server" {
			t.Errorf("json snapshot = %+v", snap)
		}
		return nil
	}, scope.WithName("app"), scope.WithMonitor(m))
	if err != nil {
		t.Fatal(err)
	}
}
