package fork_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// A fork whose goroutine calls runtime.Goexit (as t.FailNow does) must not
// look like a success, nor hang its scope.
func TestGoexitIsNotASuccess(t *testing.T) {
	var joinErr error
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		f := fork.Unsupervised(s, func(context.Context) (int, error) { runtime.Goexit(); return 1, nil })
		_, joinErr = f.Join()
		return nil
	})
	if err != nil || joinErr == nil {
		t.Fatalf("scope = %v, Join = %v; want the scope untouched and Join to report the Goexit", err, joinErr)
	}
	err = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		fork.New(s, func(context.Context) (int, error) { runtime.Goexit(); return 1, nil })
		return nil
	})
	if err == nil {
		t.Fatal("a supervised fork that called Goexit did not fail its scope")
	}
}
