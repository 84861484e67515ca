package catch_test

import (
	"bytes"
	"errors"
	"runtime"
	"testing"

	"github.com/corral-go/corral/internal/catch"
)

func TestCallReturns(t *testing.T) {
	ran := false
	if p := catch.Call(func() { ran = true }, func() { t.Error("goexit called for a normal return") }); p != nil || !ran {
		t.Fatalf("Call = %v, ran = %v; want nil, true", p, ran)
	}
}

func TestCallPanic(t *testing.T) {
	boom := errors.New("boom")
	p := catch.Call(func() { panicker(boom) }, nil)
	if p == nil || p.Value != boom {
		t.Fatalf("Call = %+v, want the panic value %v", p, boom)
	}
	if !bytes.Contains(p.Stack, []byte("catch_test.panicker")) {
		t.Errorf("stack does not show the panicking frame:\n%s", p.Stack)
	}
}

func TestCallPanicNil(t *testing.T) {
	p := catch.Call(func() { panic(nil) }, func() { t.Error("panic(nil) taken for Goexit") })
	var pn *runtime.PanicNilError
	if p == nil || !errors.As(p.Value.(error), &pn) {
		t.Fatalf("Call = %+v, want a *runtime.PanicNilError", p)
	}
}

func TestCallGoexit(t *testing.T) {
	order := make(chan string, 3)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { order <- "outer defer" }()
		catch.Call(func() { runtime.Goexit() }, func() { order <- "goexit" })
		order <- "after Call" // never reached: the goroutine is exiting
	}()
	<-done
	close(order)
	var got []string
	for s := range order {
		got = append(got, s)
	}
	if len(got) != 2 || got[0] != "goexit" || got[1] != "outer defer" {
		t.Fatalf("events = %q, want [goexit outer defer]", got)
	}
}

// A nested Call inside goexit still catches a panic.
func TestCallInsideGoexit(t *testing.T) {
	var inner *catch.Panic
	done := make(chan struct{})
	go func() {
		defer close(done)
		catch.Call(runtime.Goexit, func() {
			inner = catch.Call(func() { panic("second") }, nil)
		})
	}()
	<-done
	if inner == nil || inner.Value != "second" {
		t.Fatalf("inner Call = %+v, want the panic %q", inner, "second")
	}
}

func TestCallAllocs(t *testing.T) {
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		catch.Call(func() { n++ }, nil)
	})
	if allocs != 0 {
		t.Errorf("Call allocates %v times per call, want 0", allocs)
	}
}

//go:noinline
func panicker(v any) { panic(v) }
