package dispatcher_test

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// A task that calls runtime.Goexit (as t.FailNow does) fails, and only that
// task: its onError or handle hears an error matching scope.ErrGoexit, once;
// the outer scope and the dispatcher are untouched and keep serving.
func TestGoexitInTaskIsTheTasksFailure(t *testing.T) {
	for _, opts := range [][]dispatcher.Option{nil, {dispatcher.WithLimit(1)}} {
		e := newErrs()
		err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, opts...)
			for range 3 {
				if err := d.RunAsync(func(*scope.Scope) error { runtime.Goexit(); return nil }, e.onError); err != nil {
					t.Fatalf("RunAsync = %v", err)
				}
			}
			for range 3 {
				within(t, e.got, "onError")
			}
			h := d.Submit(func(*scope.Scope) error { runtime.Goexit(); return nil })
			if err := wait(t, h); !errors.Is(err, scope.ErrGoexit) {
				t.Errorf("Submit: Wait = %v, want an error matching scope.ErrGoexit", err)
			}
			// The dispatcher keeps serving, with its slot handed on.
			if err := wait(t, d.Submit(noop)); err != nil {
				t.Errorf("a later task: Wait = %v", err)
			}
			if err := s.Context().Err(); err != nil {
				t.Errorf("the outer scope was cancelled: %v", context.Cause(s.Context()))
			}
			return nil
		})
		if err != nil {
			t.Errorf("Supervised = %v, want nil", err)
		}
		got := e.all()
		if len(got) != 3 {
			t.Errorf("onError called %d times, want 3", len(got))
		}
		for _, err := range got {
			if !errors.Is(err, scope.ErrGoexit) {
				t.Errorf("onError(%v), want an error matching scope.ErrGoexit", err)
			}
		}
	}
}

func TestGoexitInTaskWithNilOnErrorFailsOuter(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s)
		_ = d.RunAsync(func(*scope.Scope) error { runtime.Goexit(); return nil }, nil)
		<-s.Context().Done()
		return nil
	})
	if !errors.Is(err, scope.ErrGoexit) {
		t.Fatalf("Supervised = %v, want an error matching scope.ErrGoexit", err)
	}
}

func TestGoexitInTaskDuringShutdown(t *testing.T) {
	e := newErrs()
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		d := dispatcher.New(s, dispatcher.WithLimit(1))
		gate := make(chan struct{})
		_ = d.RunAsync(func(*scope.Scope) error { <-gate; runtime.Goexit(); return nil }, e.onError)
		var ran bool
		_ = d.RunAsync(func(*scope.Scope) error { ran = true; return nil }, e.onError) // queued
		close(gate)
		if err := d.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown = %v", err)
		}
		if !ran {
			t.Error("the queued task did not run after the Goexit freed the slot")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.all(); len(got) != 1 || !errors.Is(got[0], scope.ErrGoexit) {
		t.Errorf("onError got %v, want one ErrGoexit", got)
	}
}

// An onError that panics fails the outer scope with that panic, reported by
// the scope with its stack, as a fork's panic would be; the dispatcher's
// other work goes on until the scope ends.
func TestPanickingOnError(t *testing.T) {
	var mu sync.Mutex
	var heard []string
	v := mustPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(1))
			_ = d.RunAsync(func(*scope.Scope) error { return errors.New("boom") }, func(err error) {
				panic("onError: " + err.Error())
			})
			<-s.Context().Done()
			return nil
		})
	})
	pe, ok := v.(*scope.PanicError)
	if !ok || pe.Value != "onError: boom" {
		t.Fatalf("Supervised panicked with %v, want the onError's panic", v)
	}
	if !strings.Contains(string(pe.Stack), "TestPanickingOnError") {
		t.Errorf("the panic's stack does not show the onError:\n%s", pe.Stack)
	}

	// Dropped tasks: a panicking onError does not keep the others from
	// hearing about their tasks.
	v = mustPanic(t, func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			d := dispatcher.New(s, dispatcher.WithLimit(1))
			release := occupy(t, d) // until a was dropped: a, b and c wait
			for _, name := range []string{"a", "b", "c"} {
				_ = d.RunAsync(noop, func(err error) {
					mu.Lock()
					heard = append(heard, name)
					mu.Unlock()
					switch name {
					case "a":
						close(release)
					case "b":
						panic("onError b")
					}
				})
			}
			return nil // the end drops a, b and c
		})
	})
	if pe, ok := v.(*scope.PanicError); !ok || pe.Value != "onError b" {
		t.Fatalf("Supervised panicked with %v, want onError b's panic", v)
	}
	if !slices.Equal(heard, []string{"a", "b", "c"}) {
		t.Errorf("onError heard %q, want a, b and c", heard)
	}
}
