// Package timeout is a stub of github.com/corral-go/corral/timeout.
package timeout

import (
	"context"
	"time"
)

func Do(ctx context.Context, d time.Duration, f func(ctx context.Context) error) error { return nil }
func Sleep(ctx context.Context, d time.Duration) error                                 { return nil }
