package source_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

func TestFromChannel(t *testing.T) {
	ctx := context.Background()
	c := channel.New[int](10)
	for i := range 5 {
		_ = c.Send(ctx, i)
	}
	equal(t, collect(t, source.FromChannel(c).Take(2)), []int{0, 1})
	if c.Len() != 3 {
		t.Errorf("Take(2) left %d values in the channel, want 3", c.Len())
	}
	_ = c.Close()
	equal(t, collect(t, source.FromChannel(c)), []int{2, 3, 4})

	c = channel.New[int](10)
	_ = c.Send(ctx, 1)
	_ = c.Fail(errBoom)
	got, err := source.FromChannel(c).RunToSlice(ctx)
	if !errors.Is(err, errBoom) || !errors.Is(err, channel.ErrFailed) || len(got) != 0 {
		t.Errorf("got %v, %v; want nothing and the channel's failure", got, err)
	}
}

// TestFromChannelConcurrent feeds a channel from another goroutine.
func TestFromChannelConcurrent(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		c := channel.New[int](0)
		s.Go(func(ctx context.Context) error {
			for i := range 3000 {
				if err := c.Send(ctx, i); err != nil {
					return err
				}
			}
			return c.Close()
		})
		got, err := source.FromChannel(c).RunToSlice(s.Context())
		equal(t, got, ints(3000))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCancelWhileReceiving cancels runs that wait on an empty channel.
func TestCancelWhileReceiving(t *testing.T) {
	tests := map[string]func() (source.Source[int], func()){
		"FromChannel": func() (source.Source[int], func()) {
			c := channel.New[int](1)
			_ = c.Send(context.Background(), 1)
			return source.FromChannel(c), func() {}
		},
		"FromGoChan": func() (source.Source[int], func()) {
			c := make(chan int, 1)
			c <- 1
			return source.FromGoChan(c), func() { close(c) }
		},
	}
	for name, build := range tests {
		t.Run(name, func(t *testing.T) {
			src, cleanup := build()
			defer cleanup()
			ctx, cancel := context.WithCancel(context.Background())
			first := make(chan struct{})
			result := make(chan error)
			go func() {
				result <- src.RunForEach(ctx, func(int) error {
					close(first) // the next receive waits: nothing is left
					return nil
				})
			}()
			<-first
			cancel()
			if err := <-result; !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		})
	}
}

func TestFromChan(t *testing.T) {
	c := make(chan int, 5)
	for i := range 5 {
		c <- i
	}
	equal(t, collect(t, source.FromGoChan(c).Take(2)), []int{0, 1})
	if len(c) != 3 {
		t.Errorf("Take(2) left %d values in the channel, want 3", len(c))
	}
	close(c)
	equal(t, collect(t, source.FromGoChan(c)), []int{2, 3, 4})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c = make(chan int, 1)
	c <- 1
	if _, err := source.FromGoChan(c).RunToSlice(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled even with a value ready", err)
	}
}

func TestRunToChannel(t *testing.T) {
	ctx := context.Background()
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		for _, capacity := range []int{0, 1, 100, channel.Unlimited} {
			c := source.Range(0, 3000, 1).RunToChannel(s, capacity)
			var got []int
			for v, err := range c.All(s.Context()) {
				if err != nil {
					return err
				}
				got = append(got, v)
			}
			equal(t, got, ints(3000))
			if err := c.Err(); err != channel.ErrClosed {
				t.Errorf("capacity %d: Err() = %v, want ErrClosed", capacity, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunToChannelFailure(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		c := failing(1, 2).RunToChannel(s, 0)
		var got []int
		for v, err := range c.All(s.Context()) {
			if err != nil {
				if !errors.Is(err, errBoom) || !errors.Is(err, channel.ErrFailed) {
					t.Errorf("err = %v, want the pipeline's error", err)
				}
				break
			}
			got = append(got, v)
		}
		equal(t, got, []int{1, 2})
		return nil
	})
	if err != nil {
		t.Errorf("the scope failed: %v", err)
	}
}

// TestRunToChannelAbandoned: a consumer that stops receiving does not keep
// the scope open.
func TestRunToChannelAbandoned(t *testing.T) {
	var c *channel.Chan[int]
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		c = source.Repeat(1).RunToChannel(s, 0)
		_, err := c.Receive(s.Context())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Err(); !errors.Is(err, channel.ErrFailed) || !errors.Is(err, scope.ErrScopeEnded) {
		t.Errorf("Err() = %v, want a failure caused by the scope's end", err)
	}
}

func TestRunToChannelConsumerCloses(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		var calls atomic.Int64
		c := counted(&calls).RunToChannel(s, 0)
		if _, err := c.Receive(s.Context()); err != nil {
			return err
		}
		return c.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunToChannelPanic(t *testing.T) {
	var received error
	pe := panicError(t, func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			c := source.RepeatFunc(func() int { panic("boom") }).RunToChannel(s, 0)
			// Not s.Context(): the scope's failure may cancel it first.
			_, received = c.Receive(context.Background())
			return nil
		})
	})
	if pe.Value != "boom" {
		t.Errorf("PanicError.Value = %v", pe.Value)
	}
	var got *scope.PanicError
	if !errors.As(received, &got) || got != pe {
		t.Errorf("the consumer received %v, want the panic", received)
	}
}

// TestGoexitInPipeline: a function of a pipeline that calls runtime.Goexit
// (as t.FailNow does) fails the channels that the run owns with an error
// matching scope.ErrGoexit, and the scope around the run with it too.
func TestGoexitInPipeline(t *testing.T) {
	goexit := func(v int) int {
		runtime.Goexit()
		return v
	}
	t.Run("RunToChannel", func(t *testing.T) {
		var c *channel.Chan[int]
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			c = source.Map(source.Of(1), goexit).RunToChannel(s, 0)
			_, err := c.Receive(s.Context())
			return err
		})
		if !errors.Is(err, scope.ErrGoexit) {
			t.Errorf("scope: err = %v, want scope.ErrGoexit", err)
		}
		if err := c.Err(); !errors.Is(err, channel.ErrFailed) || !errors.Is(err, scope.ErrGoexit) {
			t.Errorf("c.Err() = %v, want a failure matching scope.ErrGoexit", err)
		}
	})
	t.Run("AlsoTo", func(t *testing.T) {
		c := channel.New[int](channel.Unlimited)
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Go(func(ctx context.Context) error {
				return source.Map(source.Of(1), goexit).AlsoTo(c).RunDrain(ctx)
			})
			return nil
		})
		if !errors.Is(err, scope.ErrGoexit) {
			t.Errorf("scope: err = %v, want scope.ErrGoexit", err)
		}
		if err := c.Err(); !errors.Is(err, channel.ErrFailed) || !errors.Is(err, scope.ErrGoexit) {
			t.Errorf("c.Err() = %v, want a failure matching scope.ErrGoexit", err)
		}
	})
}
