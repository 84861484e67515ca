package dispatcher_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

func TestActorRunsAcceptedTellsOnNormalEnd(t *testing.T) {
	// The case: 1,000 accepted Tells, then the scope ends
	// normally; the counter must read 1,000.
	var c counter
	var a *dispatcher.Actor[*counter]
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		a = dispatcher.NewActor(s, &c)
		gate := make(chan struct{})
		_ = a.Tell(func(*counter) { <-gate }) // so the others queue
		for range 1000 {
			if err := a.Tell(func(c *counter) { c.n++ }); err != nil {
				t.Fatalf("Tell = %v", err)
			}
		}
		go func() {
			<-s.Context().Done() // the normal end has begun
			close(gate)
		}()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.n != 1000 {
		t.Errorf("counter = %d after the normal end, want 1000", c.n)
	}
	if err := a.Tell(func(*counter) {}); !errors.Is(err, dispatcher.ErrClosed) {
		t.Errorf("Tell after the end = %v, want ErrClosed", err)
	}
}

func TestActorDropsQueueOnFailure(t *testing.T) {
	errStop := errors.New("stop")
	for _, how := range []string{"failure", "outside cancellation"} {
		t.Run(how, func(t *testing.T) {
			var c counter
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			asked := make(chan error, 1)
			err := scope.Supervised(ctx, func(s *scope.Scope) error {
				a := dispatcher.NewActor(s, &c)
				started, gate := make(chan struct{}), make(chan struct{})
				_ = a.Tell(func(*counter) { close(started); <-gate })
				<-started
				for range 100 {
					_ = a.Tell(func(c *counter) { c.n++ })
				}
				go func() {
					_, err := dispatcher.Ask(context.Background(), a, func(c *counter) (int, error) { return c.n, nil })
					asked <- err
				}()
				go func() {
					<-s.Context().Done()
					close(gate)
				}()
				if how == "failure" {
					return errStop
				}
				cancel()
				<-s.Context().Done()
				return nil
			})
			if how == "failure" && !errors.Is(err, errStop) {
				t.Fatalf("Supervised = %v", err)
			}
			if c.n != 0 {
				t.Errorf("%d queued functions ran after the scope %s, want 0", c.n, how)
			}
			if err := within(t, asked, "the pending Ask"); !errors.Is(err, dispatcher.ErrClosed) && !errors.Is(err, context.Canceled) {
				t.Errorf("pending Ask = %v, want ErrClosed", err)
			}
		})
	}
}

func TestActorShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			var c counter
			a := dispatcher.NewActor(s, &c)
			gate := make(chan struct{})
			_ = a.Tell(func(*counter) { <-gate })
			for range 10 {
				_ = a.Tell(func(c *counter) { c.n++ })
			}
			asked := make(chan int)
			go func() {
				n, _ := dispatcher.Ask(context.Background(), a, func(c *counter) (int, error) { return c.n, nil })
				asked <- n
			}()
			synctest.Wait()
			shut := make(chan error)
			go func() { shut <- a.Shutdown(context.Background()) }()
			synctest.Wait()
			if err := a.Tell(func(*counter) {}); !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("Tell during Shutdown = %v, want ErrClosed", err)
			}
			if _, err := dispatcher.Ask(context.Background(), a, func(*counter) (int, error) { return 0, nil }); !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("Ask during Shutdown = %v, want ErrClosed", err)
			}
			close(gate)
			if err := <-shut; err != nil {
				t.Errorf("Shutdown = %v", err)
			}
			if n := <-asked; n != 10 || c.n != 10 {
				t.Errorf("Ask accepted before Shutdown saw %d, counter %d; want 10, 10", n, c.n)
			}
			select {
			case <-a.Done():
			default:
				t.Error("the actor has not stopped when Shutdown returned")
			}
			if err := a.Shutdown(context.Background()); err != nil {
				t.Errorf("second Shutdown = %v", err)
			}
			return nil
		})
	})
}

func TestActorShutdownContextEndsFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			var c counter
			a := dispatcher.NewActor(s, &c)
			finish := make(chan struct{})
			_ = a.Tell(func(*counter) { <-finish }) // running when ctx ends
			for range 10 {
				_ = a.Tell(func(c *counter) { c.n++ })
			}
			asked := make(chan error)
			go func() {
				_, err := dispatcher.Ask(context.Background(), a, func(*counter) (int, error) { return 0, nil })
				asked <- err
			}()
			synctest.Wait()
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			shut := make(chan error)
			go func() { shut <- a.Shutdown(ctx) }()
			time.Sleep(2 * time.Second) // fake time: ctx has ended
			synctest.Wait()
			select {
			case err := <-shut:
				t.Fatalf("Shutdown returned %v while a function still ran", err)
			default:
			}
			close(finish)
			if err := <-shut; !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Shutdown = %v, want DeadlineExceeded", err)
			}
			if c.n != 0 {
				t.Errorf("%d dropped functions ran", c.n)
			}
			if err := <-asked; !errors.Is(err, dispatcher.ErrClosed) {
				t.Errorf("dropped Ask = %v, want ErrClosed", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestActorShutdownFromItsOwnFunction(t *testing.T) {
	var c counter
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		a := dispatcher.NewActor(s, &c)
		result := make(chan error, 1)
		gate := make(chan struct{})
		_ = a.Tell(func(*counter) { <-gate; result <- a.Shutdown(context.Background()) })
		if err := a.Tell(func(c *counter) { c.n++ }); err != nil { // accepted before: runs
			t.Fatalf("Tell = %v", err)
		}
		close(gate)
		if err := within(t, result, "Shutdown from the actor"); err != nil {
			t.Errorf("Shutdown from the actor's function = %v, want nil", err)
		}
		within(t, a.Done(), "the actor to stop")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.n != 1 {
		t.Errorf("counter = %d, want 1: the function accepted before Shutdown must run", c.n)
	}
}

func TestActorAskItselfPanics(t *testing.T) {
	// An actor's function that Asks its own actor can never be answered:
	// it panics at once (failing the actor's scope) instead of waiting
	// until the caller's deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var askErr error
	v := mustPanic(t, func() {
		_ = scope.Supervised(ctx, func(s *scope.Scope) error {
			a := dispatcher.NewActor(s, &counter{})
			_, askErr = dispatcher.Ask(ctx, a, func(*counter) (int, error) {
				return dispatcher.Ask(ctx, a, func(c *counter) (int, error) { return c.n, nil })
			})
			return nil
		})
	})
	if ctx.Err() != nil {
		t.Fatal("the self-Ask waited for its deadline")
	}
	pe, ok := v.(*scope.PanicError)
	if !ok || !strings.Contains(fmt.Sprint(pe.Value), "Ask called from a function running on the same actor") {
		t.Fatalf("Supervised panicked with %v, want the self-Ask panic", v)
	}
	if !errors.As(askErr, &pe) {
		t.Errorf("outer Ask = %v, want the *scope.PanicError", askErr)
	}
}

func TestActorAskOtherActorFromFunction(t *testing.T) {
	// Not a self-Ask: one actor's function may Ask another actor.
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		a := dispatcher.NewActor(s, &counter{n: 1})
		b := dispatcher.NewActor(s, &counter{n: 2})
		n, err := dispatcher.Ask(context.Background(), a, func(c *counter) (int, error) {
			m, err := dispatcher.Ask(context.Background(), b, func(c *counter) (int, error) { return c.n, nil })
			return c.n + m, err
		})
		if n != 3 || err != nil {
			t.Errorf("Ask = %d, %v; want 3, nil", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestActorTellItselfIntoFullBlockingMailbox(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		a := dispatcher.NewActor(s, &counter{}, dispatcher.WithMailbox(1, dispatcher.Block))
		result := make(chan error, 2)
		_ = a.Tell(func(*counter) {
			result <- a.Tell(func(*counter) {}) // room for one
			result <- a.Tell(func(*counter) {}) // full: waiting would never end
		})
		if err := within(t, result, "first Tell"); err != nil {
			t.Errorf("Tell into room = %v", err)
		}
		if err := within(t, result, "second Tell"); !errors.Is(err, dispatcher.ErrFull) {
			t.Errorf("Tell into its own full mailbox = %v, want ErrFull", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
