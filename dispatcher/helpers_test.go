package dispatcher_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// trail records events from several goroutines; tests assert their order.
type trail struct {
	mu     sync.Mutex
	events []string
}

func (tr *trail) add(format string, args ...any) {
	tr.mu.Lock()
	tr.events = append(tr.events, fmt.Sprintf(format, args...))
	tr.mu.Unlock()
}

func (tr *trail) get() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return slices.Clone(tr.events)
}

// errs collects the errors passed to an onError.
type errs struct {
	mu   sync.Mutex
	list []error
	got  chan struct{} // receives one value per error
}

func newErrs() *errs { return &errs{got: make(chan struct{}, 1024)} }

func (e *errs) onError(err error) {
	e.mu.Lock()
	e.list = append(e.list, err)
	e.mu.Unlock()
	e.got <- struct{}{}
}

func (e *errs) all() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.list)
}

// within fails the test if ch is not closed or does not deliver within a
// generous bound: a safety net against hangs, never a synchronisation.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// wait is Task.Wait with the same safety net.
func wait(t *testing.T, w interface{ Wait(context.Context) error }) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := w.Wait(ctx)
	if ctx.Err() != nil {
		t.Fatal("timed out waiting for a task")
	}
	return err
}

// mustPanic runs f and returns the value it panicked with.
func mustPanic(t *testing.T, f func()) (v any) {
	t.Helper()
	defer func() { v = recover() }()
	f()
	t.Fatal("did not panic")
	return nil
}
