package scope_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/scope"
)

// TestSnapshotWhileScopesStart takes snapshots while nested scopes keep
// starting: a scope must not be visible before it is complete.
func TestSnapshotWhileScopesStart(t *testing.T) {
	m := scope.NewMonitor()
	var stop atomic.Bool
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Go(func(ctx context.Context) error {
			for range 2000 {
				_ = scope.Supervised(ctx, func(*scope.Scope) error { return nil })
			}
			stop.Store(true)
			return nil
		})
		for !stop.Load() {
			m.Snapshot()
		}
		return nil
	}, scope.WithMonitor(m))
	if err != nil {
		t.Fatal(err)
	}
}
