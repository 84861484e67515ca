package goescape_test

import (
	"fmt"
	"strings"

	"github.com/corral-go/corral/cmd/corralvet/passes/goescape"
)

// This example shows the analyzer's name, by which corralvet's flags,
// go vet -vettool and golangci-lint's settings refer to it, and the first
// line of its documentation (corralvet help goescape prints all of it).
func ExampleAnalyzer() {
	doc, _, _ := strings.Cut(goescape.Analyzer.Doc, "\n")
	fmt.Printf("%s: %s\n", goescape.Analyzer.Name, doc)
	// Output: goescape: check for go statements that escape a scope
}
