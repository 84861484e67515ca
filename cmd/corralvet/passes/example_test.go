package passes_test

import (
	"fmt"

	"github.com/corral-go/corral/cmd/corralvet/passes"
)

// This example lists corralvet's analyzers, for a driver of one's own such
// as multichecker.Main(passes.Analyzers()...).
func ExampleAnalyzers() {
	for _, a := range passes.Analyzers() {
		fmt.Println(a.Name)
	}
	// Output:
	// rangeerr
	// goescape
	// forkctx
	// scopeescape
	// lostresult
	// dropcancel
}
