package edit

import (
	"go/ast"
	"go/printer"
	"go/token"
	"io"
)

func formatNode(w io.Writer, fset *token.FileSet, n ast.Node) error {
	return printer.Fprint(w, fset, n)
}
