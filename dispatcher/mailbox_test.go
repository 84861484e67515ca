package dispatcher_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// occupy submits a task that holds a running slot until release is closed.
func occupy(t *testing.T, d *dispatcher.Dispatcher) (release chan struct{}) {
	t.Helper()
	started, release := make(chan struct{}), make(chan struct{})
	if err := d.RunAsync(func(*scope.Scope) error {
		close(started)
		<-release
		return nil
	}, nil); err != nil {
		t.Fatalf("RunAsync = %v", err)
	}
	within(t, started, "the occupying task")
	return release
}

func TestMailboxReject(t *testing.T) {
	noop := func(*scope.Scope) error { return nil }
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1), dispatcher.WithMailbox(2, dispatcher.Reject))
		release := occupy(t, d)
		defer close(release)
		for i := range 2 {
			if err := d.RunAsync(noop, nil); err != nil {
				t.Fatalf("RunAsync %d = %v, want nil: the mailbox has room", i, err)
			}
		}
		if err := d.RunAsync(noop, nil); !errors.Is(err, dispatcher.ErrFull) {
			t.Errorf("RunAsync on a full mailbox = %v, want ErrFull", err)
		}
		if err := wait(t, d.Submit(noop)); !errors.Is(err, dispatcher.ErrFull) {
			t.Errorf("Submit on a full mailbox: Wait = %v, want ErrFull", err)
		}
		return nil
	})
}

func TestMailboxRejectZeroIsTryStart(t *testing.T) {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1), dispatcher.WithMailbox(0, dispatcher.Reject))
		release := occupy(t, d)
		if err := d.RunAsync(func(*scope.Scope) error { return nil }, nil); !errors.Is(err, dispatcher.ErrFull) {
			t.Errorf("RunAsync with every slot taken = %v, want ErrFull", err)
		}
		close(release)
		return nil
	})
}

func TestMailboxBlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := new(trail)
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(1), dispatcher.WithMailbox(1, dispatcher.Block))
			release := occupy(t, d)
			task := func(name string) func(*scope.Scope) error {
				return func(*scope.Scope) error { tr.add("run %s", name); return nil }
			}
			if err := d.RunAsync(task("queued"), nil); err != nil {
				t.Fatalf("RunAsync = %v", err)
			}
			// The mailbox is full: the next submitters wait, in order.
			for _, name := range []string{"blocked1", "blocked2"} {
				go func() {
					err := d.RunAsync(task(name), nil)
					tr.add("%s accepted: %v", name, err)
				}()
				synctest.Wait() // now blocked
			}
			close(release)
			synctest.Wait()
			return nil
		})
		// Blocked submitters are admitted in order.
		var runs, accepted []string
		for _, ev := range tr.get() {
			if strings.HasPrefix(ev, "run ") {
				runs = append(runs, ev)
			} else if strings.Contains(ev, "accepted") {
				accepted = append(accepted, ev)
			}
		}
		if want := []string{"run queued", "run blocked1", "run blocked2"}; !slices.Equal(runs, want) {
			t.Errorf("runs = %q, want %q", runs, want)
		}
		slices.Sort(accepted)
		if want := []string{"blocked1 accepted: <nil>", "blocked2 accepted: <nil>"}; !slices.Equal(accepted, want) {
			t.Errorf("acceptances = %q, want %q", accepted, want)
		}
	})
}

func TestMailboxBlockZeroIsHandOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(1), dispatcher.WithMailbox(0, dispatcher.Block))
			release := occupy(t, d)
			accepted := make(chan *dispatcher.Task)
			go func() { accepted <- d.Submit(func(*scope.Scope) error { return nil }) }()
			synctest.Wait()
			select {
			case <-accepted:
				t.Fatal("Submit returned while every slot was taken and the mailbox holds 0")
			default:
			}
			close(release)
			if err := wait(t, <-accepted); err != nil {
				t.Errorf("Wait = %v", err)
			}
			return nil
		})
	})
}

func TestMailboxBlockedSubmitterGetsErrClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		result := make(chan error, 2)
		var release chan struct{}
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(1), dispatcher.WithMailbox(0, dispatcher.Block))
			release = occupy(t, d)
			go func() { result <- d.RunAsync(func(*scope.Scope) error { return nil }, nil) }()
			go func() {
				result <- d.Submit(func(*scope.Scope) error { return nil }).Wait(context.Background())
			}()
			synctest.Wait()
			go func() {
				<-s.Context().Done()
				synctest.Wait() // the dispatcher has closed and turned them away
				close(release)
			}()
			return nil
		})
		for range 2 {
			if err := <-result; !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("blocked submitter got %v, want ErrClosed", err)
			}
		}
	})
}

func TestMaxRunning(t *testing.T) {
	const limit, tasks = 3, 50
	var now, peak atomic.Int32
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(limit))
		handles := make([]*dispatcher.Task, tasks)
		for i := range handles {
			handles[i] = d.Submit(func(*scope.Scope) error {
				n := now.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				now.Add(-1)
				return nil
			})
		}
		for _, h := range handles {
			_ = wait(t, h)
		}
		return nil
	})
	if p := peak.Load(); p > limit || p < 1 {
		t.Errorf("peak running = %d, want 1..%d", p, limit)
	}
}
