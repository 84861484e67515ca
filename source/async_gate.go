package source

import (
	"fmt"
	"sync"
	"time"
)

// A gate keeps the producers of an async stage within the downstream's
// demand. The consumer reports the downstream's latest bound after each
// batch it passes on; a producer learns from produced how many more values
// it may make: the bound less the values still on their way. When they use
// it all up, the producer waits for the consumer's next report instead of
// stopping, because a downstream that filters values may want more once it
// has seen them. So with a Take(3) downstream, the upstream of a MapPar
// makes 3 values, not a batch. (A pipe does the same for the stages built
// on it, under its own lock.)
//
// With an unbounded downstream a gate costs one uncontended lock per batch
// on each side.
type gate struct {
	mu      sync.Mutex
	want    int // the downstream's latest bound
	pending int // values produced and not yet passed downstream
	waiters []chan struct{}
}

func newGate(want int) *gate { return &gate{want: want} }

// produced records that a producer made k more values and returns its new
// bound: unbounded, a positive number, or 0 when the downstream wants no
// more or done is closed. w is the producer's wake-up channel (capacity 1).
func (g *gate) produced(k int, done <-chan struct{}, w chan struct{}) int {
	g.mu.Lock()
	g.pending += k
	for g.want > 0 && g.pending >= g.want {
		g.waiters = append(g.waiters, w)
		g.mu.Unlock()
		select {
		case <-w:
		case <-done:
			return 0
		}
		g.mu.Lock()
	}
	bound := g.want
	if bound > 0 {
		bound -= g.pending
	}
	g.mu.Unlock()
	return bound
}

// delivered records that the consumer passed k values downstream, which
// answered with the bound want. A nil gate ignores it.
func (g *gate) delivered(k, want int) {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.pending -= k
	g.want = want
	if len(g.waiters) > 0 && (want <= 0 || want > g.pending) {
		for _, w := range g.waiters {
			select {
			case w <- struct{}{}:
			default:
			}
		}
		clear(g.waiters)
		g.waiters = g.waiters[:0]
	}
	g.mu.Unlock()
}

// mustDuration panics, naming the operator and the argument, if d is not
// positive.
func mustDuration(op, name string, d time.Duration) {
	if d <= 0 {
		panic(fmt.Sprintf("source: %s called with %s %v; %s must be positive", op, name, d, name))
	}
}
