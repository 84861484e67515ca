package scopehttp

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/corral-go/corral/scope"
)

// Handler returns an http.Handler that renders m's current snapshot. It
// panics if m is nil.
func Handler(m *scope.Monitor) http.Handler {
	if m == nil {
		panic("scopehttp: Handler called with nil monitor")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		snap := m.Snapshot()
		if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json") {
			w.Header().Set("Content-Type", "application/json")
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			_ = enc.Encode(snap)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		WriteText(w, snap)
	})
}

// WriteText writes a snapshot as an indented tree, one line per scope and
// per fork.
func WriteText(w io.Writer, snap []scope.Info) {
	if len(snap) == 0 {
		fmt.Fprintln(w, "no running scopes")
		return
	}
	for _, s := range snap {
		writeScope(w, s, "")
	}
}

func writeScope(w io.Writer, s scope.Info, indent string) {
	cause := ""
	if s.Cause != "" {
		cause = ", cause: " + s.Cause
	}
	fmt.Fprintf(w, "%s%s: %s for %v%s\n", indent, s.Name, s.State, s.Age.Round(time.Millisecond), cause)
	for _, f := range s.Forks {
		fmt.Fprintf(w, "%s  %s\n", indent, f)
	}
	for _, c := range s.Children {
		writeScope(w, c, indent+"  ")
	}
}
