package lostresult

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/corral-go/corral/cmd/corralvet/internal/corral"
)

// Analyzer is the lostresult analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "lostresult",
	Doc:      doc,
	URL:      "https://github.com/corral-go/corral/blob/main/docs/corralvet.md#lostresult",
	Requires: []*analysis.Analyzer{inspect.Analyzer, corral.Funcs},
	Run:      run,
}

const doc = `check for dropped fork and task results that alone report a failure

An unsupervised or cancellable fork reports its failure only by Join, a task
from Dispatcher.Submit only by Task.Wait. Reported: those calls used as
statements, and fork.Unsupervised, fork.Cancellable and Submit calls whose
handle is dropped. Join on a fork from fork.New or fork.Daemon only waits (its
failure fails the scope) and is not reported; neither is an assignment to _.`

func run(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	idx := pass.ResultOf[corral.Funcs].(*corral.Index)
	filter := []ast.Node{(*ast.ExprStmt)(nil), (*ast.GoStmt)(nil), (*ast.DeferStmt)(nil)}
	for cur := range ins.Root().Preorder(filter...) {
		var call *ast.CallExpr
		switch s := cur.Node().(type) {
		case *ast.ExprStmt:
			call, _ = ast.Unparen(s.X).(*ast.CallExpr)
		case *ast.GoStmt:
			call = s.Call
		case *ast.DeferStmt:
			call = s.Call
		}
		if call == nil {
			continue
		}
		if msg := check(pass.TypesInfo, idx, call); msg != "" {
			pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: msg})
		}
	}
	return nil, nil
}

// check returns the message for a call whose results are dropped, or "".
func check(info *types.Info, idx *corral.Index, call *ast.CallExpr) string {
	fn := corral.Callee(info, call)
	if fn == nil {
		return ""
	}
	switch {
	case corral.IsMethod(fn, corral.ForkPkg, "CancellableFork", "Join"):
		return "result of Join dropped: a cancellable fork reports its failure only by Join, so it is lost; check the error"
	case corral.IsMethod(fn, corral.ForkPkg, "Fork", "Join"):
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && unsupervised(info, idx, sel.X, 0) {
			return "result of Join dropped: an unsupervised fork reports its failure only by Join, so it is lost; check the error"
		}
	case corral.IsMethod(fn, corral.DispatcherPkg, "Task", "Wait"):
		return "result of Task.Wait dropped: a submitted task reports its failure only by Wait, so it is lost; check the error"
	case corral.IsFunc(fn, corral.ForkPkg, "Unsupervised"):
		return "fork from fork.Unsupervised dropped: it reports its failure only by Join, so the failure is lost; keep the fork and join it, or start it with fork.New (or Scope.Go) so that its failure fails the scope"
	}
	if !corral.IsAPI(fn.Pkg()) {
		return ""
	}
	res := fn.Type().(*types.Signature).Results()
	if res.Len() != 1 {
		return ""
	}
	switch t := res.At(0).Type(); {
	case corral.IsNamed(t, corral.ForkPkg, "CancellableFork"):
		return "fork from " + corral.Describe(fn) + " dropped: it can no longer be cancelled, and it reports its failure only by Join, so the failure is lost; keep the fork"
	case corral.IsNamed(t, corral.DispatcherPkg, "Task"):
		return "task handle from " + corral.Describe(fn) + " dropped: the task reports its failure only by Task.Wait, so the failure is lost; keep the task and check Wait, or use RunAsync with an onError function"
	}
	return ""
}

// unsupervised reports whether x is a fork started by fork.Unsupervised:
// the call itself, or a variable every assignment of which is such a call.
func unsupervised(info *types.Info, idx *corral.Index, x ast.Expr, depth int) bool {
	if depth > 4 {
		return false
	}
	x = ast.Unparen(x)
	if id, ok := x.(*ast.Ident); ok {
		v, _ := info.Uses[id].(*types.Var)
		if v == nil {
			return false
		}
		srcs, ok := idx.Sources(v)
		if !ok {
			return false
		}
		for _, src := range srcs {
			if !unsupervised(info, idx, src, depth+1) {
				return false
			}
		}
		return true
	}
	call, ok := x.(*ast.CallExpr)
	return ok && corral.IsFunc(corral.Callee(info, call), corral.ForkPkg, "Unsupervised")
}
