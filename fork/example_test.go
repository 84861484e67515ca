package fork_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// This example demonstrates starting typed forks with New and joining them
// for their results. Supervised does not return before both forks have.
func ExampleNew() {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		price := fork.New(s, func(ctx context.Context) (int, error) { return 40, nil })
		shipping := fork.New(s, func(ctx context.Context) (int, error) { return 2, nil })

		p, err := price.Join()
		if err != nil {
			return err
		}
		sh, err := shipping.Join()
		if err != nil {
			return err
		}
		fmt.Println("total:", p+sh)
		return nil
	})
	fmt.Println("err:", err)
	// Output:
	// total: 42
	// err: <nil>
}

// This example demonstrates that a failing fork fails its scope: the other
// forks see their context cancelled, with the failure as the cause.
func ExampleNew_failure() {
	errNotFound := errors.New("user not found")
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		orders := fork.New(s, func(ctx context.Context) (int, error) {
			<-ctx.Done() // a slow call, given up when a sibling fails
			return 0, context.Cause(ctx)
		})
		fork.New(s, func(ctx context.Context) (string, error) { return "", errNotFound })

		_, err := orders.Join()
		fmt.Println("orders:", err)
		return nil
	})
	fmt.Println("scope:", err)
	// Output:
	// orders: user not found
	// scope: user not found
}

// This example demonstrates an unsupervised fork: its error is reported only
// to the code that joins it, which can fall back, and the scope succeeds.
func ExampleUnsupervised() {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		cached := fork.Unsupervised(s, func(ctx context.Context) (string, error) {
			return "", errors.New("cache miss")
		})
		if _, err := cached.Join(); err != nil {
			fmt.Println("falling back after:", err)
		}
		return nil
	})
	fmt.Println("scope:", err)
	// Output:
	// falling back after: cache miss
	// scope: <nil>
}

// This example demonstrates cancelling one fork without touching its scope:
// Join reports context.Canceled and the scope carries on.
func ExampleCancellable() {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		poll := fork.Cancellable(s, func(ctx context.Context) (int, error) {
			<-ctx.Done() // polls until told to stop
			return 0, ctx.Err()
		})
		poll.Cancel()
		_, err := poll.Join()
		fmt.Println("poll:", err)
		fmt.Println("scope running:", s.Context().Err() == nil)
		return nil
	})
	fmt.Println("scope:", err)
	// Output:
	// poll: context canceled
	// scope running: true
	// scope: <nil>
}

// This example demonstrates Par: the tasks run at once, and the results come
// back in the order of the tasks, whichever finishes first.
func ExamplePar() {
	length := func(word string) func(context.Context) (int, error) {
		return func(context.Context) (int, error) { return len(word), nil }
	}
	lengths, err := fork.Par(context.Background(), length("structured"), length("concurrency"), length("go"))
	fmt.Println(lengths, err)
	// Output: [10 11 2] <nil>
}

// This example demonstrates Map: f runs on every element, with at most two
// calls at once, and the results keep the order of the input.
func ExampleMap() {
	words := []string{"fork", "join", "race", "scope"}
	upper, err := fork.Map(context.Background(), 2, words, func(ctx context.Context, w string) (string, error) {
		return strings.ToUpper(w), nil
	})
	fmt.Println(upper, err)
	// Output: [FORK JOIN RACE SCOPE] <nil>
}

// This example demonstrates Race: the first task to succeed wins, failures
// before it are ignored, and the slower tasks are cancelled and awaited.
func ExampleRace() {
	v, err := fork.Race(context.Background(),
		func(ctx context.Context) (string, error) { return "", errors.New("primary down") },
		func(ctx context.Context) (string, error) { return "from replica", nil },
		func(ctx context.Context) (string, error) {
			<-ctx.Done() // a slow replica, cancelled once another task wins
			return "", ctx.Err()
		},
	)
	fmt.Println(v, err)
	// Output: from replica <nil>
}
