package rangeerr

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/corral-go/corral/cmd/corralvet/internal/corral"
	"github.com/corral-go/corral/cmd/corralvet/internal/edit"
)

// Analyzer is the rangeerr analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "rangeerr",
	Doc:      doc,
	URL:      "https://github.com/corral-go/corral/blob/main/docs/corralvet.md#rangeerr",
	Requires: []*analysis.Analyzer{inspect.Analyzer, corral.Funcs},
	Run:      run,
}

const doc = `check that a range over corral's All iterators reads the error

Source.All, Chan.All and every other corral function or method that returns
an iter.Seq2[T, error] yield one last pair (zero, err) when the stream or the
channel fails. A range loop with one variable, or none, compiles and turns that
failure into a phantom zero value. Write "for v, err := range" and check err;
"for v, _ := range" says on purpose that the error is ignored.`

func run(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	idx := pass.ResultOf[corral.Funcs].(*corral.Index)
	for cur := range ins.Root().Preorder((*ast.RangeStmt)(nil)) {
		rs := cur.Node().(*ast.RangeStmt)
		if rs.Value != nil {
			continue // two variables: the error is read, or dropped on purpose with _
		}
		callee := seqSource(pass.TypesInfo, idx, rs.X)
		if callee == nil || !isErrSeq2(pass.TypesInfo.TypeOf(rs.X)) {
			continue
		}
		var vars string
		if rs.Key == nil {
			vars = "no variables"
		} else {
			vars = "one variable"
		}
		d := analysis.Diagnostic{
			Pos: rs.For,
			End: rs.X.End(),
			Message: "range over " + corral.Describe(callee) + " with " + vars +
				" drops the error: a failure becomes a zero value and the loop ends as if the stream had ended; write v, err and check err",
		}
		if fix, ok := suggest(pass, cur, rs); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		pass.Report(d)
	}
	return nil, nil
}

// seqSource returns the corral function the ranged-over iterator comes from:
// the callee of x, or of the only assignment of the local variable x.
func seqSource(info *types.Info, idx *corral.Index, x ast.Expr) *types.Func {
	x = ast.Unparen(x)
	if id, ok := x.(*ast.Ident); ok {
		v, _ := info.Uses[id].(*types.Var)
		if v == nil || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
			return nil
		}
		x = ast.Unparen(idx.Source(v))
	}
	call, ok := x.(*ast.CallExpr)
	if !ok {
		return nil
	}
	fn := corral.Callee(info, call)
	if fn == nil || !corral.IsAPI(fn.Pkg()) {
		return nil
	}
	return fn
}

// isErrSeq2 reports whether t is iter.Seq2[T, error], or a function type
// that ranges the same way (func(yield func(T, error) bool)).
func isErrSeq2(t types.Type) bool {
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 1 || sig.Results().Len() != 0 {
		return false
	}
	yield, ok := sig.Params().At(0).Type().Underlying().(*types.Signature)
	if !ok || yield.Params().Len() != 2 || yield.Results().Len() != 1 {
		return false
	}
	return corral.IsError(yield.Params().At(1).Type())
}

// suggest builds the fix: a second variable, and a check at the top of the
// body that returns the error from the enclosing function.
func suggest(pass *analysis.Pass, cur inspector.Cursor, rs *ast.RangeStmt) (analysis.SuggestedFix, bool) {
	if rs.Tok == token.ASSIGN || rs.Body == nil {
		return analysis.SuggestedFix{}, false
	}
	info := pass.TypesInfo
	const name = "err"
	// A use of an outer err in the body would now see the loop's.
	shadows := false
	ast.Inspect(rs.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			if obj := info.Uses[id]; obj != nil && (obj.Pos() < rs.Pos() || obj.Pos() >= rs.End()) {
				shadows = true
			}
		}
		return !shadows
	})
	if shadows {
		return analysis.SuggestedFix{}, false
	}
	ret, ok := returnErr(pass, cur, name)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	src := edit.FileSource(pass, rs.Pos())
	indent := edit.Indent(pass.Fset, src, rs.Pos()) + "\t"
	check := "\n" + indent + "if " + name + " != nil {\n" + indent + "\t" + ret + "\n" + indent + "}"
	var edits []analysis.TextEdit
	if rs.Key == nil {
		edits = append(edits, analysis.TextEdit{Pos: rs.Range, End: rs.Range, NewText: []byte("_, " + name + " := ")})
	} else {
		edits = append(edits, analysis.TextEdit{Pos: rs.Key.End(), End: rs.Key.End(), NewText: []byte(", " + name)})
	}
	at := edit.LineEnd(pass.Fset, src, rs.Body)
	edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte(check)})
	return analysis.SuggestedFix{
		Message:   "Add the error variable and return it",
		TextEdits: edits,
	}, true
}

// returnErr writes the statement that returns err from the function
// enclosing cur, if that function returns an error last and its other
// results have zero values that are simple to write.
func returnErr(pass *analysis.Pass, cur inspector.Cursor, name string) (string, bool) {
	var sig *types.Signature
	for fc := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch fn := fc.Node().(type) {
		case *ast.FuncDecl:
			if obj, ok := pass.TypesInfo.Defs[fn.Name].(*types.Func); ok {
				sig = obj.Type().(*types.Signature)
			}
		case *ast.FuncLit:
			sig, _ = pass.TypesInfo.TypeOf(fn).(*types.Signature)
		}
		break
	}
	if sig == nil || sig.Results().Len() == 0 {
		return "", false
	}
	res := sig.Results()
	if !corral.IsError(res.At(res.Len() - 1).Type()) {
		return "", false
	}
	file := edit.FileOf(pass, cur.Node().Pos())
	if file == nil {
		return "", false
	}
	vals := make([]string, 0, res.Len())
	for i := range res.Len() - 1 {
		z, ok := edit.Zero(pass.Pkg, file, res.At(i).Type())
		if !ok {
			return "", false
		}
		vals = append(vals, z)
	}
	vals = append(vals, name)
	return "return " + strings.Join(vals, ", "), true
}
