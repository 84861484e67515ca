package goescape

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/corral-go/corral/cmd/corralvet/internal/corral"
	"github.com/corral-go/corral/cmd/corralvet/internal/edit"
)

// Analyzer is the goescape analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "goescape",
	Doc:      doc,
	URL:      "https://github.com/corral-go/corral/blob/main/docs/corralvet.md#goescape",
	Requires: []*analysis.Analyzer{corral.Funcs},
	Run:      run,
}

const doc = `check for go statements that escape a scope

A go statement in a scope body or a fork function (any function passed to
corral that receives a *scope.Scope or a context.Context) starts a goroutine
that no scope owns: nothing waits for it or cancels it, and its panic crashes
the process. Start it with s.Go (or fork.New) instead. A goroutine that the
same function waits for (sync.WaitGroup.Wait, or a receive outside a select
from a channel the goroutine sends on or closes) is not reported.`

func run(pass *analysis.Pass) (any, error) {
	idx := pass.ResultOf[corral.Funcs].(*corral.Index)
	for _, f := range idx.Funcs {
		if f.Roles&(corral.RoleBody|corral.RoleFork) == 0 {
			continue
		}
		body := f.Body()
		corral.WalkOwn(body, func(n ast.Node) bool {
			g, ok := n.(*ast.GoStmt)
			if !ok {
				return true
			}
			if waitedFor(pass.TypesInfo, body, g) {
				return true
			}
			advice := "start it with s.Go"
			if f.Roles&corral.RoleRegister != 0 {
				advice = "if the goroutine is yours rather than a library's, produce the values with source.FromFunc"
			}
			d := analysis.Diagnostic{
				Pos:     g.Go,
				End:     g.Call.Lparen,
				Message: "go statement in a " + f.What() + " starts a goroutine that no scope owns: nothing waits for it or cancels it; " + advice,
			}
			if fix, ok := suggest(pass, g); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
			pass.Report(d)
			return true
		})
	}
	return nil, nil
}

// waitedFor reports whether the function body waits for the goroutine g
// starts: after g, it calls Wait on a sync.WaitGroup that the goroutine
// calls Done on, or receives (outside a select's cases, or with range) from
// a channel that the goroutine sends on or closes.
func waitedFor(info *types.Info, body *ast.BlockStmt, g *ast.GoStmt) bool {
	lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
	if !ok {
		return false
	}
	groups := map[*types.Var]bool{}
	chans := map[*types.Var]bool{}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if v := waitGroupCall(info, n, "Done"); v != nil {
			groups[v] = true
		}
		switch n := n.(type) {
		case *ast.SendStmt:
			if v := corral.RootVar(info, n.Chan); v != nil {
				chans[v] = true
			}
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && len(n.Args) == 1 {
				if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "close" {
					if v := corral.RootVar(info, n.Args[0]); v != nil {
						chans[v] = true
					}
				}
			}
		}
		return true
	})
	if len(groups) == 0 && len(chans) == 0 {
		return false
	}
	// The receives that are a select's cases wait only if no other case
	// is ready first, such as ctx.Done().
	comms := map[ast.Node]bool{}
	corral.WalkOwn(body, func(n ast.Node) bool {
		if cc, ok := n.(*ast.CommClause); ok && cc.Comm != nil {
			ast.Inspect(cc.Comm, func(n ast.Node) bool {
				comms[n] = true
				return true
			})
		}
		return true
	})
	waited := false
	corral.WalkOwn(body, func(n ast.Node) bool {
		if waited || n.Pos() < g.End() {
			return !waited
		}
		if v := waitGroupCall(info, n, "Wait"); v != nil && groups[v] {
			waited = true
		}
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !comms[n] {
				if v := corral.RootVar(info, n.X); v != nil && chans[v] {
					waited = true
				}
			}
		case *ast.RangeStmt:
			if v := corral.RootVar(info, n.X); v != nil && chans[v] {
				waited = true
			}
		}
		return !waited
	})
	return waited
}

// waitGroupCall returns the variable v of a call v.method() on a
// sync.WaitGroup (or a pointer to one).
func waitGroupCall(info *types.Info, n ast.Node, method string) *types.Var {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return nil
	}
	fn := corral.Callee(info, call)
	if !corral.IsMethod(fn, "sync", "WaitGroup", method) {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return corral.RootVar(info, sel.X)
}

// suggest rewrites "go f()" or "go func() { ... }()" as s.Go, if a
// *scope.Scope variable is in reach. Calls with arguments are left alone:
// go evaluates them at once, a fork function would evaluate them later.
func suggest(pass *analysis.Pass, g *ast.GoStmt) (analysis.SuggestedFix, bool) {
	if len(g.Call.Args) != 0 {
		return analysis.SuggestedFix{}, false
	}
	sc := scopeInReach(pass, g.Pos())
	if sc == nil {
		return analysis.SuggestedFix{}, false
	}
	file := edit.FileOf(pass, g.Pos())
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	ctxPkg, imports, ok := edit.Import(pass.Pkg, file, g.Pos(), "context")
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	src := edit.FileSource(pass, g.Pos())
	param := "ctx"
	head := sc.Name() + ".Go(func(" + param + " " + ctxPkg + ".Context) error {"
	var edits []analysis.TextEdit
	switch fun := ast.Unparen(g.Call.Fun).(type) {
	case *ast.FuncLit:
		if fun.Type.Params.NumFields() != 0 || fun.Type.Results.NumFields() != 0 {
			return analysis.SuggestedFix{}, false
		}
		if mentions(fun.Body, "ctx") {
			param = "_"
			head = sc.Name() + ".Go(func(" + param + " " + ctxPkg + ".Context) error {"
		}
		// go func() {   ->   s.Go(func(ctx context.Context) error {
		edits = append(edits, analysis.TextEdit{Pos: g.Go, End: fun.Body.Lbrace + 1, NewText: []byte(head)})
		// The literal's own bare returns now return nil.
		corral.WalkOwn(fun.Body, func(n ast.Node) bool {
			if r, ok := n.(*ast.ReturnStmt); ok {
				edits = append(edits, analysis.TextEdit{Pos: r.Return, End: r.End(), NewText: []byte("return nil")})
			}
			return true
		})
		// }()   ->   return nil })
		tail := "})"
		if !terminates(fun.Body) {
			indent := edit.Indent(pass.Fset, src, g.Pos())
			tail = "\t" + "return nil\n" + indent + "})"
			if f := pass.Fset.File(g.Pos()); f != nil && f.Line(fun.Body.Rbrace) == f.Line(fun.Body.Lbrace) {
				tail = "; return nil })"
			}
		}
		edits = append(edits, analysis.TextEdit{Pos: fun.Body.Rbrace, End: g.End(), NewText: []byte(tail)})
	default:
		call := edit.Source(pass.Fset, src, g.Call)
		if call == "" {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: g.Go, End: g.End(), NewText: []byte(head + " " + call + "; return nil })")})
	}
	edits = append(edits, imports...)
	return analysis.SuggestedFix{
		Message:   "Start the goroutine with " + sc.Name() + ".Go",
		TextEdits: edits,
	}, true
}

// scopeInReach returns the innermost variable of type *scope.Scope visible
// at pos.
func scopeInReach(pass *analysis.Pass, pos token.Pos) *types.Var {
	for sc := pass.Pkg.Scope().Innermost(pos); sc != nil && sc != pass.Pkg.Scope(); sc = sc.Parent() {
		for _, name := range sc.Names() {
			v, ok := sc.Lookup(name).(*types.Var)
			if !ok || !corral.IsScope(v.Type()) || v.Pos() > pos || name == "_" {
				continue
			}
			if _, obj := pass.Pkg.Scope().Innermost(pos).LookupParent(name, pos); obj == v {
				return v
			}
		}
	}
	return nil
}

// mentions reports whether an identifier named name occurs in n.
func mentions(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// terminates reports whether a block certainly ends with a return, a panic
// or an endless loop, so that nothing may follow it.
func terminates(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		return ok && id.Name == "panic"
	case *ast.ForStmt:
		if s.Cond != nil {
			return false
		}
		brk := false
		ast.Inspect(s.Body, func(n ast.Node) bool {
			if b, ok := n.(*ast.BranchStmt); ok && b.Tok == token.BREAK {
				brk = true
			}
			return !brk
		})
		return !brk
	}
	return false
}
