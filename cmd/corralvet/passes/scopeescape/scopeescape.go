package scopeescape

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/corral-go/corral/cmd/corralvet/internal/corral"
)

// Analyzer is the scopeescape analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "scopeescape",
	Doc:      doc,
	URL:      "https://github.com/corral-go/corral/blob/main/docs/corralvet.md#scopeescape",
	Requires: []*analysis.Analyzer{corral.Funcs},
	Run:      run,
}

const doc = `check for a *scope.Scope that outlives its scope

A *scope.Scope may start forks only until the call that made it
(scope.Supervised, scope.Run, a dispatcher task) returns; afterwards that
panics. Reported: package variables that hold a scope, and a scope body that
stores its scope (or a value or closure that holds it) in a variable declared
outside the body, sends it on a channel made outside, or returns it. Pass the
scope down as a parameter instead.`

func run(pass *analysis.Pass) (any, error) {
	idx := pass.ResultOf[corral.Funcs].(*corral.Index)
	c := &checker{pass: pass, reported: map[token.Pos]bool{}, flaggedGlobals: map[*types.Var]bool{}}
	c.packageVars()
	for _, f := range idx.Funcs {
		if f.Roles&corral.RoleBody != 0 && f.Param != nil && f.Body() != nil {
			c.body(f)
		}
	}
	c.globalStores()
	return nil, nil
}

type checker struct {
	pass           *analysis.Pass
	reported       map[token.Pos]bool
	flaggedGlobals map[*types.Var]bool
}

func (c *checker) report(n ast.Node, msg string) {
	if c.reported[n.Pos()] {
		return
	}
	c.reported[n.Pos()] = true
	c.pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Message: msg})
}

// packageVars reports package-level variables whose type holds a scope.
func (c *checker) packageVars() {
	for _, file := range c.pass.Files {
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					v, ok := c.pass.TypesInfo.Defs[name].(*types.Var)
					if !ok || name.Name == "_" || !holdsScope(v.Type(), 0) {
						continue
					}
					c.flaggedGlobals[v] = true
					c.report(name, "package variable "+name.Name+" holds a *scope.Scope, which may start forks only until the call that made it returns; pass the scope down as a parameter")
				}
			}
		}
	}
}

// globalStores reports a *scope.Scope assigned into a package-level
// variable, in any function.
func (c *checker) globalStores() {
	info := c.pass.TypesInfo
	for _, file := range c.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, lhs := range as.Lhs {
				root := corral.RootVar(info, lhs)
				if root == nil || !isGlobal(root) || c.flaggedGlobals[root] {
					continue
				}
				if t := info.TypeOf(as.Rhs[i]); t != nil && corral.IsScope(t) {
					c.report(as, "*scope.Scope stored in package variable "+root.Name()+": it may start forks only until the call that made it returns; pass it down as a parameter")
				}
			}
			return true
		})
	}
}

// body follows the scope of one scope body to where it escapes.
func (c *checker) body(f *corral.Func) {
	info := c.pass.TypesInfo
	fn := f.Node()
	inside := func(v *types.Var) bool { return v.Pos() >= fn.Pos() && v.Pos() < fn.End() }
	held := map[*types.Var]bool{f.Param: true}
	holds := func(e ast.Expr) bool { return holdsValue(info, e, held) }

	// Grow the set of local variables that hold the scope until it is
	// stable: v := s; h := &holder{s}; h2 := h.
	for changed := true; changed; {
		changed = false
		ast.Inspect(f.Body(), func(n ast.Node) bool {
			mark := func(lhs, rhs ast.Expr) {
				root := corral.RootVar(info, lhs)
				if root != nil && inside(root) && !held[root] && holds(rhs) {
					held[root] = true
					changed = true
				}
			}
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i := range n.Lhs {
						mark(n.Lhs[i], n.Rhs[i])
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i := range n.Names {
						mark(n.Names[i], n.Values[i])
					}
				}
			}
			return true
		})
	}

	scopeName := f.Param.Name()
	outlives := "which outlives the call to " + corral.Describe(f.Callee) + "; starting a fork on the scope after that call returned panics. Pass the scope down as a parameter"
	ast.Inspect(f.Body(), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) || n.Tok == token.DEFINE {
				return true
			}
			for i, lhs := range n.Lhs {
				root := corral.RootVar(info, lhs)
				if root == nil || inside(root) || c.flaggedGlobals[root] || !holds(n.Rhs[i]) {
					continue
				}
				where := "variable " + root.Name() + " declared outside the body"
				if isGlobal(root) {
					where = "package variable " + root.Name()
				}
				c.report(n, "scope "+scopeName+" escapes its body: stored in "+where+", "+outlives)
			}
		case *ast.SendStmt:
			if root := corral.RootVar(info, n.Chan); (root == nil || !inside(root)) && holds(n.Value) {
				c.report(n, "scope "+scopeName+" escapes its body: sent on a channel, whose receiver may keep it after the call to "+corral.Describe(f.Callee)+" returned; starting a fork on the scope then panics")
			}
		}
		return true
	})
	corral.WalkOwn(f.Body(), func(n ast.Node) bool {
		if r, ok := n.(*ast.ReturnStmt); ok {
			for _, res := range r.Results {
				if holds(res) {
					c.report(r, "scope "+scopeName+" escapes its body: returned from it, so it "+outlives[len("which "):])
					break
				}
			}
		}
		return true
	})
}

// holdsValue reports whether e evaluates to a value that holds one of the
// held variables' scope.
func holdsValue(info *types.Info, e ast.Expr, held map[*types.Var]bool) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ := info.Uses[e].(*types.Var)
		return v != nil && held[v]
	case *ast.UnaryExpr:
		return e.Op == token.AND && holdsValue(info, e.X, held)
	case *ast.StarExpr:
		return holdsValue(info, e.X, held)
	case *ast.SelectorExpr:
		if info.Selections[e] == nil {
			return false
		}
		t := info.TypeOf(e)
		return t != nil && holdsScope(t, 0) && holdsValue(info, e.X, held)
	case *ast.CompositeLit:
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if holdsValue(info, elt, held) {
				return true
			}
		}
	case *ast.CallExpr:
		if tv, ok := info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			return holdsValue(info, e.Args[0], held) // a conversion
		}
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "append" {
				for _, arg := range e.Args {
					if holdsValue(info, arg, held) {
						return true
					}
				}
			}
		}
	case *ast.FuncLit:
		found := false
		ast.Inspect(e.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && held[v] {
					found = true
				}
			}
			return !found
		})
		return found
	}
	return false
}

// holdsScope reports whether a value of type t holds a *scope.Scope: is
// one, or is a pointer, slice, array, map, channel or struct type literal
// with one in it. Named types other than Scope are not looked into.
func holdsScope(t types.Type, depth int) bool {
	if depth > 8 {
		return false
	}
	if corral.IsScope(t) || corral.IsNamed(t, corral.ScopePkg, "Scope") {
		return true
	}
	switch t := types.Unalias(t).(type) {
	case *types.Pointer:
		return holdsScope(t.Elem(), depth+1)
	case *types.Slice:
		return holdsScope(t.Elem(), depth+1)
	case *types.Array:
		return holdsScope(t.Elem(), depth+1)
	case *types.Map:
		return holdsScope(t.Key(), depth+1) || holdsScope(t.Elem(), depth+1)
	case *types.Chan:
		return holdsScope(t.Elem(), depth+1)
	case *types.Struct:
		for f := range t.Fields() {
			if holdsScope(f.Type(), depth+1) {
				return true
			}
		}
	}
	return false
}

func isGlobal(v *types.Var) bool {
	return v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}
