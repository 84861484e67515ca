package handoff_test

import (
	"testing"

	"github.com/corral-go/corral/source/internal/handoff"
)

// TestSignal: Notify wakes an armed waiter once, does nothing when none is
// armed, and never blocks.
func TestSignal(t *testing.T) {
	s := handoff.NewSignal()
	s.Notify()
	select {
	case <-s.C():
		t.Fatal("Notify without Arm signalled")
	default:
	}
	s.Arm()
	s.Notify()
	s.Arm()
	s.Notify() // a second signal while one is pending: dropped, no block
	<-s.C()
	select {
	case <-s.C():
		t.Fatal("two signals pending")
	default:
	}
	s.Arm()
	s.Disarm()
	s.Notify()
	select {
	case <-s.C():
		t.Fatal("Notify after Disarm signalled")
	default:
	}
}

// TestWaiters: WakeOne wakes the oldest waiter, WakeAll the rest.
func TestWaiters(t *testing.T) {
	var ws handoff.Waiters
	a, b, c := handoff.NewWake(), handoff.NewWake(), handoff.NewWake()
	ws.Add(a)
	ws.Add(b)
	ws.Add(c)
	ws.WakeOne()
	if len(a) != 1 || len(b) != 0 || ws.Len() != 2 {
		t.Fatalf("WakeOne: %d %d %d, %d left", len(a), len(b), len(c), ws.Len())
	}
	ws.WakeAll()
	if len(b) != 1 || len(c) != 1 || ws.Len() != 0 {
		t.Fatalf("WakeAll: %d %d, %d left", len(b), len(c), ws.Len())
	}
}
