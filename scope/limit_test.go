package scope_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/scope"
)

// A limited scope never runs more than n awaited forks at once, however
// many are started and from however many goroutines.
func TestLimitIsNeverExceeded(t *testing.T) {
	for _, n := range []int{1, 2, 7} {
		var running, high atomic.Int32
		// counted runs f as an awaited fork that counts itself as running.
		counted := func(f func()) func(context.Context) error {
			return func(context.Context) error {
				r := running.Add(1)
				for h := high.Load(); r > h && !high.CompareAndSwap(h, r); h = high.Load() {
				}
				f()
				running.Add(-1)
				return nil
			}
		}
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			for range 4 {
				s.GoDaemon(func(ctx context.Context) error { <-ctx.Done(); return nil }) // not counted
			}
			// Four goroutines start forks at once; they end before the
			// body returns, so that they start them while it runs.
			var starters sync.WaitGroup
			for range 4 {
				starters.Go(func() {
					for range 50 {
						s.Go(counted(runtime.Gosched))
					}
				})
			}
			starters.Wait()
			return nil
		}, scope.WithLimit(n))
		if err != nil {
			t.Fatal(err)
		}
		if h := high.Load(); h > int32(n) {
			t.Errorf("limit %d: %d awaited forks ran at once", n, h)
		}
	}
}

// Go waits for a slot; daemon forks do not take one.
func TestLimitGoWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.GoDaemon(func(ctx context.Context) error { <-ctx.Done(); return nil })
			s.Go(func(context.Context) error { <-release; return nil })
			started := make(chan struct{})
			go func() {
				s.Go(func(context.Context) error { return nil })
				close(started)
			}()
			synctest.Wait()
			select {
			case <-started:
				t.Fatal("Go did not wait for the slot")
			default:
			}
			close(release)
			<-started
			return nil
		}, scope.WithLimit(1))
	})
}

// TryGo never blocks: it starts f only if a slot is free.
func TestTryGo(t *testing.T) {
	release := make(chan struct{})
	var ran atomic.Int32
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		if !s.TryGo(func(context.Context) error { <-release; ran.Add(1); return nil }) {
			t.Error("TryGo with a free slot = false")
		}
		if s.TryGo(func(context.Context) error { ran.Add(1); return nil }) {
			t.Error("TryGo with no free slot = true")
		}
		close(release)
		return nil
	}, scope.WithLimit(1))
	if err != nil || ran.Load() != 1 {
		t.Fatalf("Supervised = %v, %d forks ran; want nil, 1", err, ran.Load())
	}
	// Without a limit TryGo always starts f.
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		if !s.TryGo(func(context.Context) error { return nil }) {
			t.Error("TryGo in an unlimited scope = false")
		}
		return nil
	})
}

// A Go waiting for a slot gives up when the scope is cancelled: f never
// runs, and a Job hears the cause.
func TestLimitGoGivesUpOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boom := errors.New("boom")
		var ran atomic.Bool
		var finished error
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Go(func(context.Context) error { time.Sleep(time.Second); return boom })
			s.Go(func(context.Context) error { ran.Store(true); return nil })
			s.Start(scope.ForkSpec{}, &recordingJob{finished: &finished})
			return nil
		}, scope.WithLimit(1))
		if err != boom || ran.Load() {
			t.Fatalf("Supervised = %v, waiting fork ran = %v; want %v, false", err, ran.Load(), boom)
		}
		if finished != boom {
			t.Errorf("Finish got %v, want the cause %v", finished, boom)
		}
	})
}

// recordingJob is a scope.Job that records what Finish receives.
type recordingJob struct {
	run      func(ctx context.Context) error
	finished *error
	onFinish func()
}

func (j *recordingJob) Run(ctx context.Context) error {
	if j.run == nil {
		return nil
	}
	return j.run(ctx)
}

func (j *recordingJob) Finish(err error) {
	*j.finished = err
	if j.onFinish != nil {
		j.onFinish()
	}
}

// A limited scope that has ended refuses a fork as loudly as any other:
// Go panics, rather than finding no slot in a cancelled scope and returning.
func TestLimitedScopeEndedPanics(t *testing.T) {
	var ended *scope.Scope
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error { ended = s; return nil }, scope.WithLimit(2))
	for name, start := range map[string]func(){
		"Go":    func() { ended.Go(func(context.Context) error { return nil }) },
		"TryGo": func() { ended.TryGo(func(context.Context) error { return nil }) },
	} {
		if msg := panicMessage(start); !strings.Contains(msg, name+" called after") {
			t.Errorf("%s on an ended limited scope: panic %q, want one naming the ended scope", name, msg)
		}
	}
}
