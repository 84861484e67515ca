package channel_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/channel"
)

func TestSelectReadyClauseFires(t *testing.T) {
	ctx := context.Background()
	a, b := channel.New[int](1), channel.New[string](1)
	_, _ = b.TrySend("x")
	var got string
	i, err := channel.Select(ctx,
		channel.OnReceive(a, func(int) { t.Error("empty channel fired") }),
		channel.OnReceive(b, func(v string) { got = v }),
	)
	if i != 1 || err != nil || got != "x" {
		t.Fatalf("Select = %d, %v, got %q; want 1, nil, x", i, err, got)
	}
	sent := false
	i, err = channel.Select(ctx, channel.OnSend(b, "y", func() { sent = true }), channel.OnReceive(a, nil))
	if i != 0 || err != nil || !sent {
		t.Fatalf("Select = %d, %v, sent %v; want 0, nil, true", i, err, sent)
	}
	if v, _, _ := b.TryReceive(); v != "y" {
		t.Fatalf("OnSend sent %q, want y", v)
	}
}

// TestSelectFair checks that Select picks uniformly among ready clauses.
func TestSelectFair(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{2, 3, 5} {
		chans := make([]*channel.Chan[int], n)
		clauses := make([]channel.Clause, n)
		for i := range chans {
			chans[i] = channel.New[int](channel.Unlimited)
			clauses[i] = channel.OnReceive(chans[i], nil)
		}
		const rounds = 600
		counts := make([]int, n)
		for range rounds * n {
			for _, c := range chans {
				for c.Len() < 2 {
					_, _ = c.TrySend(0)
				}
			}
			i, err := channel.Select(ctx, clauses...)
			if err != nil {
				t.Fatal(err)
			}
			counts[i]++
		}
		// Each count is binomial with mean rounds; 0.75*rounds is over six
		// standard deviations away.
		for i, got := range counts {
			if got < rounds*3/4 {
				t.Fatalf("%d clauses: clause %d chosen %d times of %d: %v", n, i, got, rounds*n, counts)
			}
		}
	}
}

func TestSelectReadyBeatsEnded(t *testing.T) {
	ctx := context.Background()
	closed, failed, ready := channel.New[int](0), channel.New[int](0), channel.New[int](channel.Unlimited)
	_ = closed.Close()
	_ = failed.Fail(errBoom)
	for range 200 {
		_, _ = ready.TrySend(1)
		i, err := channel.Select(ctx,
			channel.OnReceive(closed, nil),
			channel.OnSend(failed, 1, nil),
			channel.OnReceive(ready, nil),
			channel.Default(nil),
		)
		if i != 2 || err != nil {
			t.Fatalf("Select = %d, %v; want 2, nil", i, err)
		}
	}
}

func TestSelectEndedClause(t *testing.T) {
	ctx := context.Background()
	empty := channel.New[int](0)
	for _, tt := range []struct {
		name  string
		end   func(c *channel.Chan[int])
		check func(error) bool
	}{
		{"closed", func(c *channel.Chan[int]) { _ = c.Close() }, func(err error) bool { return err == channel.ErrClosed }},
		{"failed", func(c *channel.Chan[int]) { _ = c.Fail(errBoom) }, func(err error) bool {
			return errors.Is(err, channel.ErrFailed) && errors.Is(err, errBoom)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := channel.New[int](1)
			_, _ = c.TrySend(5)
			tt.end(c)
			fired := 0
			defaulted := false
			clauses := []channel.Clause{
				channel.OnReceive(empty, nil),
				channel.OnReceive(c, func(int) { fired++ }),
				channel.Default(func() { defaulted = true }),
			}
			i, err := channel.Select(ctx, clauses...)
			if tt.name == "closed" { // the buffered value comes first
				if i != 1 || err != nil || fired != 1 {
					t.Fatalf("Select = %d, %v (fired %d); want 1, nil", i, err, fired)
				}
				i, err = channel.Select(ctx, clauses...)
			}
			if i != 1 || !tt.check(err) {
				t.Fatalf("Select = %d, %v; want 1 and the channel's error", i, err)
			}
			if defaulted {
				t.Fatal("Default fired although a clause had ended")
			}
			// A loop drops the ended clause and goes on.
			clauses[1] = nil
			if i, err := channel.Select(ctx, clauses...); i != 2 || err != nil || !defaulted {
				t.Fatalf("Select without the ended clause = %d, %v; want the Default", i, err)
			}
			// OnSend on an ended channel reports it too, and sends nothing.
			if i, err := channel.Select(ctx, channel.OnReceive(empty, nil), channel.OnSend(c, 1, func() { t.Error("f ran") })); i != 1 || !tt.check(err) && err != channel.ErrClosed {
				t.Fatalf("OnSend on an ended channel: Select = %d, %v", i, err)
			}
		})
	}
}

func TestSelectDefault(t *testing.T) {
	ctx := context.Background()
	c := channel.New[int](1)
	ran := false
	if i, err := channel.Select(ctx, channel.OnReceive(c, nil), channel.Default(func() { ran = true })); i != 1 || err != nil || !ran {
		t.Fatalf("Select = %d, %v, default ran %v; want 1, nil, true", i, err, ran)
	}
	_, _ = c.TrySend(1)
	if i, _ := channel.Select(ctx, channel.Default(nil), channel.OnReceive(c, nil)); i != 1 {
		t.Fatalf("Select = %d with a ready clause, want 1", i)
	}
	mustPanic(t, "channel: Select called with 2 Default clauses; pass at most one", func() {
		_, _ = channel.Select(ctx, channel.Default(nil), channel.Default(nil))
	})
}

func TestClauseNilChannelPanics(t *testing.T) {
	mustPanic(t, "channel: OnReceive called with nil channel; pass a channel made by New, or a nil Clause to switch the clause off", func() { channel.OnReceive[int](nil, nil) })
	mustPanic(t, "channel: OnSend called with nil channel; pass a channel made by New, or a nil Clause to switch the clause off", func() { channel.OnSend[int](nil, 1, nil) })
}

func TestSelectContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := channel.New[int](1)
	_, _ = c.TrySend(1)
	if i, err := channel.Select(ctx, channel.OnReceive(c, nil)); i != -1 || err != context.Canceled {
		t.Fatalf("Select with a cancelled context = %d, %v; want -1, context.Canceled", i, err)
	}
	if c.Len() != 1 {
		t.Fatal("Select with a cancelled context took a value")
	}
	synctest.Test(t, func(t *testing.T) {
		a, b := channel.New[int](0), channel.New[int](0)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			if i, err := channel.Select(ctx, channel.OnReceive(a, nil), channel.OnSend(b, 1, nil)); i != -1 || err != context.Canceled {
				t.Errorf("Select = %d, %v; want -1, context.Canceled", i, err)
			}
		}()
		synctest.Wait()
		cancel()
		<-done
		// The Select left nothing behind in either channel.
		if ok, _ := a.TrySend(1); ok {
			t.Error("a cancelled Select still received")
		}
		if _, ok, _ := b.TryReceive(); ok {
			t.Error("a cancelled Select still sent")
		}
	})
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		if i, err := channel.Select(ctx); i != -1 || err != context.DeadlineExceeded {
			t.Fatalf("Select() = %d, %v; want -1, context.DeadlineExceeded", i, err)
		}
	})
}

// TestSelectWaits checks a blocked Select: the clause that becomes ready
// fires, and the other clauses leave nothing behind.
func TestSelectWaits(t *testing.T) {
	for _, tc := range capacities {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx := t.Context()
				a, b := channel.New[int](tc.capacity), channel.New[int](0)
				out := channel.New[int](0)
				got := make(chan int, 1)
				idx := make(chan int, 1)
				go func() {
					i, err := channel.Select(ctx,
						channel.OnReceive(a, func(v int) { got <- v }),
						channel.OnReceive(b, func(v int) { got <- -v }),
						channel.OnSend(out, 7, func() { got <- 0 }),
					)
					if err != nil {
						t.Error(err)
					}
					idx <- i
				}()
				synctest.Wait()
				if err := a.Send(ctx, 3); err != nil {
					t.Fatal(err)
				}
				if i, v := <-idx, <-got; i != 0 || v != 3 {
					t.Fatalf("Select fired %d with %d; want 0 with 3", i, v)
				}
				if ok, _ := b.TrySend(1); ok {
					t.Fatal("the Select's receive on b was still queued")
				}
				if _, ok, _ := out.TryReceive(); ok {
					t.Fatal("the Select's send on out was still queued")
				}
			})
		})
	}
}

func TestSelectSendWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		c := channel.New[int](0)
		idx := make(chan int, 1)
		go func() {
			i, _ := channel.Select(ctx, channel.OnReceive(channel.New[int](0), nil), channel.OnSend(c, 9, nil))
			idx <- i
		}()
		synctest.Wait()
		if v, err := c.Receive(ctx); v != 9 || err != nil {
			t.Fatalf("Receive() = %d, %v; want 9, nil", v, err)
		}
		if i := <-idx; i != 1 {
			t.Fatalf("Select = %d, want 1", i)
		}
	})
}

// TestSelectPairs checks that two Selects waiting on both ends of a
// rendezvous channel meet, and that a Select does not meet itself.
func TestSelectPairs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		c, otherA, otherB := channel.New[int](0), channel.New[int](0), channel.New[int](0)
		res := make(chan [2]int, 2)
		go func() {
			got := 0
			i, _ := channel.Select(ctx, channel.OnReceive(otherA, nil), channel.OnReceive(c, func(v int) { got = v }))
			res <- [2]int{i, got}
		}()
		synctest.Wait()
		go func() {
			i, _ := channel.Select(ctx, channel.OnSend(otherB, 0, nil), channel.OnSend(c, 5, nil))
			res <- [2]int{i, -1}
		}()
		a, b := <-res, <-res
		if a[0] != 1 || b[0] != 1 || max(a[1], b[1]) != 5 {
			t.Fatalf("Selects returned %v and %v", a, b)
		}

		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		i, err := channel.Select(ctx, channel.OnSend(c, 1, nil), channel.OnReceive(c, nil))
		if i != -1 || err != context.DeadlineExceeded {
			t.Fatalf("Select on both ends of one channel = %d, %v; want to wait until the deadline", i, err)
		}
	})
}

func TestSelectEndWakes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		a, b := channel.New[int](0), channel.New[int](0)
		res := make(chan error, 1)
		go func() {
			i, err := channel.Select(ctx, channel.OnReceive(a, nil), channel.OnSend(b, 1, nil))
			if i != 1 {
				t.Errorf("Select = %d, want 1", i)
			}
			res <- err
		}()
		synctest.Wait()
		_ = b.Fail(errBoom)
		checkFailure(t, "Select", <-res, errBoom)
	})
}

func TestSelectTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		c := channel.New[int](0)
		start := time.Now()
		fired := false
		i, err := channel.Select(ctx,
			channel.OnReceive(c, nil),
			channel.OnTimeout(time.Hour, nil),
			channel.OnTimeout(time.Second, func() { fired = true }),
		)
		if i != 2 || err != nil || !fired {
			t.Fatalf("Select = %d, %v, fired %v; want 2, nil, true", i, err, fired)
		}
		if d := time.Since(start); d != time.Second {
			t.Fatalf("timeout after %v, want 1s", d)
		}
		if ok, _ := c.TrySend(1); ok {
			t.Fatal("the timed-out Select was still receiving")
		}

		// A value that arrives first wins.
		go func() {
			time.Sleep(time.Millisecond) // fake time: part of the scenario, not synchronisation
			_ = c.Send(ctx, 4)
		}()
		if i, err := channel.Select(ctx, channel.OnReceive(c, nil), channel.OnTimeout(time.Second, nil)); i != 0 || err != nil {
			t.Fatalf("Select = %d, %v; want 0, nil", i, err)
		}

		// A timeout of zero fires at once when nothing else can.
		if i, _ := channel.Select(ctx, channel.OnReceive(c, nil), channel.OnTimeout(0, nil)); i != 1 {
			t.Fatalf("Select = %d, want 1", i)
		}
		if time.Since(start) != time.Second+time.Millisecond {
			t.Fatal("OnTimeout(0) waited")
		}
		// Only timeouts.
		if i, _ := channel.Select(ctx, channel.OnTimeout(time.Minute, nil)); i != 0 || time.Since(start) != time.Minute+time.Second+time.Millisecond {
			t.Fatalf("Select = %d after %v", i, time.Since(start))
		}
	})
}
