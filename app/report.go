package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/corral-go/corral/scope"
)

// output is where Run reports: plain text lines on a writer, or records
// on a logger. Stuck-fork reports arrive from the scope's own goroutines, so
// writes are serialised; after Run returns nothing more is written, not
// even by the scope Run may have abandoned.
type output struct {
	c      *config
	mu     sync.Mutex
	closed bool
}

// write prints text (a line or more, without the final newline), or sends
// msg and attrs to the logger.
func (o *output) write(level slog.Level, msg, text string, attrs ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.writeLocked(level, msg, text, attrs...)
}

// writeLast writes the last report: nothing is written after it.
func (o *output) writeLast(level slog.Level, msg, text string, attrs ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.writeLocked(level, msg, text, attrs...)
	o.closed = true
}

func (o *output) writeLocked(level slog.Level, msg, text string, attrs ...any) {
	if o.closed {
		return
	}
	if o.c.logger != nil {
		o.c.logger.Log(context.Background(), level, msg, append([]any{"scope", o.c.name}, attrs...)...)
		return
	}
	fmt.Fprintln(o.c.w, text)
}

// named prefixes text with the scope's name, as a command-line program
// prefixes its messages with its own.
func (o *output) named(format string, args ...any) string {
	return o.c.name + ": " + fmt.Sprintf(format, args...)
}

func (o *output) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
}

func (o *output) signalled(sig os.Signal) {
	o.write(slog.LevelInfo, "app: stopping on a signal",
		o.named("received %v; stopping (grace period %v; a second signal exits at once)", sig, o.c.grace),
		"signal", sig.String(), "grace", o.c.grace)
}

func (o *output) stuck(r scope.StuckReport) {
	o.write(slog.LevelWarn, "app: forks do not stop after their scope was cancelled", r.String(),
		"stuck_scope", r.Scope, "waiting", r.Waiting, "cause", r.Cause, "report", r.String())
}

func (o *output) failed(err error) {
	o.writeLast(slog.LevelError, "app: failed", o.named("%v", err), "err", err)
}

func (o *output) panicked(p *scope.PanicError) {
	o.writeLast(slog.LevelError, "app: panicked", o.named("%v", p),
		"panic", fmt.Sprint(p.Value), "panic_scope", p.Scope, "stack", string(p.Stack))
}

func (o *output) forced(code int, reason string, running string) {
	o.writeLast(slog.LevelError, "app: forced exit",
		o.named("forced exit with code %d: %s; still running:\n%s", code, reason, running),
		"code", code, "reason", reason, "running", running)
}

// running describes the scopes registered with m and the forks they wait
// for, as a tree, one line each.
func running(m *scope.Monitor) string {
	var b strings.Builder
	writeScopes(&b, m.Snapshot(), 1)
	if b.Len() == 0 {
		return "\t(no scope: the root scope has just ended)"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func writeScopes(b *strings.Builder, scopes []scope.Info, depth int) {
	indent := strings.Repeat("\t", depth)
	for _, s := range scopes {
		fmt.Fprintf(b, "%s%s: %s, started %v ago", indent, s.Name, s.State, s.Age.Round(time.Millisecond))
		if s.Cause != "" {
			fmt.Fprintf(b, " (cause: %s)", s.Cause)
		}
		b.WriteByte('\n')
		for _, f := range s.Forks {
			fmt.Fprintf(b, "%s\t%s\n", indent, f)
		}
		writeScopes(b, s.Children, depth+1)
	}
}
