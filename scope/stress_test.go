package scope_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/scope"
)

// TestStress runs thousands of scopes whose forks start more forks (awaited
// and daemon) while the scope is ending, with random failures and panics, and
// checks that every goroutine the scope started has returned by the time
// Supervised returns or panics.
func TestStress(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	errFail := errors.New("random failure")
	for i := range n {
		rng := &lockedRand{r: rand.New(rand.NewPCG(uint64(i), 7))}
		var started, ended atomic.Int64
		var spawn func(s *scope.Scope, depth int)
		spawn = func(s *scope.Scope, depth int) {
			kind := rng.IntN(4)
			outcome := rng.IntN(20)
			children := 0
			if depth < 3 {
				children = rng.IntN(3)
			}
			started.Add(1)
			f := func(ctx context.Context) error {
				defer ended.Add(1)
				for range children {
					spawn(s, depth+1) // may run while the scope is ending
				}
				switch outcome {
				case 0:
					return errFail
				case 1:
					panic("random panic")
				case 2, 3:
					if kind == 0 { // only a daemon may wait for the end
						<-ctx.Done()
						return ctx.Err()
					}
				}
				return nil
			}
			if kind == 0 {
				s.GoDaemon(f)
			} else {
				s.Go(f)
			}
		}
		func() {
			defer func() {
				if v := recover(); v != nil {
					if _, ok := v.(*scope.PanicError); !ok {
						t.Fatalf("iteration %d: panic %T %v, want *scope.PanicError", i, v, v)
					}
				}
				if s, e := started.Load(), ended.Load(); s != e {
					t.Fatalf("iteration %d: %d forks started, %d ended when Supervised returned", i, s, e)
				}
			}()
			err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
				for range 1 + rng.IntN(4) {
					spawn(s, 0)
				}
				if rng.IntN(10) == 0 {
					return errFail
				}
				return nil
			})
			if err != nil && !errors.Is(err, errFail) {
				t.Fatalf("iteration %d: Supervised() = %v, want nil or the random failure", i, err)
			}
		}()
	}
}

// lockedRand is a deterministic source shared by the forks of one scope.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func (l *lockedRand) IntN(n int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.IntN(n)
}
