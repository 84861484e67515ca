// Package scopeescape defines an analyzer that finds scopes stored where
// they outlive the call that made them.
//
// # Analyzer scopeescape
//
// scopeescape: check for a *scope.Scope that outlives its scope
//
// A *scope.Scope is valid for starting forks only until the call to
// scope.Supervised (or scope.Run, or the dispatcher task) that made it
// returns; starting a fork on it afterwards panics. A scope kept in a
// package variable, or stored by its body somewhere that outlives the body,
// is one call away from that panic:
//
//	var bg *scope.Scope // any code may start forks on it, at any time
//
//	scope.Supervised(ctx, func(s *scope.Scope) error {
//		srv.scope = s // srv outlives the body
//		...
//	})
//
// Pass the scope down as a parameter to the code that starts forks, or give
// that code a value bound to the scope's life (a dispatcher.Dispatcher, a
// channel the scope's forks serve) instead of the scope.
//
// The analyzer reports
//   - a package-level variable whose type holds a *scope.Scope;
//   - in a scope body (a function corral calls with a *scope.Scope), the
//     scope, or a value that holds it, being assigned to a variable declared
//     outside the body or to a field or element of one, sent on a channel
//     made outside the body, or returned by the body (scope.Run's result);
//     a value holds the scope if it is the scope, a composite literal or an
//     append with the scope in it, a pointer to one, or a function literal
//     that refers to the scope;
//   - in any function, a *scope.Scope assigned into a package-level variable.
//
// Values that the body creates and keeps to itself may hold the scope (a
// worker struct with a scope field, built and used inside the body), and a
// function that receives a scope as a parameter may store it in what it
// returns (as dispatcher.New does): such values live as long as the code
// that uses them, and the analyzer does not follow them further.
package scopeescape
