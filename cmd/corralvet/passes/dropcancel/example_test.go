package dropcancel_test

import (
	"fmt"
	"strings"

	"github.com/corral-go/corral/cmd/corralvet/passes/dropcancel"
)

// This example shows the analyzer's name, by which corralvet's flags,
// go vet -vettool and golangci-lint's settings refer to it, and the first
// line of its documentation (corralvet help dropcancel prints all of it).
func ExampleAnalyzer() {
	doc, _, _ := strings.Cut(dropcancel.Analyzer.Doc, "\n")
	fmt.Printf("%s: %s\n", dropcancel.Analyzer.Name, doc)
	// Output: dropcancel: check that register functions return the cancel func they get
}
