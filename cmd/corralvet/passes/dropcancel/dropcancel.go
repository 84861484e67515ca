// Package dropcancel defines an analyzer that finds register functions that
// return no cancel function although they hold one.
//
// # Analyzer dropcancel
//
// dropcancel: check that register functions return the cancel func they get
//
// dispatcher.Await turns a callback API into a call that honours ctx: the
// register function starts the operation and returns a func() that cancels
// it, which Await calls if ctx ends first. source.FromCallback's register
// returns its unregister func the same way. Returning nil says that the
// operation cannot be cancelled; when the operation did hand back a way to
// cancel it, nil leaves it running after Await has given up, the same leak
// that go vet's lostcancel finds for context.WithCancel:
//
//	v, err := dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
//		lib.Request(msg, complete) // returns a func() that cancels the request
//		return nil
//	})
//
// Return it:
//
//	v, err := dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
//		return lib.Request(msg, complete)
//	})
//
// The analyzer looks at every function passed to corral whose type has a
// func() result (the register functions of dispatcher.Await and
// source.FromCallback). It reports one whose every return statement returns
// nil in that position while its own statements get a canceller from a call:
// a func() value (a context.CancelFunc included), or a value with a Cancel()
// or Stop() method (a *time.Timer from time.AfterFunc, a subscription).
// The suggested fix returns the canceller from the return statements it is
// in reach of.
package dropcancel

import (
	"go/ast"
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
	v    *types.Var // the variable it is kept in; nil if dropped
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
	if c == nil {
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

// findCanceller returns the first canceller that a call in body returns.
func findCanceller(info *types.Info, body *ast.BlockStmt) *canceller {
	var found *canceller
	consider := func(call *ast.CallExpr, lhs []ast.Expr) {
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
			c := &canceller{call: call, t: t, expr: expr}
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
				consider(call, nil)
			}
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
					consider(call, n.Lhs)
				}
			} else {
				for i, rhs := range n.Rhs {
					if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && i < len(n.Lhs) {
						consider(call, n.Lhs[i:i+1])
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
					consider(call, lhs)
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
