package channel_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/channel"
)

// model is the reference a channel is checked against when one goroutine
// drives it: a FIFO and a state.
type model struct {
	capacity int
	buf      []int
	state    string // "open", "done", "failed"
}

func (m *model) room() bool {
	return m.capacity == channel.Unlimited || len(m.buf) < m.capacity
}

// recvErr is what a receive must report once nothing is buffered.
func (m *model) recvErr() error {
	switch m.state {
	case "done":
		return channel.ErrClosed
	case "failed":
		return errBoom
	}
	return nil
}

func sameErr(got, want error) bool {
	if want == nil || got == nil {
		return got == want
	}
	if want == errBoom {
		return errors.Is(got, channel.ErrFailed) && errors.Is(got, errBoom)
	}
	return got == want
}

var fuzzCapacities = []int{0, 1, 2, 3, 8, channel.Unlimited}

// FuzzChan drives a channel with the operations encoded in data. First one
// goroutine runs them and every result is compared with a model; then
// several goroutines run them at once on a fresh channel, and what was
// delivered is checked against what was accepted: nothing lost unless the
// channel failed, nothing received twice, nothing received that was not
// sent, each sender's values in order for each receiver, and never more
// values buffered than the capacity.
//
// Run it with: go test -fuzz FuzzChan ./channel/
func FuzzChan(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 0, 2, 3, 4, 5, 6, 7})
	f.Add([]byte{1, 0, 0, 0, 1, 1, 9, 1, 0, 3, 10, 11, 12})
	f.Add([]byte{2, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{3, 0, 5, 5, 0, 1, 2, 6, 6, 6, 13, 8})
	f.Add([]byte{4, 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 0, 1, 2, 3, 4, 5, 9})
	f.Add([]byte{5, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 8})
	f.Add([]byte{0, 12, 12, 10, 10, 3, 0, 11, 4, 13, 2, 5, 1, 6, 7})
	f.Add([]byte{1, 9, 0, 1, 3, 4, 8, 0, 4, 10, 12})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		capacity := fuzzCapacities[int(data[0])%len(fuzzCapacities)]
		ops := data[1:]
		if len(ops) > 200 {
			ops = ops[:200]
		}
		checkSequential(t, capacity, ops)
		synctest.Test(t, func(t *testing.T) { checkConcurrent(t, capacity, ops) })
	})
}

func checkSequential(t *testing.T, capacity int, ops []byte) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	c := channel.New[int](capacity)
	m := &model{capacity: capacity, state: "open"}
	next := 0
	for step, op := range ops {
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("step %d (op %d, model %v %v): %s", step, op%14, m.state, m.buf, fmt.Sprintf(format, args...))
		}
		// What a send and a receive must do now, according to the model.
		sendOK := m.state == "open" && m.room()
		var sendErr error
		if m.state != "open" {
			sendErr = m.recvErrOnEnd()
		}
		recvOK := m.state != "failed" && len(m.buf) > 0
		var recvErr error
		if !recvOK {
			recvErr = m.recvErr()
		}
		switch op % 14 {
		case 0, 1: // TrySend
			ok, err := c.TrySend(next)
			if ok != sendOK || !sameErr(err, sendErr) {
				fail("TrySend = %v, %v; want %v, %v", ok, err, sendOK, sendErr)
			}
		case 2: // TryReceive
			v, ok, err := c.TryReceive()
			if ok != recvOK || !sameErr(err, recvErr) || ok && v != m.buf[0] {
				fail("TryReceive = %d, %v, %v; want %v, %v", v, ok, err, recvOK, recvErr)
			}
		case 3: // Send, when it cannot block
			if !sendOK && m.state == "open" {
				continue
			}
			if err := c.Send(ctx, next); !sameErr(err, sendErr) {
				fail("Send = %v; want %v", err, sendErr)
			}
		case 4: // Receive, when it cannot block
			if !recvOK && recvErr == nil {
				continue
			}
			v, err := c.Receive(ctx)
			if !sameErr(err, recvErr) || recvOK && v != m.buf[0] {
				fail("Receive = %d, %v; want %v", v, err, recvErr)
			}
		case 5: // Select receive with Default
			var v int
			i, err := channel.Select(ctx, channel.OnReceive(c, func(x int) { v = x }), channel.Default(nil))
			want := 1
			if recvOK || recvErr != nil {
				want = 0
			}
			if i != want || !sameErr(err, recvErr) || recvOK && v != m.buf[0] {
				fail("Select(OnReceive, Default) = %d, %d, %v; want %d, %v", i, v, err, want, recvErr)
			}
		case 6: // Select send with Default
			i, err := channel.Select(ctx, channel.Default(nil), channel.OnSend(c, next, nil))
			want := 0
			if sendOK || sendErr != nil {
				want = 1
			}
			if i != want || !sameErr(err, sendErr) {
				fail("Select(Default, OnSend) = %d, %v; want %d, %v", i, err, want, sendErr)
			}
		case 7: // operations with a cancelled context change nothing
			if err := c.Send(cancelled, next); err != context.Canceled {
				fail("Send(cancelled) = %v", err)
			}
			if _, err := c.Receive(cancelled); err != context.Canceled {
				fail("Receive(cancelled) = %v", err)
			}
			continue
		case 8: // Close
			want := error(nil)
			if m.state != "open" {
				want = m.recvErrOnEnd()
			}
			if err := c.Close(); !sameErr(err, want) {
				fail("Close = %v; want %v", err, want)
			}
			if m.state == "open" {
				m.state = "done"
			}
			continue
		case 9: // Fail
			want := error(nil)
			if m.state != "open" {
				want = m.recvErrOnEnd()
			}
			if err := c.Fail(errBoom); !sameErr(err, want) {
				fail("Fail = %v; want %v", err, want)
			}
			if m.state == "open" {
				m.state, m.buf = "failed", nil
			}
			continue
		default: // Err and Len
			var want error
			if m.state == "failed" || len(m.buf) == 0 {
				want = m.recvErr()
			}
			if err := c.Err(); !sameErr(err, want) {
				fail("Err = %v; want %v", err, want)
			}
			if c.Len() != len(m.buf) {
				fail("Len = %d", c.Len())
			}
			continue
		}
		// Apply the send or receive the op performed to the model.
		switch op % 14 {
		case 0, 1, 3, 6:
			if sendOK {
				m.buf = append(m.buf, next)
				next++
			}
		case 2, 4, 5:
			if recvOK {
				m.buf = m.buf[1:]
			}
		}
	}
}

// recvErrOnEnd is the error of an operation on an ended channel.
func (m *model) recvErrOnEnd() error {
	if m.state == "failed" {
		return errBoom
	}
	return channel.ErrClosed
}

// checkConcurrent runs ops split among three goroutines on one channel, in
// a synctest bubble so that the test can tell when every goroutine is
// blocked, then ends the channel and checks what was delivered.
func checkConcurrent(t *testing.T, capacity int, ops []byte) {
	ctx := t.Context()
	c := channel.New[int](capacity)
	const workers = 3
	var (
		mu       sync.Mutex
		accepted = map[int]bool{}
		received = map[int]int{}
		failed   bool
	)
	var wg sync.WaitGroup
	for w := range workers {
		var script []byte
		for i := w; i < len(ops); i += workers {
			script = append(script, ops[i])
		}
		wg.Go(func() {
			var got []int // in order, for the FIFO check
			accept := func(v int) {
				mu.Lock()
				accepted[v] = true
				mu.Unlock()
			}
			for j, op := range script {
				v := w<<16 | j
				switch op % 14 {
				case 0:
					if c.Send(ctx, v) == nil {
						accept(v)
					}
				case 1:
					if ok, _ := c.TrySend(v); ok {
						accept(v)
					}
				case 2:
					if x, ok, _ := c.TryReceive(); ok {
						got = append(got, x)
					}
				case 3:
					if x, err := c.Receive(ctx); err == nil {
						got = append(got, x)
					}
				case 4: // a Send whose context ends after a while
					sctx, cancel := context.WithTimeout(ctx, time.Duration(j%3)*time.Millisecond)
					if c.Send(sctx, v) == nil {
						accept(v)
					}
					cancel()
				case 5:
					rctx, cancel := context.WithTimeout(ctx, time.Duration(j%3)*time.Millisecond)
					if x, err := c.Receive(rctx); err == nil {
						got = append(got, x)
					}
					cancel()
				case 6:
					if i, err := channel.Select(ctx, channel.OnSend(c, v, nil), channel.OnTimeout(time.Millisecond, nil)); i == 0 && err == nil {
						accept(v)
					}
				case 7:
					_, _ = channel.Select(ctx, channel.OnReceive(c, func(x int) { got = append(got, x) }), channel.Default(nil))
				case 8:
					_ = c.Close()
				case 9:
					if c.Fail(errBoom) == nil {
						mu.Lock()
						failed = true
						mu.Unlock()
					}
				case 10: // a Select that sends or receives on c, whichever comes first
					i, err := channel.Select(ctx,
						channel.OnSend(c, v, nil),
						channel.OnReceive(c, func(x int) { got = append(got, x) }),
						channel.OnTimeout(time.Duration(j%3)*time.Millisecond, nil))
					if i == 0 && err == nil {
						accept(v)
					}
				case 11:
					_, _ = channel.Select(ctx, channel.OnReceive(c, func(x int) { got = append(got, x) }), channel.OnTimeout(time.Millisecond, nil))
				case 12: // up to two values through All, until a deadline
					actx, cancel := context.WithTimeout(ctx, time.Duration(j%3)*time.Millisecond)
					n := 0
					for x, err := range c.All(actx) {
						if err != nil {
							break
						}
						got = append(got, x)
						if n++; n == 2 {
							break
						}
					}
					cancel()
				default:
					_ = c.Err()
					if n := c.Len(); capacity != channel.Unlimited && n > capacity {
						t.Errorf("Len() = %d > capacity %d", n, capacity)
					}
				}
			}
			last := map[int]int{}
			for _, x := range got {
				if p, ok := last[x>>16]; ok && x <= p {
					t.Errorf("worker %d received %x after %x from the same sender", w, x, p)
				}
				last[x>>16] = x
			}
			mu.Lock()
			defer mu.Unlock()
			for _, x := range got {
				received[x]++
			}
		})
	}
	// Once every worker has finished or is blocked for good, end the
	// channel so that blocked ones return; then collect what is left.
	synctest.Wait()
	_ = c.Close()
	wg.Wait()
	for {
		x, ok, _ := c.TryReceive()
		if !ok {
			break
		}
		received[x]++
	}
	for x, n := range received {
		if n != 1 {
			t.Fatalf("value %x received %d times", x, n)
		}
		if !accepted[x] {
			t.Fatalf("value %x received but not sent", x)
		}
	}
	if !failed {
		for x := range accepted {
			if received[x] != 1 {
				t.Fatalf("value %x accepted but not received", x)
			}
		}
	}
	if err := c.Err(); err != channel.ErrClosed && !(failed && errors.Is(err, errBoom)) {
		t.Fatalf("Err() = %v at the end", err)
	}
}
