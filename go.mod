module github.com/corral-go/corral

go 1.26.0

require (
	github.com/cenkalti/backoff/v4 v4.3.0
	go.uber.org/goleak v1.3.0
)

require golang.org/x/sync v0.25.0
