package lostresult_test

import (
	"fmt"
	"strings"

	"github.com/corral-go/corral/cmd/corralvet/passes/lostresult"
)

// This example shows the analyzer's name, by which corralvet's flags,
// go vet -vettool and golangci-lint's settings refer to it, and the first
// line of its documentation (corralvet help lostresult prints all of it).
func ExampleAnalyzer() {
	doc, _, _ := strings.Cut(lostresult.Analyzer.Doc, "\n")
	fmt.Printf("%s: %s\n", lostresult.Analyzer.Name, doc)
	// Output: lostresult: check for dropped fork and task results that alone report a failure
}
