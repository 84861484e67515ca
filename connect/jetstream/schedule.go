package jetstream

import (
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/corral-go/corral/retry"
)

// A delays hands out the delays of a backoff.BackOff by number, for callers
// that may run concurrently: nth(k) is the k-th delay of a fresh run of the
// schedule. A *retry.Schedule is copied for each call, as the retry package
// does, so it needs no lock; any other BackOff is reset and walked under a
// mutex.
type delays struct {
	own *retry.Schedule

	mu      sync.Mutex
	foreign backoff.BackOff
}

func newDelays(b backoff.BackOff) *delays {
	if s, ok := b.(*retry.Schedule); ok {
		return &delays{own: s}
	}
	return &delays{foreign: b}
}

// maxWalk caps the steps nth takes: a schedule has long reached its
// largest delay by then.
const maxWalk = 1000

// nth returns the k-th delay (k >= 1) of the schedule, or backoff.Stop if
// the schedule stops before it.
func (d *delays) nth(k uint64) time.Duration {
	k = min(max(k, 1), maxWalk)
	if d.own != nil {
		s := *d.own // the configuration is shared, the state is the copy's
		s.Reset()
		return walk(&s, k)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.foreign.Reset()
	return walk(d.foreign, k)
}

func walk(b backoff.BackOff, k uint64) time.Duration {
	var next time.Duration
	for range k {
		if next = b.NextBackOff(); next == backoff.Stop {
			break
		}
	}
	return next
}
