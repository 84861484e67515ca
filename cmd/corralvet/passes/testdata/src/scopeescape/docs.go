package scopeescape

import (
	"context"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

// The examples of docs/corralvet.md.

var background *scope.Scope // want `package variable background holds a \*scope.Scope`

type Server struct {
	scope *scope.Scope
	tasks *dispatcher.Dispatcher
}

func (srv *Server) listen(...*scope.Scope) error { return nil }

func (srv *Server) Run(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		srv.scope = s // want `scope s escapes its body: stored in variable srv declared outside the body`
		return srv.listen()
	})
}

func (srv *Server) RunAfter(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		srv.tasks = dispatcher.New(s)
		return srv.listen(s)
	})
}
