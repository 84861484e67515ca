package fork_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/timeout"
)

// This example demonstrates a hedged call: the first replica is slow, so
// after the delay Hedge asks a second one, whose answer wins; the slow call
// is cancelled, and Hedge waits for it before it returns.
func ExampleHedge() {
	replicas := []time.Duration{time.Second, 10 * time.Millisecond} // how long each replica takes
	var next atomic.Int32
	lookup := func(ctx context.Context) (string, error) {
		i := next.Add(1) - 1
		select {
		case <-time.After(replicas[i]):
			return fmt.Sprintf("answer from replica %d", i), nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	v, err := fork.Hedge(context.Background(), 50*time.Millisecond, 2, lookup)
	fmt.Println(v, err)
	// Output: answer from replica 1 <nil>
}

// This example demonstrates shared calls: ten requests for the same user,
// arriving while the backend is still busy with the first, make one call to
// the backend, and all ten get its result.
func ExampleShared() {
	const requests = 10
	var arrived, backendCalls atomic.Int32
	fetchUser := func(ctx context.Context) (string, error) {
		backendCalls.Add(1)
		// The backend is slow: every request arrives meanwhile.
		for arrived.Load() < requests {
			if err := timeout.Sleep(ctx, time.Millisecond); err != nil {
				return "", err
			}
		}
		if err := timeout.Sleep(ctx, 50*time.Millisecond); err != nil {
			return "", err
		}
		return "Ada", nil
	}
	var got atomic.Int32
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		users := fork.NewShared[string](s)
		for range requests {
			s.Go(func(ctx context.Context) error {
				arrived.Add(1)
				name, err := users.Do(ctx, "user:1", fetchUser)
				if name == "Ada" {
					got.Add(1)
				}
				return err
			})
		}
		return nil
	})
	fmt.Println("error:", err, "answers:", got.Load(), "backend calls:", backendCalls.Load())
	// Output: error: <nil> answers: 10 backend calls: 1
}
