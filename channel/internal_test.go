package channel

import (
	"context"
	"testing"
)

// TestHybridWaitRace covers the moment when a Select with a Go channel
// clause is woken by the Go channel and completed by a counterpart at once:
// a value from the Go channel wins (the counterpart's value goes back), a
// closed Go channel loses. reflect.Select picks either ready case at random,
// so the loop covers both orders.
func TestHybridWaitRace(t *testing.T) {
	for _, tt := range []struct {
		name   string
		closed bool
	}{{"value", false}, {"closed", true}} {
		t.Run(tt.name, func(t *testing.T) {
			var sawGo, sawClause bool
			for range 500 {
				g := make(chan int, 1)
				if tt.closed {
					close(g)
				} else {
					g <- 5
				}
				w := &waiter{ready: make(chan struct{}, 1), poke: make(chan struct{}, 1)}
				s := &selector{clauses: []Clause{OnReceive(New[int](0), nil), OnGoReceive(g, nil)}, ngo: 1, timeout: -1}
				h := s.newHybridWait(nil, w, nil)
				w.claim(1) // a counterpart completed clause 0
				w.signal()
				o := h.wait(w, -1)
				if len(w.ready) != 0 {
					t.Fatal("the counterpart's signal was left in ready")
				}
				switch {
				case o.goFired && !tt.closed && o.fired == 1 && o.goVal.Int() == 5:
					sawGo = true
				case !o.goFired && o.fired == 0:
					sawClause = true
				default:
					t.Fatalf("outcome %+v", o)
				}
			}
			if !sawClause || !tt.closed && !sawGo {
				t.Fatalf("orders covered: Go channel %v, clause %v", sawGo, sawClause)
			}
		})
	}
}

// TestProvisionalValue checks the accounting of a value handed to a Select
// with Go channel clauses: until the Select settles, a closed channel is not
// drained; a value put back is received next, before later values.
func TestProvisionalValue(t *testing.T) {
	for _, putBack := range []bool{false, true} {
		c := New[int](1)
		w := &waiter{ready: make(chan struct{}, 1), poke: make(chan struct{}, 1)}
		cl := OnReceive(c, nil)
		c.mu.Lock()
		r, _ := cl.register(w, 0, true)
		c.mu.Unlock()
		if ok, err := c.TrySend(7); !ok || err != nil {
			t.Fatalf("TrySend = %v, %v", ok, err)
		}
		<-w.ready
		if ok, _ := c.TrySend(8); !ok {
			t.Fatal("TrySend(8) found no room")
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if v, ok, err := c.TryReceive(); v != 8 || !ok || err != nil {
			t.Fatalf("TryReceive = %d, %v, %v; want 8", v, ok, err)
		}
		// 7 is in flight: the channel is closed but not drained.
		if _, ok, err := c.TryReceive(); ok || err != nil {
			t.Fatalf("TryReceive with a value in flight = %v, %v; want false, nil", ok, err)
		}
		if err := c.Err(); err != nil {
			t.Fatalf("Err() with a value in flight = %v", err)
		}
		got := make(chan error, 1)
		go func() {
			v, err := c.Receive(context.Background())
			if putBack && v != 7 {
				t.Errorf("Receive after put-back = %d", v)
			}
			got <- err
		}()
		for {
			c.mu.Lock()
			waiting := c.recvq.head != nil
			c.mu.Unlock()
			if waiting {
				break
			}
			<-chanYield()
		}
		c.mu.Lock()
		r.settleLocked(putBack)
		c.mu.Unlock()
		r.release()
		err := <-got
		if putBack && err != nil || !putBack && err != ErrClosed {
			t.Fatalf("putBack %v: blocked Receive returned %v", putBack, err)
		}
		if err := c.Err(); err != ErrClosed {
			t.Fatalf("Err() at the end = %v", err)
		}
	}
}

// chanYield lets other goroutines run: a receive from a channel that a new
// goroutine closes.
func chanYield() <-chan struct{} {
	c := make(chan struct{})
	go close(c)
	return c
}
