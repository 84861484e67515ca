package scope_test

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/corral-go/corral/scope"
)

// A Goexit in a fork fails the scope with ErrGoexit (issue 11, item 7: the
// sentinel is exported, so that callers need not match the text).
func TestGoexitInForkFailsScope(t *testing.T) {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		s.Go(func(context.Context) error { runtime.Goexit(); return nil })
		return nil
	})
	if !errors.Is(err, scope.ErrGoexit) {
		t.Errorf("Supervised() = %v, want a failure naming Goexit", err)
	}
}

func TestGoexitInBodyStillEndsScope(t *testing.T) {
	forkEnded := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
			s.Go(func(ctx context.Context) error {
				<-ctx.Done() // cancelled because the body failed by Goexit
				close(forkEnded)
				return nil
			})
			runtime.Goexit()
			return nil
		})
	}()
	<-done
	select {
	case <-forkEnded:
	default:
		t.Error("the body's goroutine exited before its scope's fork ended")
	}
}
