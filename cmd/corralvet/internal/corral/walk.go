package corral

import (
	"go/ast"
	"go/types"
)

// WalkOwn calls f for each node of body in depth-first order, as
// ast.Inspect does, but does not enter function literals: their statements
// run when the literal is called, which may be never, later, or on another
// goroutine. f still sees the *ast.FuncLit itself.
func WalkOwn(body ast.Node, f func(n ast.Node) bool) {
	if body == nil {
		return
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if !f(n) {
			return false
		}
		_, lit := n.(*ast.FuncLit)
		return !lit || n == body
	})
}

// Uses reports whether obj is referred to anywhere in n, function literals
// included.
func Uses(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return true
	})
	return found
}

// RootVar returns the variable an addressable expression starts from: v
// for v, v.f, v[i], v.f.g[i], *v and (v); nil if there is none (a call's
// result, a package-qualified name is returned as its variable).
func RootVar(info *types.Info, e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, _ := info.Uses[x].(*types.Var)
			if v == nil {
				v, _ = info.Defs[x].(*types.Var)
			}
			return v
		case *ast.SelectorExpr:
			if sel := info.Selections[x]; sel == nil {
				// a qualified identifier: pkg.Var
				v, _ := info.Uses[x.Sel].(*types.Var)
				return v
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}
