package forkctx

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"time"

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

A fork function (any function corral runs with a context: forks, combinator
tasks, stream stages, retry and timeout operations) that never refers to its
context (nor any other context variable), yet sleeps, waits on a channel, a
select, a WaitGroup or a corral call given a context made on the spot, goes on
waiting after its scope is cancelled, and keeps the scope from ending. Honour the context: select on ctx.Done(), use
timeout.Sleep(ctx, d), pass ctx to the calls that wait.`

func run(pass *analysis.Pass) (any, error) {
	idx := pass.ResultOf[corral.Funcs].(*corral.Index)
	for _, f := range idx.Funcs {
		body := f.Body()
		if body == nil {
			continue
		}
		if f.Roles&corral.RoleFork == 0 || readsContext(pass.TypesInfo, body, f.Param) {
			continue
		}
		n, op := firstBlocking(pass.TypesInfo, idx, body)
		if n == nil {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos: n.Pos(),
			End: n.End(),
			Message: f.What() + " never reads its ctx but blocks in " + op +
				": after a cancellation it keeps waiting, and its scope cannot end; let ctx end the wait (select on ctx.Done(), timeout.Sleep, pass ctx on)",
		})
	}
	return nil, nil
}

// readsContext reports whether body refers to a context: its context
// parameter, any other variable or field of type context.Context (one that
// the analyzer cannot tell apart from the fork's own, such as a context
// derived from the scope's and kept in a struct), or the Context method of a
// *scope.Scope. A context made on the spot (context.Background()) does not
// count.
func readsContext(info *types.Info, body *ast.BlockStmt, param *types.Var) bool {
	if param != nil && corral.Uses(info, body, param) {
		return true
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && corral.IsContext(v.Type()) {
				found = true
			}
		case *ast.CallExpr:
			if corral.IsMethod(corral.Callee(info, n), corral.ScopePkg, "Scope", "Context") {
				found = true
			}
		}
		return !found
	})
	return found
}

// firstBlocking returns the first statement or expression of body, outside
// function literals, that blocks without a context, and describes it.
func firstBlocking(info *types.Info, idx *corral.Index, body *ast.BlockStmt) (ast.Node, string) {
	var (
		found ast.Node
		op    string
	)
	var loops []ast.Node
	corral.WalkOwn(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n)
		}
		return true
	})
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
			if !buffered(info, idx, n.Chan) {
				found, op = n, "a channel send"
				return false
			}
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
			if what := blockingCall(info, n); what != "" && !shortSleep(info, n, loops) {
				found, op = n, what
				return false
			}
		}
		return true
	}
	ast.Inspect(body, visit)
	return found, op
}

// shortSleepLimit is the longest time.Sleep that forkctx lets pass outside
// a loop: a scope's end waits no longer than that for it.
const shortSleepLimit = 100 * time.Millisecond

// shortSleep reports whether call is a time.Sleep of a constant duration
// under shortSleepLimit, outside every loop of the function: a stand-in for
// work in examples, which delays the scope's end by no more than that. In a
// loop the same sleep may repeat without end.
func shortSleep(info *types.Info, call *ast.CallExpr, loops []ast.Node) bool {
	if !corral.IsFunc(corral.Callee(info, call), "time", "Sleep") || len(call.Args) != 1 {
		return false
	}
	tv, ok := info.Types[call.Args[0]]
	if !ok || tv.Value == nil {
		return false
	}
	d, exact := constant.Int64Val(constant.ToInt(tv.Value))
	if !exact || d >= int64(shortSleepLimit) {
		return false
	}
	for _, l := range loops {
		if l.Pos() <= call.Pos() && call.End() <= l.End() {
			return false
		}
	}
	return true
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

// buffered reports whether ch is a local variable, or a variable the
// package assigns only once, made with make(chan T, n) and n not 0: a send
// to it waits only if the buffer is full, and code that sizes a buffer for
// its sends ("one result per fork") does not wait at all.
func buffered(info *types.Info, idx *corral.Index, ch ast.Expr) bool {
	id, ok := ast.Unparen(ch).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	mk, ok := ast.Unparen(idx.Source(v)).(*ast.CallExpr)
	if !ok || len(mk.Args) != 2 {
		return false
	}
	if b, ok := info.Uses[identOf(mk.Fun)].(*types.Builtin); !ok || b.Name() != "make" {
		return false
	}
	if tv, ok := info.Types[mk.Args[1]]; ok && tv.Value != nil && tv.Value.String() == "0" {
		return false
	}
	return true
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}
