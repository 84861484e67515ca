package rangeerr_test

import (
	"fmt"
	"strings"

	"github.com/corral-go/corral/cmd/corralvet/passes/rangeerr"
)

// This example shows the analyzer's name, by which corralvet's flags,
// go vet -vettool and golangci-lint's settings refer to it, and the first
// line of its documentation (corralvet help rangeerr prints all of it).
func ExampleAnalyzer() {
	doc, _, _ := strings.Cut(rangeerr.Analyzer.Doc, "\n")
	fmt.Printf("%s: %s\n", rangeerr.Analyzer.Name, doc)
	// Output: rangeerr: check that a range over corral's All iterators reads the error
}
