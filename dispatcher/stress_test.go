package dispatcher_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

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
