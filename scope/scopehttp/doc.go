// Package scopehttp serves snapshots of running scopes on a debug HTTP
// endpoint, as text for people and as JSON for tools. It is a package of its
// own so that package scope does not import net/http.
//
//	m := scope.NewMonitor()
//	http.Handle("/debug/scopes", scopehttp.Handler(m))
//	err := scope.Supervised(ctx, serve, scope.WithMonitor(m))
//
// GET /debug/scopes renders the tree as indented text; with ?format=json, or
// an Accept header naming application/json, it renders [scope.Info]
// values as JSON.
package scopehttp
