package gclplugin_test

import (
	"fmt"

	"github.com/corral-go/corral/cmd/corralvet/gclplugin"
)

// This example builds the plugin as golangci-lint does, with the settings
// of .golangci.yml decoded from YAML, here turning forkctx off.
func ExampleNew() {
	p, err := gclplugin.New(map[string]any{"disable": []any{"forkctx"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	as, _ := p.BuildAnalyzers()
	for _, a := range as {
		fmt.Println(a.Name)
	}
	// Output:
	// rangeerr
	// goescape
	// scopeescape
	// lostresult
	// dropcancel
}
