// Package app is a stub of github.com/corral-go/corral/app.
package app

import "github.com/corral-go/corral/scope"

type Option interface{ apply() }

func Run(body func(s *scope.Scope) error, opts ...Option) int { return 0 }
func Main(body func(s *scope.Scope) error, opts ...Option)    {}
