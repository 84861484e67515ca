package goescape

import "github.com/corral-go/corral/scope"

// This file does not import context: the fix adds the import.
func noContextImport(s *scope.Scope) error {
	return scope.Supervised(s.Context(), func(inner *scope.Scope) error {
		go refresh() // want `go statement in a scope body passed to scope.Supervised`
		return nil
	})
}
