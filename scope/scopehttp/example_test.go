package scopehttp_test

import (
	"os"
	"time"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/scope/scopehttp"
)

// This example demonstrates the text rendering of a snapshot, as the debug
// endpoint serves it.
func ExampleWriteText() {
	snap := []scope.Info{{
		Name: `scope "server"`, State: "running", Age: 3 * time.Second,
		Forks: []scope.ForkInfo{{Name: "accept", Function: "main.accept", Kind: "daemon",
			File: "main.go", Line: 42, Running: 3 * time.Second}},
		Children: []scope.Info{{Name: `scope "conn"`, State: "cancelling", Age: time.Second, Cause: "scope: ended"}},
	}}
	scopehttp.WriteText(os.Stdout, snap)
	// Output:
	// scope "server": running for 3s
	//   daemon fork "accept" (main.accept) started at main.go:42, running for 3s
	//   scope "conn": cancelling for 1s, cause: scope: ended
}
