package fork

import (
	"runtime"
	"testing"
	"testing/synctest"
)

// Issue 11, item 3, on the mechanism: once stop was called no index is taken,
// and stop returns only after every worker that took an index has started.
// Map's workers used to check for a failure first and take an index after,
// so that a failure in between let one more call begin.
func TestClaimerStop(t *testing.T) {
	var c claimer
	i, ok := c.take(3)
	if !ok || i != 0 {
		t.Fatalf("take = %d, %v; want 0, true", i, ok)
	}
	stopped := make(chan struct{})
	go func() { c.stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("stop returned while a worker was still starting")
	default:
	}
	for c.word.Load()&claimStopped == 0 {
		runtime.Gosched() // until stop has set the bit
	}
	if i, ok := c.take(3); ok {
		t.Fatalf("take while stopping = %d, true; want false", i)
	}
	select {
	case <-stopped:
		t.Fatal("stop returned while a worker was still starting")
	default:
	}
	c.started()
	<-stopped
	if i, ok := c.take(3); ok {
		t.Fatalf("take after stop = %d, true; want false", i)
	}
}

func TestClaimerTakesEachIndexOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c claimer
		const n = 1000
		seen := make([]int32, n)
		done := make(chan struct{})
		for range 4 {
			go func() {
				defer func() { done <- struct{}{} }()
				for {
					i, ok := c.take(n)
					if !ok {
						return
					}
					c.started()
					seen[i]++
				}
			}()
		}
		for range 4 {
			<-done
		}
		for i, k := range seen {
			if k != 1 {
				t.Fatalf("index %d taken %d times", i, k)
			}
		}
	})
}
