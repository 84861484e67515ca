package forkctx_test

import (
	"fmt"
	"strings"

	"github.com/corral-go/corral/cmd/corralvet/passes/forkctx"
)

// This example shows the analyzer's name, by which corralvet's flags,
// go vet -vettool and golangci-lint's settings refer to it, and the first
// line of its documentation (corralvet help forkctx prints all of it).
func ExampleAnalyzer() {
	doc, _, _ := strings.Cut(forkctx.Analyzer.Doc, "\n")
	fmt.Printf("%s: %s\n", forkctx.Analyzer.Name, doc)
	// Output: forkctx: check for fork functions that never read their ctx but block
}
