package corral

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// Module is corral's module path.
const Module = "github.com/corral-go/corral"

// Package paths of the corral packages the analyzers name.
const (
	ScopePkg      = Module + "/scope"
	ForkPkg       = Module + "/fork"
	DispatcherPkg = Module + "/dispatcher"
)

// IsAPI reports whether pkg is one of corral's library packages: in corral's
// module, and not a command, an example, a benchmark, an internal package or
// a test. Functions of those other packages are user code as far as the
// analyzers are concerned, even when they live in corral's repository.
func IsAPI(pkg *types.Package) bool {
	if pkg == nil || pkg.Name() == "main" {
		return false
	}
	path := pkg.Path()
	if path != Module && !strings.HasPrefix(path, Module+"/") {
		return false
	}
	if strings.HasSuffix(path, "_test") {
		return false
	}
	for _, seg := range strings.Split(strings.TrimPrefix(path, Module), "/") {
		switch seg {
		case "cmd", "examples", "bench", "internal", "testdata":
			return false
		}
	}
	return true
}

// Callee returns the function or method that call calls statically, as
// declared (the generic origin for an instantiation), or nil for a call of a
// function value, a conversion or a built-in.
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// IsFunc reports whether fn is the package-level function pkgPath.name.
func IsFunc(fn *types.Func, pkgPath, name string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkgPath || fn.Name() != name {
		return false
	}
	return fn.Type().(*types.Signature).Recv() == nil
}

// IsMethod reports whether fn is the method name of the type pkgPath.recv
// (with a value or a pointer receiver).
func IsMethod(fn *types.Func, pkgPath, recv, name string) bool {
	if fn == nil || fn.Name() != name {
		return false
	}
	r := fn.Type().(*types.Signature).Recv()
	if r == nil {
		return false
	}
	return IsNamed(r.Type(), pkgPath, recv)
}

// IsNamed reports whether t, or what t points to, is the named type
// pkgPath.name (any instantiation of it).
func IsNamed(t types.Type, pkgPath, name string) bool {
	n := namedOf(t)
	return n != nil && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkgPath && n.Obj().Name() == name
}

func namedOf(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	if n == nil {
		return nil
	}
	return n.Origin()
}

// IsScope reports whether t is *scope.Scope.
func IsScope(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && IsNamed(p.Elem(), ScopePkg, "Scope")
}

// IsContext reports whether t is context.Context.
func IsContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// IsError reports whether t is the predeclared type error.
func IsError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// IsCancelFunc reports whether t is a function type with no parameters and
// no results, as func() and context.CancelFunc are.
func IsCancelFunc(t types.Type) bool {
	sig, ok := t.Underlying().(*types.Signature)
	return ok && sig.Params().Len() == 0 && sig.Results().Len() == 0
}

// Describe names fn for a message, the way a reader writes it in code:
// "scope.Supervised", "Scope.Go", "fork.New".
func Describe(fn *types.Func) string {
	sig := fn.Type().(*types.Signature)
	if r := sig.Recv(); r != nil {
		if n := namedOf(r.Type()); n != nil {
			return n.Obj().Name() + "." + fn.Name()
		}
		return fn.Name()
	}
	if fn.Pkg() == nil {
		return fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}
