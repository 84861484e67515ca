package dispatcher_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// WithMailbox is the one option that actors take too: the compiler checks
// it, since NewActor accepts only ActorOptions (passing WithLimit to NewActor
// does not compile).
var _ dispatcher.ActorOption = dispatcher.WithMailbox(1, dispatcher.Block)

func TestPolicyZeroValueIsBlock(t *testing.T) {
	var p dispatcher.Policy
	if p != dispatcher.Block || p.String() != "Block" {
		t.Errorf("zero Policy = %v, want Block", p)
	}
	if got := dispatcher.Reject.String(); got != "Reject" {
		t.Errorf("Reject.String() = %q", got)
	}
	if got := dispatcher.Policy(9).String(); got != "Policy(9)" {
		t.Errorf("Policy(9).String() = %q", got)
	}
}

func TestWithMaxRunningIsWithLimit(t *testing.T) {
	var now, peak atomic.Int32
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithMaxRunning(2)) // the deprecated name still works
		for range 50 {
			_ = d.RunAsync(func(*scope.Scope) error {
				n := now.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				now.Add(-1)
				return nil
			}, nil)
		}
		return d.Shutdown(context.Background())
	})
	if p := peak.Load(); p > 2 {
		t.Errorf("peak running = %d, want at most 2", p)
	}
}
