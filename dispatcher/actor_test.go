package dispatcher_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

type counter struct {
	n   int
	log []int
}

func TestActorTellInOrderAndAsk(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		a := dispatcher.NewActor(s, &counter{})
		for i := range 100 {
			if err := a.Tell(func(c *counter) { c.n++; c.log = append(c.log, i) }); err != nil {
				t.Fatalf("Tell = %v", err)
			}
		}
		log, err := dispatcher.Ask(context.Background(), a, func(c *counter) ([]int, error) {
			return slices.Clone(c.log), nil
		})
		if err != nil {
			t.Fatalf("Ask = %v", err)
		}
		for i, v := range log {
			if v != i {
				t.Fatalf("Tell %d ran as %d: not in order", v, i)
			}
		}
		if len(log) != 100 {
			t.Fatalf("Ask saw %d Tells, want 100", len(log))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestActorAskErrorKeepsActorRunning(t *testing.T) {
	errNo := errors.New("no")
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		a := dispatcher.NewActor(s, &counter{n: 41})
		if _, err := dispatcher.Ask(context.Background(), a, func(c *counter) (int, error) { return 0, errNo }); err != errNo {
			t.Errorf("Ask = %v, want %v", err, errNo)
		}
		n, err := dispatcher.Ask(context.Background(), a, func(c *counter) (int, error) { c.n++; return c.n, nil })
		if n != 42 || err != nil {
			t.Errorf("Ask after an error = %d, %v; want 42, nil", n, err)
		}
		if err := s.Context().Err(); err != nil {
			t.Errorf("an Ask error reached the scope: %v", err)
		}
		return nil
	})
}

func TestActorPanicFailsScope(t *testing.T) {
	for _, how := range []string{"Tell", "Ask"} {
		t.Run(how, func(t *testing.T) {
			var askErr error
			var a *dispatcher.Actor[*counter]
			v := mustPanic(t, func() {
				_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
					a = dispatcher.NewActor(s, &counter{})
					if how == "Tell" {
						_ = a.Tell(func(*counter) { panic("kaboom") })
					} else {
						_, askErr = dispatcher.Ask(context.Background(), a, func(*counter) (int, error) { panic("kaboom") })
					}
					<-s.Context().Done()
					return nil
				})
			})
			if pe, ok := v.(*scope.PanicError); !ok || pe.Value != "kaboom" {
				t.Fatalf("Supervised panicked with %v, want *scope.PanicError for kaboom", v)
			}
			within(t, a.Done(), "the actor to stop")
			if err := a.Tell(func(*counter) {}); !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("Tell after the panic = %v, want ErrClosed", err)
			}
			if how == "Ask" {
				var pe *scope.PanicError
				if !errors.As(askErr, &pe) || pe.Value != "kaboom" {
					t.Errorf("Ask = %v, want the *scope.PanicError", askErr)
				}
			}
		})
	}
}

func TestActorAskContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			a := dispatcher.NewActor(s, &counter{})
			release := make(chan struct{})
			_ = a.Tell(func(*counter) { <-release }) // keeps the actor busy

			// Ask's f is still in the mailbox when ctx ends: it never runs.
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			ran := false
			_, err := dispatcher.Ask(ctx, a, func(c *counter) (int, error) { ran = true; return 0, nil })
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Ask while queued = %v, want DeadlineExceeded", err)
			}
			close(release)

			// f is running when ctx ends: Ask returns at once.
			running, finish := make(chan struct{}), make(chan struct{})
			ctx2, cancel2 := context.WithCancel(context.Background())
			go func() { <-running; cancel2() }()
			_, err = dispatcher.Ask(ctx2, a, func(c *counter) (int, error) {
				close(running)
				<-finish
				return 1, nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Ask while running = %v, want context.Canceled", err)
			}
			close(finish)
			n, err := dispatcher.Ask(context.Background(), a, func(c *counter) (int, error) { return 7, nil })
			if n != 7 || err != nil {
				t.Errorf("later Ask = %d, %v", n, err)
			}
			if ran {
				t.Error("an abandoned Ask's f ran")
			}
			return nil
		})
	})
}

func TestActorIsDaemonAndClosesWithScope(t *testing.T) {
	var a *dispatcher.Actor[*counter]
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		a = dispatcher.NewActor(s, &counter{})
		return nil // the actor does not keep the scope open
	})
	if err != nil {
		t.Fatal(err)
	}
	within(t, a.Done(), "the actor to stop")
	if err := a.Tell(func(*counter) {}); !errors.Is(err, dispatcher.ErrClosed) {
		t.Errorf("Tell = %v, want ErrClosed", err)
	}
	if _, err := dispatcher.Ask(context.Background(), a, func(*counter) (int, error) { return 0, nil }); !errors.Is(err, dispatcher.ErrClosed) {
		t.Errorf("Ask = %v, want ErrClosed", err)
	}
}

func TestActorMailbox(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			rejecting := dispatcher.NewActor(s, &counter{}, dispatcher.WithMailbox(1, dispatcher.Reject))
			blocking := dispatcher.NewActor(s, &counter{}, dispatcher.WithMailbox(1, dispatcher.Block))
			release := make(chan struct{})
			for _, a := range []*dispatcher.Actor[*counter]{rejecting, blocking} {
				_ = a.Tell(func(*counter) { <-release }) // running
				synctest.Wait()
				if err := a.Tell(func(*counter) {}); err != nil { // waiting in the mailbox
					t.Fatalf("Tell into an empty mailbox = %v", err)
				}
			}
			if err := rejecting.Tell(func(*counter) {}); !errors.Is(err, dispatcher.ErrFull) {
				t.Errorf("Tell to a full rejecting mailbox = %v, want ErrFull", err)
			}
			if _, err := dispatcher.Ask(context.Background(), rejecting, func(*counter) (int, error) { return 0, nil }); !errors.Is(err, dispatcher.ErrFull) {
				t.Errorf("Ask to a full rejecting mailbox = %v, want ErrFull", err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			if _, err := dispatcher.Ask(ctx, blocking, func(*counter) (int, error) { return 0, nil }); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Ask to a full blocking mailbox = %v, want DeadlineExceeded", err)
			}
			accepted := make(chan error)
			go func() { accepted <- blocking.Tell(func(*counter) {}) }()
			synctest.Wait()
			close(release)
			if err := <-accepted; err != nil {
				t.Errorf("blocked Tell = %v after room freed", err)
			}
			return nil
		})
	})
}

func TestActorMisuse(t *testing.T) {
	tests := []struct {
		name string
		give func(s *scope.Scope, a *dispatcher.Actor[*counter])
		want string
	}{
		{"nil scope", func(*scope.Scope, *dispatcher.Actor[*counter]) { dispatcher.NewActor(nil, &counter{}) }, "dispatcher: NewActor called with nil s"},
		{"ended scope", func(*scope.Scope, *dispatcher.Actor[*counter]) { dispatcher.NewActor(endedScope(), &counter{}) }, "dispatcher: NewActor called with a scope that has ended"},
		{"nil option", func(s *scope.Scope, _ *dispatcher.Actor[*counter]) { dispatcher.NewActor(s, &counter{}, nil) }, "dispatcher: NewActor called with a nil option"},
		{"Tell nil receiver", func(*scope.Scope, *dispatcher.Actor[*counter]) {
			var a *dispatcher.Actor[*counter]
			_ = a.Tell(func(*counter) {})
		}, "dispatcher: Tell called on a nil *Actor"},
		{"Shutdown nil receiver", func(*scope.Scope, *dispatcher.Actor[*counter]) {
			var a *dispatcher.Actor[*counter]
			_ = a.Shutdown(context.Background())
		}, "dispatcher: Shutdown called on a nil *Actor"},
		{"Done nil receiver", func(*scope.Scope, *dispatcher.Actor[*counter]) {
			var a *dispatcher.Actor[*counter]
			a.Done()
		}, "dispatcher: Done called on a nil *Actor"},
		{"Shutdown nil ctx", func(_ *scope.Scope, a *dispatcher.Actor[*counter]) {
			var noCtx context.Context
			_ = a.Shutdown(noCtx)
		}, "dispatcher: Shutdown called with nil ctx; pass context.Background()"},
		{"Ask nil ctx", func(_ *scope.Scope, a *dispatcher.Actor[*counter]) {
			var noCtx context.Context
			_, _ = dispatcher.Ask(noCtx, a, func(*counter) (int, error) { return 0, nil })
		}, "dispatcher: Ask called with nil ctx; pass context.Background()"},
		{"Tell nil f", func(_ *scope.Scope, a *dispatcher.Actor[*counter]) { _ = a.Tell(nil) }, "dispatcher: Tell called with nil f"},
		{"Ask nil f", func(_ *scope.Scope, a *dispatcher.Actor[*counter]) {
			_, _ = dispatcher.Ask[*counter, int](context.Background(), a, nil)
		}, "dispatcher: Ask called with nil f"},
		{"Ask nil actor", func(*scope.Scope, *dispatcher.Actor[*counter]) {
			_, _ = dispatcher.Ask(context.Background(), nil, func(*counter) (int, error) { return 0, nil })
		}, "dispatcher: Ask called with nil a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
				a := dispatcher.NewActor(s, &counter{})
				v := mustPanic(t, func() { tt.give(s, a) })
				if msg, _ := v.(string); !strings.HasPrefix(msg, tt.want) {
					t.Errorf("panic = %v, want prefix %q", v, tt.want)
				}
				return nil
			})
		})
	}
}
