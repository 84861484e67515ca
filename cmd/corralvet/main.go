package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/corral-go/corral/cmd/corralvet/passes"
)

func main() { multichecker.Main(passes.Analyzers()...) }
