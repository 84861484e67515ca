module github.com/corral-go/corral/examples/wsecho

go 1.26.0

replace github.com/corral-go/corral => ../..

require (
	github.com/coder/websocket v1.8.15
	github.com/corral-go/corral v0.0.0-00010101000000-000000000000
	go.uber.org/goleak v1.3.0
)

require (
	github.com/cenkalti/backoff/v4 v4.3.0 // indirect
	golang.org/x/time v0.16.0 // indirect
)
