package dropcancel

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/corral-go/corral/cmd/corralvet/internal/corral"
)

// Analyzer is the dropcancel analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "dropcancel",
	Doc:      doc,
	URL:      "https://github.com/corral-go/corral/blob/main/docs/corralvet.md#dropcancel",
	Requires: []*analysis.Analyzer{corral.Funcs},
	Run:      run,
}

const doc = `check that register functions return the cancel func they get

The register function of dispatcher.Await (and of source.FromCallback) returns
a func() that cancels the operation it started, or nil if it cannot be
cancelled. Reported: a register function that always returns nil although a
call in it returned a canceller (a func(), a context.CancelFunc, a value with a
Cancel() or Stop() method), which then runs on after ctx ended.`

func run(pass *analysis.Pass) (any, error) {
	idx := pass.ResultOf[corral.Funcs].(*corral.Index)
	for _, f := range idx.Funcs {
		if f.Roles&corral.RoleRegister == 0 || f.CancelResult < 0 || f.Body() == nil {
			continue
		}
		check(pass, f)
	}
	return nil, nil
}

// A canceller is a value from a call in the register function that can
// cancel what the call started.
type canceller struct {
	call *ast.CallExpr
	v    *types.Var    // the variable it is kept in; nil if dropped
	stmt *ast.ExprStmt // the statement that drops it; nil if kept
	t    types.Type
	expr func(name string) string // how to return it, given v's name
}

func check(pass *analysis.Pass, f *corral.Func) {
	info := pass.TypesInfo
	var returns []*ast.ReturnStmt
	allNil := true
	corral.WalkOwn(f.Body(), func(n ast.Node) bool {
		r, ok := n.(*ast.ReturnStmt)
		if !ok {
			return true
		}
		returns = append(returns, r)
		if len(r.Results) != f.Sig.Results().Len() || !isNil(info, r.Results[f.CancelResult]) {
			allNil = false
		}
		return true
	})
	if len(returns) == 0 || !allNil {
		return
	}
	c := findCanceller(info, f.Body())
	if c == nil || c.v != nil && callsItself(info, f.Body(), c.v) {
		return
	}
	what := "a " + types.TypeString(c.t, types.RelativeTo(pass.Pkg))
	if fn := corral.Callee(info, c.call); fn != nil {
		what += " from " + qualified(fn)
	}
	d := analysis.Diagnostic{
		Pos: c.call.Pos(),
		End: c.call.End(),
		Message: f.What() + " returns a nil cancel func, yet it holds " + what +
			" that could cancel the operation: return it, so that the operation stops when ctx ends",
	}
	if c.stmt != nil {
		if fix, ok := keepDropped(pass, f, c, returns); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	if c.v != nil {
		var edits []analysis.TextEdit
		for _, r := range returns {
			if r.Pos() < c.v.Pos() {
				continue
			}
			if sc := pass.Pkg.Scope().Innermost(r.Pos()); sc != nil {
				if _, obj := sc.LookupParent(c.v.Name(), r.Pos()); obj != c.v {
					continue
				}
			}
			if failing(info, f, r) {
				continue // the operation did not start
			}
			res := r.Results[f.CancelResult]
			edits = append(edits, analysis.TextEdit{Pos: res.Pos(), End: res.End(), NewText: []byte(c.expr(c.v.Name()))})
		}
		if len(edits) > 0 {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Return " + c.expr(c.v.Name()) + " as the cancel func",
				TextEdits: edits,
			}}
		}
	}
	pass.Report(d)
}

// keepDropped builds the fix for a canceller whose call is a statement:
// "return call()" if the call is followed by the only return left, or else
// "cancel := call()" and cancel returned by the returns that follow it.
func keepDropped(pass *analysis.Pass, f *corral.Func, c *canceller, returns []*ast.ReturnStmt) (analysis.SuggestedFix, bool) {
	info := pass.TypesInfo
	list := enclosingList(f.Body(), c.stmt)
	if list == nil {
		return analysis.SuggestedFix{}, false
	}
	i := 0
	for list[i] != c.stmt {
		i++
	}
	var after []*ast.ReturnStmt // the returns that c.stmt's variable would reach
	for _, r := range returns {
		if r.Pos() > c.stmt.End() && r.End() <= list[len(list)-1].End() && !failing(info, f, r) {
			after = append(after, r)
		}
	}
	if len(after) == 0 {
		return analysis.SuggestedFix{}, false
	}
	src := pass.Fset.File(c.call.Pos())
	callText := ""
	if content, err := pass.ReadFile(src.Name()); err == nil {
		callText = string(content[src.Offset(c.call.Pos()):src.Offset(c.call.End())])
	}
	if callText == "" {
		return analysis.SuggestedFix{}, false
	}
	// call(); return nil  ->  return call()
	if r, ok := list[min(i+1, len(list)-1)].(*ast.ReturnStmt); ok && i+1 < len(list) && len(after) == 1 && after[0] == r &&
		c.expr("x") == "x" && !commented(pass, c.stmt.End(), r.Pos()) {
		res := r.Results[f.CancelResult]
		return analysis.SuggestedFix{
			Message: "Return the cancel func",
			TextEdits: []analysis.TextEdit{
				{Pos: c.stmt.Pos(), End: r.Pos(), NewText: nil},
				{Pos: res.Pos(), End: res.End(), NewText: []byte(callText)},
			},
		}, true
	}
	name := ""
	for _, n := range []string{"cancel", "stop"} {
		if sc := pass.Pkg.Scope().Innermost(c.stmt.Pos()); sc != nil {
			if _, obj := sc.LookupParent(n, c.stmt.Pos()); obj == nil {
				name = n
				break
			}
		}
	}
	if name == "" {
		return analysis.SuggestedFix{}, false
	}
	edits := []analysis.TextEdit{{Pos: c.stmt.Pos(), End: c.stmt.Pos(), NewText: []byte(name + " := ")}}
	for _, r := range after {
		res := r.Results[f.CancelResult]
		edits = append(edits, analysis.TextEdit{Pos: res.Pos(), End: res.End(), NewText: []byte(c.expr(name))})
	}
	return analysis.SuggestedFix{Message: "Keep the cancel func and return it", TextEdits: edits}, true
}

// commented reports whether a comment lies between from and to, which
// deleting that text would lose.
func commented(pass *analysis.Pass, from, to token.Pos) bool {
	for _, file := range pass.Files {
		for _, cg := range file.Comments {
			if cg.Pos() >= from && cg.End() <= to {
				return true
			}
		}
	}
	return false
}

// enclosingList returns the statement list that holds stmt directly.
func enclosingList(body *ast.BlockStmt, stmt ast.Stmt) []ast.Stmt {
	var found []ast.Stmt
	corral.WalkOwn(body, func(n ast.Node) bool {
		var list []ast.Stmt
		switch n := n.(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		default:
			return found == nil
		}
		for _, s := range list {
			if s == stmt {
				found = list
			}
		}
		return found == nil
	})
	return found
}

// findCanceller returns the first canceller that a call in body returns.
func findCanceller(info *types.Info, body *ast.BlockStmt) *canceller {
	var found *canceller
	consider := func(call *ast.CallExpr, stmt *ast.ExprStmt, lhs []ast.Expr) {
		if found != nil || excluded(info, call) {
			return
		}
		var results []types.Type
		switch t := info.TypeOf(call).(type) {
		case nil:
			return
		case *types.Tuple:
			for v := range t.Variables() {
				results = append(results, v.Type())
			}
		default:
			results = []types.Type{t}
		}
		for i, t := range results {
			expr := cancelExpr(t)
			if expr == nil {
				continue
			}
			c := &canceller{call: call, stmt: stmt, t: t, expr: expr}
			if lhs != nil && i < len(lhs) {
				id, ok := ast.Unparen(lhs[i]).(*ast.Ident)
				if ok && id.Name == "_" {
					continue // dropped on purpose
				}
				if ok {
					c.v, _ = info.Defs[id].(*types.Var)
					if c.v == nil {
						c.v, _ = info.Uses[id].(*types.Var)
					}
				}
			}
			found = c
			return
		}
	}
	corral.WalkOwn(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				consider(call, n, nil)
			}
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
					consider(call, nil, n.Lhs)
				}
			} else {
				for i, rhs := range n.Rhs {
					if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && i < len(n.Lhs) {
						consider(call, nil, n.Lhs[i:i+1])
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Values) == 1 {
				if call, ok := ast.Unparen(n.Values[0]).(*ast.CallExpr); ok {
					lhs := make([]ast.Expr, len(n.Names))
					for i, name := range n.Names {
						lhs[i] = name
					}
					consider(call, nil, lhs)
				}
			}
		}
		return found == nil
	})
	return found
}

// cancelExpr returns how to write a func() that cancels with a value of type
// t, or nil if t cannot cancel.
func cancelExpr(t types.Type) func(string) string {
	if corral.IsCancelFunc(t) {
		return func(v string) string { return v }
	}
	for _, name := range []string{"Cancel", "Stop"} {
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
		m, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		sig := m.Type().(*types.Signature)
		if sig.Params().Len() != 0 {
			continue
		}
		if sig.Results().Len() == 0 {
			return func(v string) string { return v + "." + name }
		}
		return func(v string) string { return "func() { " + v + "." + name + "() }" }
	}
	return nil
}

// callsItself reports whether body cancels with v itself: calls v(), or
// v.Cancel() or v.Stop(), deferred or not. The register function then
// manages the canceller on purpose (a synchronous operation with a
// deadline, say), and returning nil is its choice.
func callsItself(info *types.Info, body *ast.BlockStmt, v *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		fun := ast.Unparen(call.Fun)
		if sel, ok := fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Cancel" || sel.Sel.Name == "Stop") {
			fun = ast.Unparen(sel.X)
		}
		if id, ok := fun.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// excluded reports calls whose func() result is not a canceller.
func excluded(info *types.Info, call *ast.CallExpr) bool {
	fn := corral.Callee(info, call)
	if fn == nil {
		return false
	}
	return corral.IsFunc(fn, "sync", "OnceFunc")
}

// failing reports whether r returns an error (anything but nil in an error
// result).
func failing(info *types.Info, f *corral.Func, r *ast.ReturnStmt) bool {
	for i, res := range r.Results {
		if i != f.CancelResult && corral.IsError(f.Sig.Results().At(i).Type()) && !isNil(info, res) {
			return true
		}
	}
	return false
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

func qualified(fn *types.Func) string {
	if fn.Type().(*types.Signature).Recv() != nil {
		return corral.Describe(fn)
	}
	if fn.Pkg() == nil {
		return fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}
