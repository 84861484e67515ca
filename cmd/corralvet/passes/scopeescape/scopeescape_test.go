package scopeescape_test

import (
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/corral-go/corral/cmd/corralvet/passes/scopeescape"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestAnalyzer(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, scopeescape.Analyzer, "scopeescape")
}
