// Package retry is a stub of github.com/corral-go/corral/retry.
package retry

import "context"

type Option interface{ apply() }

func Do(ctx context.Context, op func(ctx context.Context) error, opts ...Option) error { return nil }
