package scope_test

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/corral-go/corral/scope"
)

// Finish sees the outcome after the scope recorded it: a supervised failure
// has cancelled the context with itself as the cause.
func TestStartFinishAfterTheScopeRecorded(t *testing.T) {
	boom := errors.New("boom")
	var finished, causeAtFinish error
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Start(scope.ForkSpec{Name: "job"}, &recordingJob{
			run:      func(context.Context) error { return boom },
			finished: &finished,
			onFinish: func() { causeAtFinish = context.Cause(s.Context()) },
		})
		return nil
	})
	if err != boom || finished != boom || causeAtFinish != boom {
		t.Fatalf("Supervised = %v, Finish = %v, cause at Finish = %v; want %v each", err, finished, causeAtFinish, boom)
	}
}

// Unsupervised jobs keep their failures, panics and Goexits to themselves:
// the scope is untouched, Finish hears each.
func TestStartUnsupervised(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		run  func(context.Context) error
		want func(error) bool
	}{
		{"error", func(context.Context) error { return boom }, func(err error) bool { return err == boom }},
		{"panic", func(context.Context) error { panic(boom) }, func(err error) bool {
			var pe *scope.PanicError
			return errors.As(err, &pe) && errors.Is(err, boom) && pe.Scope != ""
		}},
		{"Goexit", func(context.Context) error { runtime.Goexit(); return nil }, func(err error) bool {
			return errors.Is(err, scope.ErrGoexit)
		}},
	} {
		for _, daemon := range []bool{false, true} {
			var finished error
			err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
				s.Start(scope.ForkSpec{Unsupervised: true, Daemon: daemon}, &recordingJob{run: tc.run, finished: &finished})
				return nil
			})
			if err != nil || !tc.want(finished) {
				t.Errorf("%s (daemon %v): Supervised = %v, Finish = %v", tc.name, daemon, err, finished)
			}
		}
	}
}

// A Finish that panics fails the scope, and the fork still ends.
func TestStartFinishPanics(t *testing.T) {
	v := recovered(func() {
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Start(scope.ForkSpec{}, panickyFinish{})
			return nil
		})
	})
	if pe, ok := v.(*scope.PanicError); !ok || pe.Value != "finish bug" {
		t.Fatalf("panic = %v, want the *PanicError of Finish", v)
	}
}

type panickyFinish struct{}

func (panickyFinish) Run(context.Context) error { return nil }
func (panickyFinish) Finish(error)              { panic("finish bug") }
