package scopeescape

import (
	"context"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/scope"
)

var root *scope.Scope // want `package variable root holds a \*scope.Scope`

var registry = map[string]*scope.Scope{} // want `package variable registry holds a \*scope.Scope`

var app struct { // want `package variable app holds a \*scope.Scope`
	name  string
	scope *scope.Scope
}

type server struct {
	scope *scope.Scope
	name  string
}

var current *server

var later func()

func storedInGlobal(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		root = s          // reported at the declaration of root
		current.scope = s // want `scope s escapes its body: stored in package variable current`
		return nil
	})
}

func storedInOuterVariable(ctx context.Context) {
	var leaked *scope.Scope
	_ = scope.Supervised(ctx, func(s *scope.Scope) error {
		leaked = s // want `scope s escapes its body: stored in variable leaked declared outside the body, which outlives the call to scope.Supervised`
		return nil
	})
	leaked.Go(func(context.Context) error { return nil })
}

func storedInField(ctx context.Context, srv *server) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		srv.scope = s // want `stored in variable srv declared outside the body`
		return nil
	})
}

func throughLocal(ctx context.Context, all *[]*server) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		h := &server{scope: s, name: "h"}
		h2 := h
		*all = append(*all, h2) // want `stored in variable all declared outside the body`
		return nil
	})
}

func closure(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		later = func() { // want `stored in package variable later`
			s.Go(func(context.Context) error { return nil })
		}
		return nil
	})
}

func fromFork(ctx context.Context) error {
	var leaked *scope.Scope
	err := scope.Supervised(ctx, func(s *scope.Scope) error {
		s.Go(func(context.Context) error {
			leaked = s // want `stored in variable leaked declared outside the body`
			return nil
		})
		return nil
	})
	_ = leaked
	return err
}

func sent(ctx context.Context, out chan<- *scope.Scope) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		out <- s // want `scope s escapes its body: sent on a channel`
		return nil
	})
}

func returned(ctx context.Context) (*scope.Scope, error) {
	return scope.Run(ctx, func(s *scope.Scope) (*scope.Scope, error) {
		return s, nil // want `scope s escapes its body: returned from it`
	})
}

func task(d *dispatcher.Dispatcher, srv *server) {
	_ = d.RunAsync(func(ts *scope.Scope) error {
		srv.scope = ts // want `scope ts escapes its body: stored in variable srv declared outside the body, which outlives the call to Dispatcher.RunAsync`
		return nil
	}, nil)
}

func helperStoresGlobal(s *scope.Scope) {
	current = &server{}
	current.scope = s // want `\*scope.Scope stored in package variable current`
}

// Negative cases.

func passedDown(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		startWorkers(s)
		return nil
	})
}

func startWorkers(s *scope.Scope) {
	s.Go(func(context.Context) error { return nil })
}

// newServer receives a scope and binds a value to it, as dispatcher.New
// does: the value lives as long as the code that uses it.
func newServer(s *scope.Scope) *server {
	return &server{scope: s}
}

func localHolder(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		srv := newServer(s)
		w := &server{scope: s}
		ch := make(chan *scope.Scope, 1)
		ch <- s
		<-ch
		run(srv, w)
		return nil
	})
}

func run(...*server) {}

func closureKeptInside(ctx context.Context) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		start := func() { s.Go(func(context.Context) error { return nil }) }
		start()
		return nil
	})
}

func dispatcherOutlives(ctx context.Context, out **dispatcher.Dispatcher) error {
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		*out = dispatcher.New(s) // a dispatcher closes with its scope: no panic later
		return nil
	})
}

func outerValueNotScope(ctx context.Context) error {
	var name string
	return scope.Supervised(ctx, func(s *scope.Scope) error {
		name = s.String()
		_ = name
		return nil
	})
}
