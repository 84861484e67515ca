package passes

import (
	"golang.org/x/tools/go/analysis"

	"github.com/corral-go/corral/cmd/corralvet/passes/dropcancel"
	"github.com/corral-go/corral/cmd/corralvet/passes/forkctx"
	"github.com/corral-go/corral/cmd/corralvet/passes/goescape"
	"github.com/corral-go/corral/cmd/corralvet/passes/lostresult"
	"github.com/corral-go/corral/cmd/corralvet/passes/rangeerr"
	"github.com/corral-go/corral/cmd/corralvet/passes/scopeescape"
)

// Analyzers returns corralvet's analyzers, in the order of the
// documentation (docs/corralvet.md). Each call returns a new slice of the
// same analyzers.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		rangeerr.Analyzer,
		goescape.Analyzer,
		forkctx.Analyzer,
		scopeescape.Analyzer,
		lostresult.Analyzer,
		dropcancel.Analyzer,
	}
}
