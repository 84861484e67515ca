package jetstream_test

import (
	"context"
	"strings"
	"testing"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/source"
)

// nilCtx is a nil context, as a careless caller would pass.
var nilCtx context.Context

// Misuse panics at the call, naming the function and what to do.
func TestBadInputPanics(t *testing.T) {
	for _, tt := range []struct {
		name string
		give func()
		want string
	}{
		{"FromConsumer nil", func() { cjs.FromConsumer(nil, nil) }, "jetstream: FromConsumer called with nil js or consumer"},
		{"MaxOutstanding 1", func() { cjs.MaxOutstanding(1) }, "jetstream: MaxOutstanding called with n = 1; pass at least 2"},
		{"PullTimeout short", func() { cjs.PullTimeout(time.Millisecond) }, "jetstream: PullTimeout called with 1ms; pass at least 1s"},
		{"OnError nil", func() { cjs.OnError(nil) }, "jetstream: OnError called with nil f"},
		{"MaxDeliveries 0", func() { cjs.MaxDeliveries(0) }, "jetstream: MaxDeliveries called with n = 0"},
		{"RetryDelays nil", func() { cjs.RetryDelays(nil) }, "jetstream: RetryDelays called with nil BackOff"},
		{"DeadLetter nil", func() { cjs.DeadLetter(nil, "dead") }, "jetstream: DeadLetter called with nil js"},
		{"Settle nil ctx", func() { _ = cjs.NewAcker().Settle(nilCtx, nil, nil) }, "jetstream: Acker.Settle called with nil ctx"},
		{"Settle nil msg", func() { _ = cjs.NewAcker().Settle(context.Background(), nil, nil) }, "jetstream: Acker.Settle called with nil message"},
		{"Process nil", func() { cjs.Process[int](nil) }, "jetstream: Process called with nil f"},
		{"Wrap nil", func() { cjs.Wrap(nil) }, "jetstream: Wrap called with nil message"},
		{"Settle stage nil", func() { cjs.Settle(source.Empty[cjs.Result[int]](), nil) }, "jetstream: Settle called with nil Acker"},
		{"Publish nil js", func() { cjs.Publish(source.Of(1), nil, nil) }, "jetstream: Publish called with nil js"},
		{"MaxInFlight 0", func() { cjs.MaxInFlight(0) }, "jetstream: MaxInFlight called with n = 0"},
		{"AckTimeout 0", func() { cjs.AckTimeout(0) }, "jetstream: AckTimeout called with 0s"},
		{"PublishRetry nil", func() { cjs.PublishRetry(nil) }, "jetstream: PublishRetry called with nil BackOff"},
		{"RunPublish nil ctx", func() { _ = cjs.RunPublish[int](nilCtx, source.Of(1), nil, nil) }, "jetstream: RunPublish called with nil ctx"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				s, _ := r.(string)
				if !strings.HasPrefix(s, tt.want) {
					t.Fatalf("panic %v, want one starting %q", r, tt.want)
				}
			}()
			tt.give()
		})
	}
}
