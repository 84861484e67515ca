package source_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/source"
)

// bridge runs FromCallback with the given buffer: push runs on a
// goroutine of its own with the run's Emitter and a channel closed once
// the downstream has taken the first value; the downstream then waits until
// push returns. bridge returns the values the downstream got and the
// run's error.
func bridge(t *testing.T, capacity int, o source.Overflow, push func(e *source.Emitter[int], took <-chan struct{})) ([]int, error) {
	var got []int
	pushed, took := make(chan struct{}), make(chan struct{})
	src := source.FromCallback(capacity, o, func(ctx context.Context, e *source.Emitter[int]) (func(), error) {
		go func() {
			push(e, took)
			close(pushed)
		}()
		return nil, nil
	})
	err := src.RunForEach(context.Background(), func(v int) error {
		if got = append(got, v); len(got) == 1 {
			close(took)
			<-pushed // busy while the rest is pushed
		}
		return nil
	})
	return got, err
}

func TestFromCallbackOverflow(t *testing.T) {
	// Push 0 (taken by the downstream, which waits), then 1..5 into a
	// buffer of 3, then close.
	pushAll := func(results *[]error) func(e *source.Emitter[int], took <-chan struct{}) {
		return func(e *source.Emitter[int], took <-chan struct{}) {
			for v := range 6 {
				*results = append(*results, e.Push(v))
				if v == 0 {
					<-took
				}
			}
			e.Close()
		}
	}
	tests := []struct {
		o       source.Overflow
		want    []int
		wantErr error
		errs    []error // what each Push returned
	}{
		{source.OverflowDropOldest, []int{0, 3, 4, 5}, nil, []error{nil, nil, nil, nil, nil, nil}},
		{source.OverflowDropNewest, []int{0, 1, 2, 3}, nil, []error{nil, nil, nil, nil, nil, nil}},
		{source.OverflowFail, []int{0, 1, 2, 3}, source.ErrOverflow,
			[]error{nil, nil, nil, nil, source.ErrOverflow, channel.ErrClosed}},
	}
	for _, tt := range tests {
		t.Run(tt.o.String(), func(t *testing.T) {
			var errs []error
			got, err := bridge(t, 3, tt.o, pushAll(&errs))
			equal(t, got, tt.want)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			equal(t, errs, tt.errs)
		})
	}
}

// TestFromCallbackBlock: with OverflowBlock, Push waits for room, and
// nothing is lost.
func TestFromCallbackBlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var pushed []int
		took := make(chan struct{})
		src := source.FromCallback(2, source.OverflowBlock, func(ctx context.Context, e *source.Emitter[int]) (func(), error) {
			go func() {
				for v := range 10 {
					if err := e.Push(v); err != nil {
						t.Errorf("Push(%d): %v", v, err)
					}
					pushed = append(pushed, v)
					if v == 0 {
						<-took
					}
				}
				e.Close()
			}()
			return nil, nil
		})
		release := make(chan struct{})
		done := make(chan []int)
		go func() {
			var got []int
			err := src.RunForEach(t.Context(), func(v int) error {
				if got = append(got, v); v == 0 {
					close(took)
					<-release
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
			done <- got
		}()
		synctest.Wait()
		// 0 taken, 1 and 2 buffered, Push(3) waits.
		if len(pushed) != 3 {
			t.Errorf("%d pushes returned while the buffer is full, want 3", len(pushed))
		}
		close(release)
		equal(t, <-done, ints(10))
	})
}

// TestFromCallbackEnd: Fail ends the stream after the values pushed before
// it; pushes after the end return channel.ErrClosed and do not wait;
// unregister runs when the stream ends, after blocked pushes returned.
func TestFromCallbackEnd(t *testing.T) {
	var e *source.Emitter[int]
	unregistered := 0
	src := source.FromCallback(channel.Unlimited, source.OverflowBlock, func(ctx context.Context, em *source.Emitter[int]) (func(), error) {
		e = em
		_ = e.Push(1)
		_ = e.Push(2)
		e.Fail(errBoom)
		if err := e.Push(3); !errors.Is(err, channel.ErrClosed) {
			t.Errorf("Push after Fail: %v, want channel.ErrClosed", err)
		}
		e.Close() // no effect
		return func() { unregistered++ }, nil
	})
	got, err := run(src)
	equal(t, got, []int{1, 2})
	if !errors.Is(err, errBoom) || unregistered != 1 {
		t.Errorf("err = %v, unregistered %d times; want %v, once", err, unregistered, errBoom)
	}
	if err := e.Push(4); !errors.Is(err, channel.ErrClosed) {
		t.Errorf("Push after the run: %v, want channel.ErrClosed", err)
	}

	// The downstream stops while a push waits for room: it returns.
	synctest.Test(t, func(t *testing.T) {
		var wg sync.WaitGroup
		src := source.FromCallback(1, source.OverflowBlock, func(ctx context.Context, e *source.Emitter[int]) (func(), error) {
			wg.Go(func() {
				for v := 0; ; v++ {
					if err := e.Push(v); err != nil {
						if !errors.Is(err, channel.ErrClosed) {
							t.Errorf("Push: %v", err)
						}
						return
					}
				}
			})
			return wg.Wait, nil
		})
		equal(t, collect(t, src.Take(3)), []int{0, 1, 2})
	})

	// An error from register fails the run.
	_, err = run(source.FromCallback(1, source.OverflowBlock, func(context.Context, *source.Emitter[int]) (func(), error) {
		return nil, errBoom
	}))
	if !errors.Is(err, errBoom) {
		t.Errorf("err = %v, want %v", err, errBoom)
	}
}

// TestFromCallbackConcurrent pushes from many goroutines at once.
func TestFromCallbackConcurrent(t *testing.T) {
	const pushers, each = 8, 500
	src := source.FromCallback(16, source.OverflowBlock, func(ctx context.Context, e *source.Emitter[int]) (func(), error) {
		var wg sync.WaitGroup
		for p := range pushers {
			wg.Go(func() {
				for i := range each {
					if err := e.Push(p*each + i); err != nil {
						t.Errorf("Push: %v", err)
					}
				}
			})
		}
		go func() {
			wg.Wait()
			e.Close()
		}()
		return nil, nil
	})
	got := collect(t, src)
	seen := make([]bool, pushers*each)
	last := make([]int, pushers)
	for i := range last {
		last[i] = -1
	}
	for _, v := range got {
		if seen[v] || v%each <= last[v/each] {
			t.Fatalf("value %d twice or out of its pusher's order", v)
		}
		seen[v], last[v/each] = true, v%each
	}
	if len(got) != pushers*each {
		t.Errorf("got %d values, want %d", len(got), pushers*each)
	}
}
