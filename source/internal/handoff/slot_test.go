package handoff_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/source/internal/handoff"
)

// TestSlotNext: the consumer takes the value at once without a delay, once
// the delay has passed since it arrived, at once when it is full or the
// producer has ended, and learns of the end.
func TestSlotNext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		s := handoff.NewSlot[int]()
		defer s.Stop()
		start := time.Now()
		s.Put(1, start, false)
		if v, ok, err := s.Next(ctx, 0); v != 1 || !ok || err != nil {
			t.Fatalf("Next without a delay: %v, %v, %v", v, ok, err)
		}
		s.Put(2, time.Now(), false)
		if v, _, _ := s.Next(ctx, time.Second); v != 2 || time.Since(start) != time.Second {
			t.Errorf("Next with a delay: %d after %v, want 2 after 1s", v, time.Since(start))
		}
		s.Put(3, time.Now(), true)
		if v, _, _ := s.Next(ctx, time.Hour); v != 3 || time.Since(start) != time.Second {
			t.Errorf("a full value: %d after %v, want 3 at once", v, time.Since(start))
		}
		s.Put(4, time.Now(), false)
		s.End()
		if v, _, _ := s.Next(ctx, time.Hour); v != 4 || time.Since(start) != time.Second {
			t.Errorf("after End: %d after %v, want 4 at once", v, time.Since(start))
		}
		if _, ok, err := s.Next(ctx, time.Hour); ok || err != nil {
			t.Errorf("empty after End: ok %v, err %v", ok, err)
		}
	})
}

// TestSlotClaim: while the producer holds the value, the consumer waits
// for it to come back.
func TestSlotClaim(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := handoff.NewSlot[int]()
		defer s.Stop()
		s.Put(1, time.Now(), false)
		v, has, _ := s.Claim()
		if v != 1 || !has {
			t.Fatalf("Claim: %v, %v", v, has)
		}
		got := make(chan int)
		go func() {
			v, _, _ := s.Next(context.Background(), 0)
			got <- v
		}()
		synctest.Wait()
		s.Put(v+10, time.Now(), false)
		if v := <-got; v != 11 {
			t.Errorf("Next: %d, want 11", v)
		}
	})
}

// TestSlotWaitTaken: the producer waits until the consumer takes the value,
// or done is closed.
func TestSlotWaitTaken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := handoff.NewSlot[int]()
		defer s.Stop()
		if !s.WaitTaken(nil) {
			t.Fatal("WaitTaken on an empty slot: false")
		}
		s.Put(1, time.Now(), true)
		taken := make(chan bool)
		go func() { taken <- s.WaitTaken(nil) }()
		synctest.Wait()
		select {
		case <-taken:
			t.Fatal("WaitTaken returned before the value was taken")
		default:
		}
		_, _, _ = s.Next(context.Background(), 0)
		if !<-taken {
			t.Error("WaitTaken: false")
		}
		s.Put(2, time.Now(), true)
		done := make(chan struct{})
		close(done)
		if s.WaitTaken(done) {
			t.Error("WaitTaken with done closed: true")
		}
	})
}

// TestSlotCancel: a consumer waiting for a value returns ctx's error.
func TestSlotCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := handoff.NewSlot[int]()
		defer s.Stop()
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error)
		go func() {
			_, _, err := s.Next(ctx, time.Second)
			errc <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-errc; err != context.Canceled {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}
