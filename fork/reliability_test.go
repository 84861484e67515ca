package fork_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// Issue 11, item 2: Join publishes a fork's failure only after its scope has
// recorded it. A body that joins a failed fork and returns the error wrapped
// is then an echo, and the scope returns the fork's error alone (before the
// fix, about 1 run in 3,000 returned "wrapped: boom\nboom").
func TestJoinSeesFailureAfterTheScope(t *testing.T) {
	for _, kind := range []struct {
		name  string
		start func(*scope.Scope, func(context.Context) (int, error)) *fork.Fork[int]
	}{
		{"Daemon", func(s *scope.Scope, f func(context.Context) (int, error)) *fork.Fork[int] { return fork.Daemon(s, f) }},
		{"New", func(s *scope.Scope, f func(context.Context) (int, error)) *fork.Fork[int] { return fork.New(s, f) }},
	} {
		t.Run(kind.name, func(t *testing.T) {
			for i := range 5000 {
				err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
					_, err := kind.start(s, func(context.Context) (int, error) { return 0, errBoom }).Join()
					return fmt.Errorf("wrapped: %w", err)
				})
				if err != errBoom {
					t.Fatalf("run %d: Supervised = %q, want %q alone", i, err, errBoom)
				}
			}
		})
	}
}

// Issue 11, item 3: once a call of Map or ParLimit has failed, no further
// call starts. (TestClaimerStop checks the mechanism that makes this hold
// when workers run at once.)
func TestMapStartsNothingAfterAFailure(t *testing.T) {
	for _, limit := range []int{1, 3} {
		var calls atomic.Int32
		_, err := fork.Map(context.Background(), limit, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, func(ctx context.Context, v int) (int, error) {
			calls.Add(1)
			if v == 0 {
				return 0, errBoom
			}
			<-ctx.Done() // the calls running beside the failure end with it
			return 0, ctx.Err()
		})
		if err != errBoom {
			t.Fatalf("limit %d: Map = %v, want %v", limit, err, errBoom)
		}
		if got := calls.Load(); got > int32(limit) {
			t.Errorf("limit %d: %d calls started, want at most %d: none after the failure", limit, got, limit)
		}
	}
}

// A panicking call stops the workers as an error does.
func TestMapStopsAfterAPanic(t *testing.T) {
	var calls atomic.Int32
	v := catch(func() {
		_, _ = fork.Map(context.Background(), 1, make([]int, 10), func(context.Context, int) (int, error) {
			calls.Add(1)
			panic("bug")
		})
	})
	if asPanicError(t, v); calls.Load() != 1 {
		t.Fatalf("%d calls ran with limit 1, want 1: none after the panic", calls.Load())
	}
}

// Issue 11, item 7: Join of a fork that called runtime.Goexit reports
// scope.ErrGoexit, which errors.Is recognises.
func TestJoinGoexitIsErrGoexit(t *testing.T) {
	_ = scope.Supervised(context.Background(), func(s *scope.Scope) error {
		_, err := fork.Unsupervised(s, func(context.Context) (int, error) { runtime.Goexit(); return 0, nil }).Join()
		if !errors.Is(err, scope.ErrGoexit) {
			t.Errorf("Join = %v, want ErrGoexit", err)
		}
		return nil
	})
}

// Issue 11, item 15: bad input panics at the call with a message that names
// the function and the argument and says what to do.
func TestBadInputMessages(t *testing.T) {
	nilCtx := context.Context(nil)
	task := func(context.Context) (int, error) { return 0, nil }
	for _, tc := range []struct {
		name string
		give func()
		want string
	}{
		{"New nil scope", func() { fork.New(nil, task) }, "fork: New called with nil s; pass the *scope.Scope"},
		{"Daemon nil scope", func() { fork.Daemon(nil, task) }, "fork: Daemon called with nil s"},
		{"Unsupervised nil scope", func() { fork.Unsupervised(nil, task) }, "fork: Unsupervised called with nil s"},
		{"Cancellable nil scope", func() { fork.Cancellable(nil, task) }, "fork: Cancellable called with nil s"},
		{"Par nil ctx", func() { _, _ = fork.Par(nilCtx, task) }, "fork: Par called with nil ctx; pass context.Background()"},
		{"ParLimit nil ctx", func() { _, _ = fork.ParLimit(nilCtx, 1, task) }, "fork: ParLimit called with nil ctx"},
		{"Map nil ctx", func() {
			_, _ = fork.Map(nilCtx, 1, []int{1}, func(context.Context, int) (int, error) { return 0, nil })
		},
			"fork: Map called with nil ctx"},
		{"Race nil ctx", func() { _, _ = fork.Race(nilCtx, task) }, "fork: Race called with nil ctx"},
		{"RaceResult nil ctx", func() { _, _ = fork.RaceResult(nilCtx, task) }, "fork: RaceResult called with nil ctx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := catch(tc.give)
			msg, _ := v.(string)
			if !strings.HasPrefix(msg, tc.want) {
				t.Errorf("panic = %v, want it to start with %q", v, tc.want)
			}
		})
	}
}
