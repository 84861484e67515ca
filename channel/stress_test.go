package channel_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corral-go/corral/channel"
)

// ledger records what producers had accepted and what consumers received,
// and checks that nothing was lost or duplicated.
type ledger struct {
	mu       sync.Mutex
	accepted map[int64]bool
	received map[int64]int
}

func newLedger() *ledger {
	return &ledger{accepted: map[int64]bool{}, received: map[int64]int{}}
}

func (l *ledger) accept(v int64) {
	l.mu.Lock()
	l.accepted[v] = true
	l.mu.Unlock()
}

func (l *ledger) receive(vs []int64) {
	l.mu.Lock()
	for _, v := range vs {
		l.received[v]++
	}
	l.mu.Unlock()
}

// check verifies that every received value was accepted and received once,
// and, unless the channel may have dropped values (failed), that every
// accepted value was received.
func (l *ledger) check(t *testing.T, mayDrop bool) {
	t.Helper()
	for v, n := range l.received {
		if n != 1 {
			t.Fatalf("value %x received %d times", v, n)
		}
		if !l.accepted[v] {
			t.Fatalf("value %x received but its Send did not return nil", v)
		}
	}
	if !mayDrop {
		for v := range l.accepted {
			if l.received[v] != 1 {
				t.Fatalf("value %x accepted but never received (%d accepted, %d received)", v, len(l.accepted), len(l.received))
			}
		}
	}
}

// send sends v on c in one of several ways, chosen by k. It reports whether
// the value was accepted and whether the channel has ended.
func send(ctx context.Context, c *channel.Chan[int64], v int64, k int) (ok, ended bool) {
	switch k % 5 {
	case 0:
		err := c.Send(ctx, v)
		return err == nil, err != nil
	case 1: // TrySend, falling back to Send
		ok, err := c.TrySend(v)
		if err != nil {
			return false, true
		}
		if ok {
			return true, false
		}
		err = c.Send(ctx, v)
		return err == nil, err != nil
	case 2:
		i, err := channel.Select(ctx, channel.OnSend(c, v, nil), channel.OnReceive(channel.New[int64](0), nil))
		return i == 0 && err == nil, err != nil
	case 3: // a Select that waits with a timer
		i, err := channel.Select(ctx, channel.OnSend(c, v, nil), channel.OnTimeout(time.Hour, nil))
		return i == 0 && err == nil, err != nil
	default: // a context that ends while the send may be waiting
		sctx, cancel := context.WithCancel(ctx)
		go cancel()
		err := c.Send(sctx, v)
		cancel()
		if errors.Is(err, context.Canceled) {
			return false, false
		}
		return err == nil, err != nil
	}
}

// receive receives one value from c in one of several ways, chosen by k.
func receive(ctx context.Context, c *channel.Chan[int64], k int) (v int64, ok bool, err error) {
	switch k % 4 {
	case 0:
		v, err = c.Receive(ctx)
		return v, err == nil, err
	case 1:
		v, ok, err = c.TryReceive()
		if !ok && err == nil {
			runtime.Gosched()
		}
		return v, ok, err
	case 2:
		i, err := channel.Select(ctx, channel.OnReceive(c, func(x int64) { v = x }), channel.OnReceive(channel.New[int64](0), nil))
		return v, i == 0 && err == nil, err
	default: // a Select that waits with a timer
		i, err := channel.Select(ctx, channel.OnReceive(c, func(x int64) { v = x }), channel.OnTimeout(time.Hour, nil))
		return v, i == 0 && err == nil, err
	}
}

// TestStress runs producers and consumers on one channel with every kind of
// operation and ends it in several ways, for every capacity.
func TestStress(t *testing.T) {
	const producers, consumers = 4, 4
	perProducer := 4000
	if testing.Short() {
		perProducer = 300
	}
	for _, tc := range []struct {
		name     string
		capacity int
	}{{"rendezvous", 0}, {"buffered1", 1}, {"buffered64", 64}, {"unlimited", channel.Unlimited}} {
		for _, end := range []string{"close-after", "close-middle", "fail-middle"} {
			t.Run(tc.name+"/"+end, func(t *testing.T) {
				ctx := context.Background()
				c := channel.New[int64](tc.capacity)
				l := newLedger()
				var total atomic.Int64
				half := make(chan struct{})
				var halfOnce sync.Once
				var prod, cons sync.WaitGroup
				for p := range producers {
					prod.Go(func() {
						for j := range perProducer {
							v := int64(p)<<32 | int64(j)
							ok, ended := send(ctx, c, v, j+p)
							if ok {
								l.accept(v)
							}
							if ended {
								return
							}
						}
					})
				}
				for k := range consumers {
					cons.Go(func() {
						var got []int64
						for i := 0; ; i++ {
							v, ok, err := receive(ctx, c, i+k)
							if err != nil {
								if err != channel.ErrClosed && !errors.Is(err, errBoom) {
									t.Errorf("receive: %v", err)
								}
								break
							}
							if !ok {
								continue
							}
							got = append(got, v)
							if total.Add(1) == int64(producers*perProducer/2) {
								halfOnce.Do(func() { close(half) })
							}
						}
						l.receive(got)
					})
				}
				switch end {
				case "close-after":
					prod.Wait()
					if err := c.Close(); err != nil {
						t.Fatal(err)
					}
				case "close-middle", "fail-middle":
					<-half
					var err error
					if end == "close-middle" {
						err = c.Close()
					} else {
						err = c.Fail(errBoom)
					}
					if err != nil {
						t.Fatal(err)
					}
					prod.Wait()
				}
				cons.Wait()
				l.check(t, end == "fail-middle")
				if end == "close-after" && len(l.accepted) < producers*perProducer*3/4 {
					// Only sends whose context was cancelled may fail.
					t.Fatalf("only %d of %d values accepted", len(l.accepted), producers*perProducer)
				}
			})
		}
	}
}

// TestStressSelect runs producers and consumers that all Select over two
// channels at once, so that Select's registration and hand-offs between
// Selects race, and checks that nothing is lost or duplicated and that each
// consumer gets each producer's values on each channel in order.
func TestStressSelect(t *testing.T) {
	perProducer := 1500
	if testing.Short() {
		perProducer = 200
	}
	for _, capacity := range []int{0, 1, 16, channel.Unlimited} {
		t.Run(fmt.Sprint(capacity), func(t *testing.T) {
			ctx := context.Background()
			a, b := channel.New[int64](capacity), channel.New[int64](capacity)
			l := newLedger()
			var prod, cons sync.WaitGroup
			for p := range 4 {
				prod.Go(func() {
					for j := range perProducer {
						// The channel's bit is set by the clause that fires.
						v := int64(p)<<32 | int64(j)<<1
						i, err := channel.Select(ctx, channel.OnSend(a, v, nil), channel.OnSend(b, v|1, nil))
						if err != nil {
							t.Errorf("Select: %v", err)
							return
						}
						l.accept(v | int64(i))
					}
				})
			}
			for range 3 {
				cons.Go(func() {
					var got []int64
					add := func(v int64) { got = append(got, v) }
					clauses := []channel.Clause{channel.OnReceive(a, add), channel.OnReceive(b, add)}
					for clauses[0] != nil || clauses[1] != nil {
						i, err := channel.Select(ctx, clauses...)
						if err != nil {
							if err != channel.ErrClosed {
								t.Errorf("Select: %v", err)
							}
							clauses[i] = nil
						}
					}
					last := map[int64]int64{} // by producer and channel
					for _, v := range got {
						key := v>>32<<1 | v&1
						if p, ok := last[key]; ok && v <= p {
							t.Errorf("received %x after %x", v, p)
						}
						last[key] = v
					}
					l.receive(got)
				})
			}
			prod.Wait()
			_ = a.Close()
			_ = b.Close()
			cons.Wait()
			l.check(t, false)
			if n := len(l.received); n != 4*perProducer {
				t.Fatalf("received %d values, want %d", n, 4*perProducer)
			}
		})
	}
}
