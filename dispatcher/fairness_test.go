package dispatcher_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// The fairness the package documents: when a running slot frees, the next
// lane in round-robin order starts its oldest waiting task. So while lanes
// have tasks waiting, no lane starts two tasks between two starts of another
// waiting lane, however many tasks it has queued.

func TestFairnessFloodDoesNotStarveOtherLane(t *testing.T) {
	const flood = 1000
	tr := new(trail)
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1))
		release := occupy(t, d)
		var handles []*dispatcher.Task
		for i := range flood { // the flooder, on the default lane
			handles = append(handles, d.Submit(func(*scope.Scope) error { tr.add("F%d", i); return nil }))
		}
		other := d.NewLane()
		for i := range 3 { // a polite caller, after the flood
			handles = append(handles, other.Submit(func(*scope.Scope) error { tr.add("B%d", i); return nil }))
		}
		close(release)
		for _, h := range handles {
			_ = wait(t, h)
		}
		return nil
	})
	got := tr.get()
	want := []string{"F0", "B0", "F1", "B1", "F2", "B2", "F3", "F4"}
	if !slices.Equal(got[:len(want)], want) {
		t.Fatalf("start order begins %q, want %q", got[:len(want)], want)
	}
	if len(got) != flood+3 {
		t.Fatalf("%d tasks ran, want %d", len(got), flood+3)
	}
}

func TestFairnessRoundRobinAcrossLanes(t *testing.T) {
	sizes := []int{500, 3, 40, 1, 120}
	type start struct{ lane, seq int }
	var mu sync.Mutex
	var starts []start
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1))
		release := occupy(t, d)
		var submitters sync.WaitGroup
		handles := make([][]*dispatcher.Task, len(sizes))
		for lane, n := range sizes { // the callers submit concurrently
			submitters.Go(func() {
				l := d.NewLane()
				for seq := range n {
					handles[lane] = append(handles[lane], l.Submit(func(*scope.Scope) error {
						mu.Lock()
						starts = append(starts, start{lane, seq})
						mu.Unlock()
						return nil
					}))
				}
			})
		}
		submitters.Wait()
		close(release)
		for _, hs := range handles {
			for _, h := range hs {
				_ = wait(t, h)
			}
		}
		return nil
	})
	// FIFO within a lane, and between two starts of a lane that still has
	// tasks waiting, every other lane starts at most once.
	next := make([]int, len(sizes))
	for i, st := range starts {
		if st.seq != next[st.lane] {
			t.Fatalf("start %d: lane %d task %d, want task %d (FIFO)", i, st.lane, st.seq, next[st.lane])
		}
		next[st.lane]++
	}
	last := make([]int, len(sizes)) // index of the lane's previous start + 1
	for i, st := range starts {
		if prev := last[st.lane]; prev > 0 {
			seen := map[int]bool{}
			for _, between := range starts[prev:i] {
				if seen[between.lane] {
					t.Fatalf("lane %d started twice between starts %d and %d of lane %d", between.lane, prev-1, i, st.lane)
				}
				seen[between.lane] = true
			}
		}
		last[st.lane] = i + 1
	}
}

func TestFairnessUnderConcurrentFlood(t *testing.T) {
	// One running slot, so the trail's order is the order in which tasks
	// were taken from the mailbox; the flood goes on while the polite
	// caller submits.
	tr := new(trail)
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1))
		stop, flooding := make(chan struct{}), make(chan struct{})
		var flooder sync.WaitGroup
		flooder.Go(func() {
			for i := 0; i < 20_000; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_ = d.RunAsync(func(*scope.Scope) error { tr.add("F"); return nil }, nil)
				if i == 1000 {
					close(flooding)
				}
			}
		})
		within(t, flooding, "the flood")
		polite := d.NewLane()
		for i := range 5 {
			started := make(chan struct{})
			_ = polite.RunAsync(func(*scope.Scope) error { tr.add("P%d", i); close(started); return nil }, nil)
			tr.add("queued P%d", i)
			within(t, started, "the polite task")
		}
		close(stop)
		flooder.Wait()
		return nil
	})
	// Between a polite task's queueing and its start, round-robin over two
	// lanes lets at most one flood task start, plus the one that was
	// already running (its trail entry may come after the queueing).
	got := tr.get()
	for i := range 5 {
		q := slices.Index(got, fmt.Sprintf("queued P%d", i))
		p := slices.Index(got, fmt.Sprintf("P%d", i))
		if p > q && p-q-1 > 2 {
			t.Errorf("P%d started after %d flood tasks, want at most 2", i, p-q-1)
		}
	}
}

func TestFIFOWithinALane(t *testing.T) {
	// On one lane a flood cannot jump ahead of a task submitted before it;
	// it does delay the tasks submitted after it.
	tr := new(trail)
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1))
		release := occupy(t, d)
		first := d.Submit(func(*scope.Scope) error { tr.add("early caller"); return nil })
		var flood []*dispatcher.Task
		for i := range 100 {
			flood = append(flood, d.Submit(func(*scope.Scope) error { tr.add("flood %d", i); return nil }))
		}
		last := d.Submit(func(*scope.Scope) error { tr.add("late caller"); return nil })
		close(release)
		for _, h := range append(append(flood, first), last) {
			_ = wait(t, h)
		}
		return nil
	})
	got := tr.get()
	if got[0] != "early caller" || got[len(got)-1] != "late caller" {
		t.Errorf("start order = %q ... %q, want early caller first and late caller last", got[0], got[len(got)-1])
	}
	for i, ev := range got[1 : len(got)-1] {
		if want := fmt.Sprintf("flood %d", i); ev != want {
			t.Fatalf("start %d = %q, want %q", i+1, ev, want)
		}
	}
}

func TestMailboxBoundIsPerLane(t *testing.T) {
	noop := func(*scope.Scope) error { return nil }
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1), dispatcher.WithMailbox(5, dispatcher.Reject))
		release := occupy(t, d)
		defer close(release)
		flooder := d.NewLane()
		var err error
		accepted := 0
		for err == nil {
			if err = flooder.RunAsync(noop, nil); err == nil {
				accepted++
			}
		}
		if !errors.Is(err, dispatcher.ErrFull) || accepted != 5 {
			t.Errorf("flooder: %d accepted, then %v; want 5, then ErrFull", accepted, err)
		}
		if err := d.NewLane().RunAsync(noop, nil); err != nil {
			t.Errorf("another lane's RunAsync = %v, want nil: its mailbox is empty", err)
		}
		if err := d.RunAsync(noop, nil); err != nil {
			t.Errorf("default lane's RunAsync = %v, want nil", err)
		}
		return nil
	})
}
