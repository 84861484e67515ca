package dispatcher_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// TestStressSubmitWhileOuterEnds has many goroutines outside the scope (like
// a library's callbacks) call RunAsync, Submit and Cancel while the outer
// scope ends. Nothing may panic, hang or leak (goleak checks at the end);
// every accepted RunAsync task either runs or is reported as dropped with
// ErrClosed; every handle completes with an allowed result.
func TestStressSubmitWhileOuterEnds(t *testing.T) {
	configs := []struct {
		name string
		opts []dispatcher.Option
	}{
		{"unbounded", nil},
		{"max running", []dispatcher.Option{dispatcher.WithLimit(3)}},
		{"block", []dispatcher.Option{dispatcher.WithLimit(2), dispatcher.WithMailbox(4, dispatcher.Block)}},
		{"reject", []dispatcher.Option{dispatcher.WithLimit(2), dispatcher.WithMailbox(0, dispatcher.Reject)}},
	}
	rounds := 30
	if testing.Short() {
		rounds = 5
	}
	for _, cfg := range configs {
		t.Run(cfg.name, func(t *testing.T) {
			for round := range rounds {
				stressRound(t, round, cfg.opts)
			}
		})
	}
}

func stressRound(t *testing.T, round int, opts []dispatcher.Option) {
	const callers, perCaller = 8, 150
	var accepted, ran, dropped atomic.Int64
	var handleMu sync.Mutex
	var handles []*dispatcher.Task
	var wg sync.WaitGroup
	busy := make(chan struct{}, callers)
	onError := func(err error) {
		if errors.Is(err, dispatcher.ErrClosed) {
			dropped.Add(1)
		}
	}
	body := func(s *scope.Scope) error {
		s.GoDaemon(func(ctx context.Context) error { <-ctx.Done(); return nil })
		if rand.IntN(4) == 0 {
			<-s.Context().Done() // some tasks run until cancelled
		}
		if rand.IntN(8) == 0 {
			return errors.New("task failure")
		}
		return nil
	}
	asyncBody := func(s *scope.Scope) error {
		ran.Add(1)
		return body(s)
	}
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, opts...)
		for c := range callers {
			wg.Go(func() {
				lane := d.NewLane()
				for i := range perCaller {
					if i == 0 {
						busy <- struct{}{}
					}
					var err error
					switch (c + i) % 4 {
					case 0:
						if err = d.RunAsync(asyncBody, onError); err == nil {
							accepted.Add(1)
						}
					case 1:
						if err = lane.RunAsync(asyncBody, onError); err == nil {
							accepted.Add(1)
						}
					default:
						h := lane.Submit(body)
						if rand.IntN(2) == 0 {
							h.Cancel()
						}
						handleMu.Lock()
						handles = append(handles, h)
						handleMu.Unlock()
						select {
						case <-h.Done():
							err = h.Wait(context.Background())
						default:
						}
					}
					if errors.Is(err, dispatcher.ErrClosed) {
						return
					}
				}
			})
		}
		// End the scope while they are in full swing. (Not later: some
		// tasks hold their slots until the end, and callers may block.)
		for range callers {
			<-busy
		}
		for range 1 + round%8 {
			runtime.Gosched()
		}
		return nil
	})
	if err != nil {
		t.Fatalf("round %d: Supervised = %v", round, err)
	}
	wg.Wait()
	if testing.Verbose() && round == 0 {
		t.Logf("accepted %d, ran %d, dropped %d, handles %d", accepted.Load(), ran.Load(), dropped.Load(), len(handles))
	}
	if a, r, d := accepted.Load(), ran.Load(), dropped.Load(); a != r+d {
		t.Fatalf("round %d: accepted %d, ran %d, dropped %d", round, a, r, d)
	}
	for _, h := range handles {
		select {
		case <-h.Done():
		default:
			t.Fatalf("round %d: a handle is not done after the scope and callers returned", round)
		}
		switch err := h.Wait(context.Background()); {
		case err == nil, errors.Is(err, context.Canceled), errors.Is(err, dispatcher.ErrClosed),
			errors.Is(err, dispatcher.ErrFull), err.Error() == "task failure":
		default:
			t.Fatalf("round %d: unexpected handle result %v", round, err)
		}
	}
}

// TestStressShutdownAccounting submits from many goroutines while Cancel,
// Shutdown (with contexts that end at random times, or never) and the outer
// scope's end race with the submissions. Every accepted task must be either
// run or reported dropped (ErrClosed), exactly once; a task that was not
// accepted must do neither; every handle must complete.
func TestStressShutdownAccounting(t *testing.T) {
	configs := []struct {
		name string
		opts []dispatcher.Option
	}{
		{"unbounded", nil},
		{"limit", []dispatcher.Option{dispatcher.WithLimit(3)}},
		{"block", []dispatcher.Option{dispatcher.WithLimit(2), dispatcher.WithMailbox(3, dispatcher.Block)}},
		{"reject", []dispatcher.Option{dispatcher.WithLimit(2), dispatcher.WithMailbox(1, dispatcher.Reject)}},
		{"rate", []dispatcher.Option{dispatcher.WithLimit(3), dispatcher.WithRateLimit(rate.NewLimiter(rate.Every(20*time.Microsecond), 4))}},
	}
	rounds := 20
	if testing.Short() {
		rounds = 5
	}
	for _, cfg := range configs {
		t.Run(cfg.name, func(t *testing.T) {
			for round := range rounds {
				accountingRound(t, round, cfg.opts)
			}
		})
	}
}

func accountingRound(t *testing.T, round int, opts []dispatcher.Option) {
	const callers, perCaller = 6, 60
	type record struct {
		accepted      atomic.Bool
		ran, dropped  atomic.Int32
		otherReported atomic.Int32
		handle        *dispatcher.Task
	}
	records := make([]record, callers*perCaller)
	release := make(chan struct{})
	var releaseOnce sync.Once
	mode := round % 3 // 0: Shutdown waits; 1: Shutdown's ctx ends; 2: the outer scope ends
	var wg sync.WaitGroup
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, opts...)
		started := make(chan struct{}, callers)
		for c := range callers {
			wg.Go(func() {
				lane := d
				if c%2 == 0 {
					lane = d.NewLane()
				}
				started <- struct{}{} // (a Block submission may wait until the end)
				for i := range perCaller {
					id := c*perCaller + i
					r := &records[id]
					body := func(s *scope.Scope) error {
						r.ran.Add(1)
						if rand.IntN(4) == 0 {
							select {
							case <-s.Context().Done():
							case <-release:
							}
						}
						return nil
					}
					if id%3 == 0 {
						r.handle = lane.Submit(body)
						if rand.IntN(3) == 0 {
							r.handle.Cancel()
						}
						continue
					}
					err := lane.RunAsync(body, func(err error) {
						if errors.Is(err, dispatcher.ErrClosed) {
							r.dropped.Add(1)
						} else {
							r.otherReported.Add(1)
						}
					})
					r.accepted.Store(err == nil)
				}
			})
		}
		for range callers {
			<-started
		}
		for range rand.IntN(50) {
			runtime.Gosched()
		}
		switch mode {
		case 0:
			go func() {
				for range rand.IntN(20) {
					runtime.Gosched()
				}
				releaseOnce.Do(func() { close(release) })
			}()
			if err := d.Shutdown(context.Background()); err != nil {
				t.Errorf("round %d: Shutdown = %v", round, err)
			}
		case 1:
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				for range rand.IntN(20) {
					runtime.Gosched()
				}
				cancel()
			}()
			if err := d.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("round %d: Shutdown = %v", round, err)
			}
			cancel()
		}
		return nil
	})
	wg.Wait() // blocked submitters are released by the closing
	releaseOnce.Do(func() { close(release) })
	if err != nil {
		t.Fatalf("round %d: Supervised = %v", round, err)
	}
	for id := range records {
		r := &records[id]
		ran, dropped := r.ran.Load(), r.dropped.Load()
		if r.otherReported.Load() != 0 {
			t.Fatalf("round %d: task %d reported a failure", round, id)
		}
		if r.handle != nil {
			select {
			case <-r.handle.Done():
			default:
				t.Fatalf("round %d: handle %d not done after the scope ended", round, id)
			}
			switch err := r.handle.Wait(context.Background()); {
			case ran > 1:
				t.Fatalf("round %d: handle %d ran %d times", round, id, ran)
			case err == nil && ran != 1:
				t.Fatalf("round %d: handle %d succeeded without running", round, id)
			case errors.Is(err, dispatcher.ErrClosed), errors.Is(err, dispatcher.ErrFull):
				if ran != 0 {
					t.Fatalf("round %d: handle %d ran but reports %v", round, id, err)
				}
			case err == nil, errors.Is(err, context.Canceled):
			default:
				t.Fatalf("round %d: handle %d: unexpected result %v", round, id, err)
			}
			continue
		}
		if !r.accepted.Load() {
			if ran != 0 || dropped != 0 {
				t.Fatalf("round %d: task %d not accepted, yet ran %d, dropped %d", round, id, ran, dropped)
			}
			continue
		}
		if ran+dropped != 1 {
			t.Fatalf("round %d: accepted task %d ran %d times and was reported dropped %d times", round, id, ran, dropped)
		}
	}
}
