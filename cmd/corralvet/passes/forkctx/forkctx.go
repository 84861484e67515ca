// Package forkctx defines an analyzer that finds forks that block without
// ever reading their context.
//
// # Analyzer forkctx
//
// forkctx: check for fork functions that never read their ctx but block
//
// corral cannot stop a goroutine: when a scope fails or ends it cancels the
// context its forks received, and then waits for them. A fork that never
// looks at its ctx, yet blocks (sleeps, waits for a channel, a WaitGroup, a
// select), keeps waiting after the cancellation, and so keeps its scope, and
// the caller of Supervised, from ending. The stuck-fork report
// (scope.WithStuckReport) finds such forks at run time; this analyzer finds
// the plain cases at build time:
//
//	s.Go(func(context.Context) error {
//		for {
//			time.Sleep(time.Minute) // the scope's end waits up to a minute
//			refresh()
//		}
//	})
//
// Let the wait end with the context:
//
//	s.Go(func(ctx context.Context) error {
//		for {
//			if err := timeout.Sleep(ctx, time.Minute); err != nil {
//				return err
//			}
//			refresh()
//		}
//	})
//
// The analyzer looks at every function corral runs with a context (forks,
// combinator tasks, stream stages, retry and timeout operations, a
// scope.Job's Run method) and at scope bodies and dispatcher tasks, whose
// context is their scope's (s.Context()). It reports one that never refers to
// its context (a blank or unnamed parameter, or one it never uses; for a body,
// no call of s.Context() and no use of s beyond starting forks or calling
// corral) and that blocks in its own statements: time.Sleep, a channel
// receive or send outside a select, a select without a default case, a range
// over a channel, sync.WaitGroup.Wait, sync.Cond.Wait, or a corral call that
// takes a context, since it then takes another one.
//
// A function that reads its context anywhere is not reported, even if some of
// its waits ignore it: the analyzer cannot tell which waits are short. Code in
// function literals that the function defines is not looked at, as it may run
// at another time.
package forkctx

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/corral-go/corral/cmd/corralvet/internal/corral"
)

// Analyzer is the forkctx analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "forkctx",
	Doc:      doc,
	URL:      "https://github.com/corral-go/corral/blob/main/docs/corralvet.md#forkctx",
	Requires: []*analysis.Analyzer{corral.Funcs},
	Run:      run,
}

const doc = `check for fork functions that never read their ctx but block

A fork that never refers to its context, yet sleeps, waits on a channel, a
select, a WaitGroup or a corral call given another context, goes on waiting
after its scope is cancelled, and keeps the scope from ending. Scope bodies and
dispatcher tasks are checked the same way, their context being s.Context().
Honour the context: select on ctx.Done(), use timeout.Sleep(ctx, d), pass ctx
to the calls that wait.`

func run(pass *analysis.Pass) (any, error) {
	idx := pass.ResultOf[corral.Funcs].(*corral.Index)
	for _, f := range idx.Funcs {
		body := f.Body()
		if body == nil {
			continue
		}
		var what string
		switch {
		case f.Roles&corral.RoleFork != 0:
			if f.Param != nil && corral.Uses(pass.TypesInfo, body, f.Param) {
				continue
			}
			what = "never reads its ctx"
		case f.Roles&corral.RoleBody != 0:
			if f.Param != nil && readsScopeContext(pass.TypesInfo, body, f.Param) {
				continue
			}
			what = "never reads its scope's context"
		default:
			continue
		}
		n, op := firstBlocking(pass.TypesInfo, body)
		if n == nil {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos: n.Pos(),
			End: n.End(),
			Message: f.What() + " " + what + " but blocks in " + op +
				": after a cancellation it keeps waiting, and its scope cannot end; let ctx end the wait (select on ctx.Done(), timeout.Sleep, pass ctx on)",
		})
	}
	return nil, nil
}

// readsScopeContext reports whether body reads the context of the scope s:
// calls s.Context(), or hands s to code that may (anything but corral's
// functions and s's own fork-starting methods).
func readsScopeContext(info *types.Info, body ast.Node, s *types.Var) bool {
	// Uses of s that do not read its context: receivers of its other
	// methods, and arguments of corral's functions (fork.New(s, f)).
	harmless := map[*ast.Ident]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn := corral.Callee(info, call)
		if fn == nil {
			return true
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn.Name() != "Context" {
			recv := fn.Type().(*types.Signature).Recv()
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[id] == s && recv != nil && corral.IsScope(recv.Type()) {
				harmless[id] = true
			}
		}
		if corral.IsAPI(fn.Pkg()) {
			for _, arg := range call.Args {
				if id, ok := ast.Unparen(arg).(*ast.Ident); ok && info.Uses[id] == s {
					harmless[id] = true
				}
			}
		}
		return true
	})
	reads := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == s && !harmless[id] {
			reads = true
		}
		return !reads
	})
	return reads
}

// firstBlocking returns the first statement or expression of body, outside
// function literals, that blocks without a context, and describes it.
func firstBlocking(info *types.Info, body *ast.BlockStmt) (ast.Node, string) {
	var (
		found ast.Node
		op    string
	)
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if found != nil || n == nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectStmt:
			hasDefault := false
			for _, c := range n.Body.List {
				if c.(*ast.CommClause).Comm == nil {
					hasDefault = true
				}
			}
			if !hasDefault {
				found, op = n, "a select without ctx.Done()"
				return false
			}
			// With a default case the select does not wait; its
			// communications do not either, but the clause bodies may.
			for _, c := range n.Body.List {
				for _, st := range c.(*ast.CommClause).Body {
					ast.Inspect(st, visit)
				}
			}
			return false
		case *ast.SendStmt:
			found, op = n, "a channel send"
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found, op = n, "a channel receive"
				return false
			}
		case *ast.RangeStmt:
			if t := info.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					found, op = n, "a range over a channel"
					return false
				}
			}
		case *ast.CallExpr:
			if what := blockingCall(info, n); what != "" {
				found, op = n, what
				return false
			}
		}
		return true
	}
	ast.Inspect(body, visit)
	return found, op
}

// blockingCall describes a call that blocks with no regard for the
// function's context, or returns "".
func blockingCall(info *types.Info, call *ast.CallExpr) string {
	fn := corral.Callee(info, call)
	if fn == nil {
		return ""
	}
	switch {
	case corral.IsFunc(fn, "time", "Sleep"):
		return "time.Sleep"
	case corral.IsMethod(fn, "sync", "WaitGroup", "Wait"):
		return "sync.WaitGroup.Wait"
	case corral.IsMethod(fn, "sync", "Cond", "Wait"):
		return "sync.Cond.Wait"
	}
	if !corral.IsAPI(fn.Pkg()) {
		return ""
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() > 0 && corral.IsContext(sig.Params().At(0).Type()) {
		return corral.Describe(fn) + " with a context that is not its own"
	}
	return ""
}
