package corral

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
)

// A Role says what corral does with a function passed to it. Roles are read
// from the type of the parameter the function is passed as, not from the
// name of the API, so a new corral function that takes a fork or a body is
// recognised with no change here.
type Role uint8

const (
	// RoleBody: the function receives a *scope.Scope as its first
	// parameter; corral runs it as the body of a scope it owns (the body of
	// scope.Supervised or scope.Run, a dispatcher task, app.Main's body).
	RoleBody Role = 1 << iota
	// RoleFork: the function receives a context.Context as its first
	// parameter; corral runs it under a context it cancels when the
	// function should stop (a fork of Scope.Go or fork.New, a task of
	// fork.Par, a stage of source.MapPar, an operation of retry.Do, the Run
	// method of a scope.Job given to Scope.Start).
	RoleFork
	// RoleRegister: one of the function's results is a func() that cancels
	// what the function started (the register function of
	// dispatcher.Await or source.FromCallback).
	RoleRegister
)

// A Func is a function that is passed to corral, in one of the roles above:
// a function literal, or a function or method declared in the package being
// analyzed and passed by name (s.Go(worker), s.Go(w.run)), or a local
// variable that holds a function literal.
type Func struct {
	Roles Role
	Lit   *ast.FuncLit  // the function, if it is a literal
	Decl  *ast.FuncDecl // the function, if it is declared
	// Sig is the function's signature.
	Sig *types.Signature
	// Call is the first call to corral that the function is passed to,
	// and Callee the corral function or method called.
	Call   *ast.CallExpr
	Callee *types.Func
	// Param is the function's first parameter (its context or its scope),
	// or nil if it is unnamed or blank.
	Param *types.Var
	// CancelResult is the index of the result that cancels (RoleRegister).
	CancelResult int
}

// Node returns the *ast.FuncLit or *ast.FuncDecl.
func (f *Func) Node() ast.Node {
	if f.Lit != nil {
		return f.Lit
	}
	return f.Decl
}

// Body returns the function's body (nil for a declaration without one).
func (f *Func) Body() *ast.BlockStmt {
	if f.Lit != nil {
		return f.Lit.Body
	}
	return f.Decl.Body
}

// Type returns the function's syntactic type.
func (f *Func) Type() *ast.FuncType {
	if f.Lit != nil {
		return f.Lit.Type
	}
	return f.Decl.Type
}

// What says what the function is, for a message: "fork function passed to
// Scope.Go", "scope body passed to scope.Supervised".
func (f *Func) What() string {
	kind := "function"
	switch {
	case f.Roles&RoleBody != 0:
		kind = "scope body"
	case f.Roles&RoleRegister != 0:
		kind = "register function"
	case f.Roles&RoleFork != 0:
		kind = "fork function"
	}
	return kind + " passed to " + Describe(f.Callee)
}

// An Index is what the [Funcs] analyzer finds in a package: the functions
// passed to corral, and what the analyzers need to follow a value back to
// where it was made.
type Index struct {
	// Funcs lists the functions passed to corral, in source order, each
	// once.
	Funcs  []*Func
	byNode map[ast.Node]*Func
	decls  map[*types.Func]*ast.FuncDecl
	// assigns maps a variable to the expressions assigned to it; a nil
	// entry stands for a value that cannot be followed (a multi-value
	// assignment, a range variable, a parameter).
	assigns map[*types.Var][]ast.Expr
}

// FuncOf returns the entry for a *ast.FuncLit or *ast.FuncDecl, or nil if
// it is not passed to corral.
func (x *Index) FuncOf(n ast.Node) *Func { return x.byNode[n] }

// Decl returns the declaration of fn in the package, or nil.
func (x *Index) Decl(fn *types.Func) *ast.FuncDecl { return x.decls[fn] }

// Source returns the only expression ever assigned to v, or nil if v is
// assigned more than once, or in a way that cannot be followed.
func (x *Index) Source(v *types.Var) ast.Expr {
	if es := x.assigns[v]; len(es) == 1 {
		return es[0]
	}
	return nil
}

// Sources returns every expression assigned to v, and false if one of them
// cannot be followed.
func (x *Index) Sources(v *types.Var) ([]ast.Expr, bool) {
	es := x.assigns[v]
	for _, e := range es {
		if e == nil {
			return nil, false
		}
	}
	return es, len(es) > 0
}

// Funcs finds the functions a package passes to corral. The other analyzers
// require it; it reports nothing itself.
var Funcs = &analysis.Analyzer{
	Name:       "corralfuncs",
	Doc:        "find the functions passed to corral (scope bodies, forks, register functions); reports nothing",
	Run:        runFuncs,
	ResultType: reflect.TypeFor[*Index](),
}

func runFuncs(pass *analysis.Pass) (any, error) {
	x := &Index{
		byNode:  map[ast.Node]*Func{},
		decls:   map[*types.Func]*ast.FuncDecl{},
		assigns: map[*types.Var][]ast.Expr{},
	}
	info := pass.TypesInfo
	for _, file := range pass.Files {
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
					x.decls[fn] = fd
				}
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			x.recordAssign(info, n)
			return true
		})
	}
	for _, file := range pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				x.recordCall(info, call)
			}
			return true
		})
	}
	return x, nil
}

func (x *Index) recordAssign(info *types.Info, n ast.Node) {
	add := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		if v, ok := obj.(*types.Var); ok && !v.IsField() {
			x.assigns[v] = append(x.assigns[v], rhs)
		}
	}
	switch n := n.(type) {
	case *ast.AssignStmt:
		for i, lhs := range n.Lhs {
			var rhs ast.Expr
			if len(n.Lhs) == len(n.Rhs) && (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) {
				rhs = n.Rhs[i]
			}
			add(lhs, rhs)
		}
	case *ast.ValueSpec:
		for i, name := range n.Names {
			var rhs ast.Expr
			if len(n.Names) == len(n.Values) {
				rhs = n.Values[i]
			} else if len(n.Values) != 0 {
				rhs = nil
			} else {
				continue // var v T: the zero value, not a source
			}
			add(name, rhs)
		}
	case *ast.RangeStmt:
		if n.Key != nil {
			add(n.Key, nil)
		}
		if n.Value != nil {
			add(n.Value, nil)
		}
	case *ast.UnaryExpr:
		// &v: v may be written through the pointer.
		if n.Op == token.AND {
			add(n.X, nil)
		}
	}
}

func (x *Index) recordCall(info *types.Info, call *ast.CallExpr) {
	callee := Callee(info, call)
	if callee == nil || !IsAPI(callee.Pkg()) {
		return
	}
	sig, ok := info.TypeOf(call.Fun).Underlying().(*types.Signature)
	if !ok {
		return
	}
	for i, arg := range call.Args {
		pt := paramType(sig, i, call.Ellipsis.IsValid())
		if pt == nil {
			continue
		}
		if roles, cancel := rolesOf(pt); roles != 0 {
			for _, f := range x.resolve(info, arg, 0) {
				x.add(info, f, roles, cancel, call, callee)
			}
			continue
		}
		x.recordJob(info, arg, pt, call, callee)
	}
}

// recordJob handles an argument whose parameter is one of corral's
// interfaces with a method that takes a context (scope.Job's Run): the
// argument's method runs as a fork.
func (x *Index) recordJob(info *types.Info, arg ast.Expr, pt types.Type, call *ast.CallExpr, callee *types.Func) {
	n, ok := types.Unalias(pt).(*types.Named)
	if !ok || !IsAPI(n.Obj().Pkg()) {
		return
	}
	iface, ok := n.Underlying().(*types.Interface)
	if !ok {
		return
	}
	at := info.TypeOf(arg)
	if at == nil || types.IsInterface(at) {
		return
	}
	for m := range iface.Methods() {
		msig := m.Type().(*types.Signature)
		if !m.Exported() || msig.Params().Len() == 0 || !IsContext(msig.Params().At(0).Type()) {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(at, true, nil, m.Name())
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		if fd := x.decls[fn.Origin()]; fd != nil && fd.Body != nil {
			x.add(info, fd, RoleFork, -1, call, callee)
		}
	}
}

// paramType returns the type of the parameter that argument i binds to.
func paramType(sig *types.Signature, i int, ellipsis bool) types.Type {
	params := sig.Params()
	n := params.Len()
	if n == 0 {
		return nil
	}
	if sig.Variadic() && i >= n-1 {
		t := params.At(n - 1).Type()
		if ellipsis {
			return t // a slice passed with ...: its elements are the functions
		}
		return t.Underlying().(*types.Slice).Elem()
	}
	if i >= n {
		return nil
	}
	return params.At(i).Type()
}

// rolesOf reads the roles of a function passed as a parameter of type t (or
// as an element of a slice of that type).
func rolesOf(t types.Type) (roles Role, cancel int) {
	if s, ok := t.Underlying().(*types.Slice); ok {
		t = s.Elem()
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok {
		return 0, -1
	}
	cancel = -1
	if sig.Params().Len() > 0 {
		switch first := sig.Params().At(0).Type(); {
		case IsScope(first):
			roles |= RoleBody
		case IsContext(first):
			roles |= RoleFork
		}
	}
	for i := range sig.Results().Len() {
		if IsCancelFunc(sig.Results().At(i).Type()) {
			roles |= RoleRegister
			cancel = i
			break
		}
	}
	return roles, cancel
}

// resolve finds the functions an argument denotes: a literal, a function or
// method declared in the package, a local variable assigned a literal once,
// or the elements of a slice literal of functions.
func (x *Index) resolve(info *types.Info, e ast.Expr, depth int) []ast.Node {
	if depth > 4 {
		return nil
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return []ast.Node{e}
	case *ast.CompositeLit:
		var out []ast.Node
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			out = append(out, x.resolve(info, elt, depth+1)...)
		}
		return out
	case *ast.Ident:
		return x.resolveObj(info, info.Uses[e], depth)
	case *ast.SelectorExpr:
		return x.resolveObj(info, info.Uses[e.Sel], depth)
	case *ast.IndexExpr: // an explicit instantiation: worker[int]
		return x.resolve(info, e.X, depth+1)
	case *ast.IndexListExpr:
		return x.resolve(info, e.X, depth+1)
	}
	return nil
}

func (x *Index) resolveObj(info *types.Info, obj types.Object, depth int) []ast.Node {
	switch obj := obj.(type) {
	case *types.Func:
		if fd := x.decls[obj.Origin()]; fd != nil && fd.Body != nil {
			return []ast.Node{fd}
		}
	case *types.Var:
		if src := x.Source(obj); src != nil && obj.Parent() != nil && obj.Parent() != obj.Pkg().Scope() {
			return x.resolve(info, src, depth+1)
		}
	}
	return nil
}

func (x *Index) add(info *types.Info, n ast.Node, roles Role, cancel int, call *ast.CallExpr, callee *types.Func) {
	if f := x.byNode[n]; f != nil {
		f.Roles |= roles
		if f.CancelResult < 0 {
			f.CancelResult = cancel
		}
		return
	}
	f := &Func{Roles: roles, Call: call, Callee: callee, CancelResult: cancel}
	var ft *ast.FuncType
	switch n := n.(type) {
	case *ast.FuncLit:
		f.Lit = n
		ft = n.Type
		f.Sig, _ = info.TypeOf(n).(*types.Signature)
	case *ast.FuncDecl:
		f.Decl = n
		ft = n.Type
		if fn, ok := info.Defs[n.Name].(*types.Func); ok {
			f.Sig = fn.Type().(*types.Signature)
		}
	}
	if f.Sig == nil {
		return
	}
	if ft.Params != nil && len(ft.Params.List) > 0 && len(ft.Params.List[0].Names) > 0 {
		if id := ft.Params.List[0].Names[0]; id.Name != "_" {
			f.Param, _ = info.Defs[id].(*types.Var)
		}
	}
	x.byNode[n] = f
	x.Funcs = append(x.Funcs, f)
}
