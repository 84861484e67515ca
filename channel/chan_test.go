package channel_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/channel"
)

func TestNewCapacity(t *testing.T) {
	for _, tt := range []struct {
		give      int
		wantPanic string
	}{
		{give: -2, wantPanic: "channel: New called with capacity -2; pass 0 (rendezvous), n > 0 (buffered) or Unlimited"},
		{give: -100, wantPanic: "channel: New called with capacity -100; pass 0 (rendezvous), n > 0 (buffered) or Unlimited"},
		{give: channel.Unlimited},
		{give: 0},
		{give: 5},
		{give: 1 << 40}, // allocated as values arrive, not at once
	} {
		t.Run(fmt.Sprint(tt.give), func(t *testing.T) {
			if tt.wantPanic != "" {
				mustPanic(t, tt.wantPanic, func() { channel.New[int](tt.give) })
				return
			}
			c := channel.New[int](tt.give)
			if got := c.Cap(); got != tt.give {
				t.Errorf("Cap() = %d, want %d", got, tt.give)
			}
		})
	}
}

func TestBufferedFIFO(t *testing.T) {
	c := channel.New[int](3)
	for i := range 3 {
		if ok, err := c.TrySend(i); !ok || err != nil {
			t.Fatalf("TrySend(%d) = %v, %v; want true, nil", i, ok, err)
		}
	}
	if ok, err := c.TrySend(3); ok || err != nil {
		t.Fatalf("TrySend on a full channel = %v, %v; want false, nil", ok, err)
	}
	if got := c.Len(); got != 3 {
		t.Fatalf("Len() = %d, want 3", got)
	}
	for i := range 3 {
		v, ok, err := c.TryReceive()
		if !ok || err != nil || v != i {
			t.Fatalf("TryReceive() = %d, %v, %v; want %d, true, nil", v, ok, err, i)
		}
	}
	if _, ok, err := c.TryReceive(); ok || err != nil {
		t.Fatalf("TryReceive on an empty channel = %v, %v; want false, nil", ok, err)
	}
}

func TestRendezvousNeedsBothSides(t *testing.T) {
	c := channel.New[int](0)
	if ok, err := c.TrySend(1); ok || err != nil {
		t.Fatalf("TrySend without a receiver = %v, %v; want false, nil", ok, err)
	}
	if _, ok, err := c.TryReceive(); ok || err != nil {
		t.Fatalf("TryReceive without a sender = %v, %v; want false, nil", ok, err)
	}
	synctest.Test(t, func(t *testing.T) {
		c := channel.New[int](0)
		sent := make(chan error, 1)
		go func() { sent <- c.Send(t.Context(), 42) }()
		synctest.Wait()
		if len(sent) != 0 {
			t.Fatal("Send returned before any receiver took the value")
		}
		if v, ok, err := c.TryReceive(); v != 42 || !ok || err != nil {
			t.Fatalf("TryReceive() = %d, %v, %v; want 42, true, nil", v, ok, err)
		}
		if err := <-sent; err != nil {
			t.Fatalf("Send = %v, want nil", err)
		}
	})
}

func TestZeroChanIsRendezvous(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c channel.Chan[string]
		go func() {
			if err := c.Send(t.Context(), "hi"); err != nil {
				t.Error(err)
			}
		}()
		v, err := c.Receive(t.Context())
		if v != "hi" || err != nil {
			t.Fatalf("Receive() = %q, %v; want hi, nil", v, err)
		}
		if c.Cap() != 0 {
			t.Fatalf("Cap() = %d, want 0", c.Cap())
		}
	})
}

func TestCloseKeepsBufferedValues(t *testing.T) {
	ctx := context.Background()
	c := channel.New[int](4)
	for i := range 3 {
		if err := c.Send(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if err := c.Send(ctx, 9); err != channel.ErrClosed {
		t.Fatalf("Send after Close = %v, want ErrClosed", err)
	}
	if ok, err := c.TrySend(9); ok || err != channel.ErrClosed {
		t.Fatalf("TrySend after Close = %v, %v; want false, ErrClosed", ok, err)
	}
	for i := range 3 {
		if err := c.Err(); err != nil {
			t.Fatalf("Err() with %d values left = %v, want nil", 3-i, err)
		}
		if v, err := c.Receive(ctx); v != i || err != nil {
			t.Fatalf("Receive() = %d, %v; want %d, nil", v, err, i)
		}
	}
	if _, err := c.Receive(ctx); err != channel.ErrClosed {
		t.Fatalf("Receive on a drained closed channel = %v, want ErrClosed", err)
	}
	if _, ok, err := c.TryReceive(); ok || err != channel.ErrClosed {
		t.Fatalf("TryReceive on a drained closed channel = %v, %v; want false, ErrClosed", ok, err)
	}
	if err := c.Err(); err != channel.ErrClosed {
		t.Fatalf("Err() = %v, want ErrClosed", err)
	}
}

func TestFailDropsBufferedValues(t *testing.T) {
	for _, tc := range capacities {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c := channel.New[int](tc.capacity)
			_, _ = c.TrySend(1)
			if err := c.Fail(errBoom); err != nil {
				t.Fatalf("Fail() = %v", err)
			}
			_, err := c.Receive(ctx)
			checkFailure(t, "Receive", err, errBoom)
			checkFailure(t, "Send", c.Send(ctx, 2), errBoom)
			ok, err := c.TrySend(2)
			checkFailure(t, "TrySend", err, errBoom)
			_, ok2, err2 := c.TryReceive()
			checkFailure(t, "TryReceive", err2, errBoom)
			if ok || ok2 {
				t.Fatal("an operation succeeded on a failed channel")
			}
			checkFailure(t, "Err", c.Err(), errBoom)
			// The message is part of the contract (see ErrFailed).
			if got, want := c.Err().Error(), "channel: failed: boom"; got != want {
				t.Fatalf("Err().Error() = %q, want %q", got, want)
			}
			if c.Len() != 0 {
				t.Fatalf("Len() = %d after Fail, want 0", c.Len())
			}
		})
	}
}

func TestEndTwice(t *testing.T) {
	other := errors.New("other")
	for _, tt := range []struct {
		name       string
		first      func(c *channel.Chan[int]) error
		second     func(c *channel.Chan[int]) error
		wantSecond func(error) bool
		wantErr    func(error) bool // Err() after draining
	}{
		{
			name:       "close close",
			first:      (*channel.Chan[int]).Close,
			second:     (*channel.Chan[int]).Close,
			wantSecond: func(err error) bool { return err == channel.ErrClosed },
			wantErr:    func(err error) bool { return err == channel.ErrClosed },
		},
		{
			name:       "close fail",
			first:      (*channel.Chan[int]).Close,
			second:     func(c *channel.Chan[int]) error { return c.Fail(other) },
			wantSecond: func(err error) bool { return err == channel.ErrClosed },
			wantErr:    func(err error) bool { return err == channel.ErrClosed },
		},
		{
			name:       "fail close",
			first:      func(c *channel.Chan[int]) error { return c.Fail(errBoom) },
			second:     (*channel.Chan[int]).Close,
			wantSecond: func(err error) bool { return errors.Is(err, errBoom) },
			wantErr:    func(err error) bool { return errors.Is(err, errBoom) },
		},
		{
			name:       "fail fail",
			first:      func(c *channel.Chan[int]) error { return c.Fail(errBoom) },
			second:     func(c *channel.Chan[int]) error { return c.Fail(other) },
			wantSecond: func(err error) bool { return errors.Is(err, errBoom) && !errors.Is(err, other) },
			wantErr:    func(err error) bool { return errors.Is(err, errBoom) && !errors.Is(err, other) },
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := channel.New[int](2)
			_, _ = c.TrySend(7)
			if err := tt.first(c); err != nil {
				t.Fatalf("first = %v", err)
			}
			lenBefore := c.Len()
			if err := tt.second(c); !tt.wantSecond(err) {
				t.Fatalf("second = %v", err)
			}
			if c.Len() != lenBefore {
				t.Fatalf("second changed Len from %d to %d", lenBefore, c.Len())
			}
			if lenBefore == 1 { // closed: the value is still there
				if v, ok, _ := c.TryReceive(); !ok || v != 7 {
					t.Fatalf("TryReceive() = %d, %v; want 7, true", v, ok)
				}
			}
			if err := c.Err(); !tt.wantErr(err) {
				t.Fatalf("Err() = %v", err)
			}
		})
	}
}

func TestFailNilPanics(t *testing.T) {
	c := channel.New[int](0)
	mustPanic(t, "channel: Fail called with nil cause; pass the error that ends the channel, or call Close", func() { _ = c.Fail(nil) })
	if err := c.Err(); err != nil {
		t.Fatalf("Err() = %v after a panicking Fail, want nil", err)
	}
}

// TestEndWakesBlocked checks that Close and Fail wake every blocked sender
// and receiver, and what each is told.
func TestEndWakesBlocked(t *testing.T) {
	for _, tc := range capacities {
		for _, end := range []string{"close", "fail"} {
			t.Run(tc.name+"/"+end, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					ctx := t.Context()
					empty := channel.New[int](tc.capacity)
					full := channel.New[int](tc.capacity)
					for full.Cap() > 0 {
						if ok, _ := full.TrySend(0); !ok {
							break
						}
					}
					results := make(chan error, 6)
					for range 3 {
						go func() {
							_, err := empty.Receive(ctx)
							results <- err
						}()
						if tc.capacity != channel.Unlimited {
							go func() { results <- full.Send(ctx, 1) }()
						}
					}
					synctest.Wait()
					if len(results) != 0 {
						t.Fatalf("%d operations returned before the end", len(results))
					}
					for _, c := range []*channel.Chan[int]{empty, full} {
						var err error
						if end == "close" {
							err = c.Close()
						} else {
							err = c.Fail(errBoom)
						}
						if err != nil {
							t.Fatal(err)
						}
					}
					n := 6
					if tc.capacity == channel.Unlimited {
						n = 3
					}
					for range n {
						err := <-results
						if end == "close" && err != channel.ErrClosed {
							t.Fatalf("woke with %v, want ErrClosed", err)
						}
						if end == "fail" {
							checkFailure(t, "woke with", err, errBoom)
						}
					}
				})
			})
		}
	}
}

// TestCancelWakesBlocked checks that a blocked operation returns ctx.Err()
// when its context ends, and that it then leaves the channel as it was.
func TestCancelWakesBlocked(t *testing.T) {
	for _, tc := range capacities {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := channel.New[int](tc.capacity)
				ctx, cancel := context.WithCancel(t.Context())
				recvErr := make(chan error, 1)
				go func() {
					_, err := c.Receive(ctx)
					recvErr <- err
				}()
				synctest.Wait()
				cancel()
				if err := <-recvErr; err != context.Canceled {
					t.Fatalf("Receive = %v, want context.Canceled", err)
				}
				// The cancelled receiver must not take a later value.
				if tc.capacity == 0 {
					if ok, _ := c.TrySend(1); ok {
						t.Fatal("TrySend found the cancelled receiver")
					}
				}
				if tc.capacity == channel.Unlimited {
					return // sends never block
				}
				for c.Cap() > 0 {
					if ok, _ := c.TrySend(0); !ok {
						break
					}
				}
				before := c.Len()
				ctx, cancel = context.WithCancel(t.Context())
				sendErr := make(chan error, 1)
				go func() { sendErr <- c.Send(ctx, 99) }()
				synctest.Wait()
				cancel()
				if err := <-sendErr; err != context.Canceled {
					t.Fatalf("Send = %v, want context.Canceled", err)
				}
				if c.Len() != before {
					t.Fatalf("Len() = %d after a cancelled Send, want %d", c.Len(), before)
				}
				for {
					v, ok, _ := c.TryReceive()
					if !ok {
						break
					}
					if v == 99 {
						t.Fatal("the value of a cancelled Send was received")
					}
				}
			})
		})
	}
}

func TestCancelledContextOnCall(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := channel.New[int](1)
	if err := c.Send(ctx, 1); err != context.Canceled {
		t.Fatalf("Send = %v, want context.Canceled", err)
	}
	if c.Len() != 0 {
		t.Fatal("Send with a cancelled context sent its value")
	}
	_, _ = c.TrySend(1)
	if _, err := c.Receive(ctx); err != context.Canceled {
		t.Fatalf("Receive = %v, want context.Canceled", err)
	}
	if c.Len() != 1 {
		t.Fatal("Receive with a cancelled context took a value")
	}
}

// TestHandOffRaces races a blocked Send against a Receive and against the
// end of the Send's context, Close or Fail. Whatever wins, the value is
// delivered if and only if Send returned nil (after Fail, possibly not at
// all), and never twice.
func TestHandOffRaces(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 300
	}
	for _, tc := range capacities[:2] {
		for _, race := range []string{"cancel", "close", "fail"} {
			t.Run(tc.name+"/"+race, func(t *testing.T) {
				for i := range n {
					c := channel.New[int](tc.capacity)
					if tc.capacity > 0 {
						_, _ = c.TrySend(-1) // full: the next Send waits
					}
					sctx, scancel := context.WithCancel(context.Background())
					rctx, rcancel := context.WithCancel(context.Background())
					sent := make(chan error, 1)
					go func() { sent <- c.Send(sctx, i) }()
					received := make(chan []int, 1)
					go func() {
						var got []int
						for {
							v, err := c.Receive(rctx)
							if err != nil {
								received <- got
								return
							}
							got = append(got, v)
						}
					}()
					switch race {
					case "cancel":
						scancel()
					case "close":
						_ = c.Close()
					case "fail":
						_ = c.Fail(errBoom)
					}
					sendErr := <-sent
					rcancel()
					got := <-received
					for {
						v, ok, _ := c.TryReceive()
						if !ok {
							break
						}
						got = append(got, v)
					}
					scancel()
					delivered := 0
					for _, v := range got {
						if v == i {
							delivered++
						}
					}
					switch {
					case delivered > 1:
						t.Fatalf("value received %d times", delivered)
					case sendErr == nil && delivered == 0 && race != "fail":
						t.Fatal("Send returned nil but the value was not received")
					case sendErr != nil && delivered == 1:
						t.Fatalf("Send returned %v but the value was received", sendErr)
					}
				}
			})
		}
	}
}

func TestUnlimitedGrowsAndShrinks(t *testing.T) {
	ctx := context.Background()
	c := channel.New[int](channel.Unlimited)
	const n = 5000
	for round := range 2 {
		for i := range n {
			if ok, err := c.TrySend(i); !ok || err != nil {
				t.Fatalf("TrySend(%d) = %v, %v", i, ok, err)
			}
		}
		if c.Len() != n {
			t.Fatalf("round %d: Len() = %d, want %d", round, c.Len(), n)
		}
		for i := range n {
			if v, err := c.Receive(ctx); v != i || err != nil {
				t.Fatalf("round %d: Receive() = %d, %v; want %d", round, v, err, i)
			}
		}
	}
}

func TestAll(t *testing.T) {
	ctx := context.Background()
	t.Run("done", func(t *testing.T) {
		c := channel.New[int](channel.Unlimited)
		for i := range 5 {
			_ = c.Send(ctx, i)
		}
		_ = c.Close()
		var got []int
		for v, err := range c.All(ctx) {
			if err != nil {
				t.Fatalf("All yielded %v", err)
			}
			got = append(got, v)
		}
		if fmt.Sprint(got) != "[0 1 2 3 4]" {
			t.Fatalf("All yielded %v", got)
		}
	})
	t.Run("break and resume", func(t *testing.T) {
		c := channel.New[int](channel.Unlimited)
		for i := range 5 {
			_ = c.Send(ctx, i)
		}
		_ = c.Close()
		var got []int
		for v := range c.All(ctx) {
			got = append(got, v)
			if v == 1 {
				break
			}
		}
		for v := range c.All(ctx) {
			got = append(got, v)
		}
		if fmt.Sprint(got) != "[0 1 2 3 4]" {
			t.Fatalf("All yielded %v", got)
		}
	})
	t.Run("failed", func(t *testing.T) {
		c := channel.New[int](0)
		_ = c.Fail(errBoom)
		n := 0
		for _, err := range c.All(ctx) {
			n++
			checkFailure(t, "All", err, errBoom)
		}
		if n != 1 {
			t.Fatalf("All yielded %d times, want 1", n)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c := channel.New[int](1)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			_ = c.Send(ctx, 1)
			type step struct {
				v   int
				err error
			}
			var got []step
			for v, err := range c.All(ctx) {
				got = append(got, step{v, err})
				if err == nil {
					go cancel() // All is blocked in Receive when this runs
				}
			}
			if want := []step{{1, nil}, {0, context.Canceled}}; !slices.Equal(got, want) {
				t.Fatalf("All yielded %v, want %v", got, want)
			}
		})
	})
}

// TestNilContextPanics checks that every function that takes a ctx panics
// at once, naming itself, when given a nil one, rather than crashing with a
// nil dereference (or, for All, only once the loop runs).
func TestNilContextPanics(t *testing.T) {
	c := channel.New[int](1)
	var nilCtx context.Context
	for _, tt := range []struct {
		name string
		call func()
	}{
		{"Send", func() { _ = c.Send(nilCtx, 1) }},
		{"Receive", func() { _, _ = c.Receive(nilCtx) }},
		{"All", func() { _ = c.All(nilCtx) }},
		{"Select", func() { _, _ = channel.Select(nilCtx, channel.Default(nil)) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mustPanic(t, "channel: "+tt.name+" called with nil ctx; pass context.Background() or the caller's context", tt.call)
		})
	}
	if c.Len() != 0 {
		t.Fatal("Send with a nil ctx sent its value")
	}
}
