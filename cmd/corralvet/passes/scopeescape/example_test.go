package scopeescape_test

import (
	"fmt"
	"strings"

	"github.com/corral-go/corral/cmd/corralvet/passes/scopeescape"
)

// This example shows the analyzer's name, by which corralvet's flags,
// go vet -vettool and golangci-lint's settings refer to it, and the first
// line of its documentation (corralvet help scopeescape prints all of it).
func ExampleAnalyzer() {
	doc, _, _ := strings.Cut(scopeescape.Analyzer.Doc, "\n")
	fmt.Printf("%s: %s\n", scopeescape.Analyzer.Name, doc)
	// Output: scopeescape: check for a *scope.Scope that outlives its scope
}
