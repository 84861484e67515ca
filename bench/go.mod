module github.com/corral-go/corral/bench

go 1.26.0

replace github.com/corral-go/corral => ../

require (
	github.com/corral-go/corral v0.0.0-00010101000000-000000000000
	github.com/sourcegraph/conc v0.3.0
	golang.org/x/sync v0.25.0
)

require (
	github.com/cenkalti/backoff/v4 v4.3.0 // indirect
	go.uber.org/atomic v1.7.0 // indirect
	go.uber.org/multierr v1.9.0 // indirect
	golang.org/x/time v0.16.0 // indirect
)
