package fork_test

import (
	"context"
	"testing"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// Issue 13: a typed fork costs two allocations, the Fork that holds its
// result and the go statement's closure; joining it after it completed costs
// none. (A scope costs three: the Scope and its context's two.)
func TestForkAllocations(t *testing.T) {
	ctx := context.Background()
	scopeOnly := testing.AllocsPerRun(200, func() {
		_ = scope.Supervised(ctx, func(*scope.Scope) error { return nil })
	})
	const n = 10
	withForks := testing.AllocsPerRun(200, func() {
		_ = scope.Supervised(ctx, func(s *scope.Scope) error {
			var forks [n]*fork.Fork[int]
			for i := range forks {
				forks[i] = fork.New(s, answer)
			}
			for _, f := range forks {
				if _, err := f.Join(); err != nil {
					return err
				}
			}
			return nil
		})
	})
	// A Join that has to wait makes the channel it waits on: allow one
	// more for some of them.
	if perFork := (withForks - scopeOnly) / n; perFork > 2.5 {
		t.Errorf("%.1f allocations per typed fork, want at most 2 (plus a waiting Join's channel now and then)", perFork)
	}
}

func answer(context.Context) (int, error) { return 42, nil }
