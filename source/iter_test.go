package source_test

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/corral-go/corral/source"
)

func TestAll(t *testing.T) {
	ctx := context.Background()
	var got []int
	for v, err := range source.Range(0, 3000, 1).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	equal(t, got, ints(3000))

	got = nil
	var errs []error
	for v, err := range failing(1, 2).All(ctx) {
		got = append(got, v)
		errs = append(errs, err)
	}
	equal(t, got, []int{1, 2, 0})
	equal(t, errs, []error{nil, nil, errBoom})
}

func TestAllBreakStopsPipeline(t *testing.T) {
	var trail []string
	src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		defer func() { trail = append(trail, "producer returned") }()
		for i := 0; ; i++ {
			if err := emit(i); err != nil {
				if errors.Is(err, source.ErrStop) {
					trail = append(trail, "ErrStop")
				}
				return err
			}
		}
	}).OnDone(func() { trail = append(trail, "done") })
	for v := range src.All(context.Background()) {
		if v == 2 {
			trail = append(trail, "break")
			break
		}
	}
	trail = append(trail, "after loop")
	equal(t, trail, []string{"break", "ErrStop", "producer returned", "after loop"})
}

func TestAllReuse(t *testing.T) {
	seq := source.Of(1, 2, 3).All(context.Background())
	for range 2 {
		var got []int
		for v := range seq {
			got = append(got, v)
		}
		equal(t, got, []int{1, 2, 3})
	}
}

func TestAllCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var last error
	for _, err := range source.Repeat(1).All(ctx) {
		if err != nil {
			last = err
			continue // the iterator must end by itself after the error
		}
		if n++; n == 5000 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("last error = %v, want context.Canceled", last)
	}
}

func TestAllBodyPanicKeepsValue(t *testing.T) {
	stopped := false
	src := source.Repeat(1).OnError(func(error) { stopped = true }).OnDone(func() { stopped = true })
	v := mustPanic(t, func() {
		for range src.All(context.Background()) {
			panic(errBoom)
		}
	})
	if v != errBoom {
		t.Errorf("panicked with %T %v, want the loop body's own value", v, v)
	}
	if stopped {
		t.Error("the pipeline saw an end it should not have")
	}
}

func TestAllPipelinePanic(t *testing.T) {
	src := source.Map(source.Of(1, 2), func(v int) int {
		if v == 2 {
			panic("boom")
		}
		return v
	})
	var got []int
	pe := panicError(t, func() {
		for v := range src.All(context.Background()) {
			got = append(got, v)
		}
	})
	if pe.Value != "boom" {
		t.Errorf("PanicError.Value = %v", pe.Value)
	}
	equal(t, got, []int{1})
}

func TestAllBodyGoexit(t *testing.T) {
	done := make(chan struct{})
	reached := false
	go func() {
		defer close(done)
		for range source.Repeat(1).All(context.Background()) {
			runtime.Goexit()
		}
		reached = true
	}()
	<-done
	if reached {
		t.Error("the loop went on after runtime.Goexit")
	}
}
