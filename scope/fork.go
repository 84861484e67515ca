package scope

import (
	"context"

	"github.com/corral-go/corral/internal/hook"
)

func init() {
	hook.Start = func(s any, k hook.Kind, name string, fn any, f func(ctx context.Context) error) {
		s.(*Scope).start(k, name, fn, f)
	}
	hook.AtEnd = func(s any, check func() error) {
		s.(*Scope).addCheck(check)
	}
	hook.NewPanic = func(s any, v any) error {
		return s.(*Scope).newPanic(v)
	}
}

// Go starts f in a new goroutine, a fork of the scope, and returns at once.
// The scope waits for f to return before it ends; an error or a panic from f
// fails the scope (see [Supervised]).
//
// f receives the scope's context and must return soon after it is cancelled:
// Go cannot stop a goroutine, so a fork that ignores its context keeps the
// scope, and the caller of Supervised, waiting.
//
// Go may be called from the body, from a fork, or from any goroutine while
// the scope has not ended. A fork started after the body returned but while
// the scope is still waiting for its forks is allowed; once the scope's
// context is cancelled, such a fork starts with that cancelled context. Go
// panics if f is nil or if the scope has ended. To get f's result, use
// [github.com/corral-go/corral/fork.New].
func (s *Scope) Go(f func(ctx context.Context) error) {
	if f == nil {
		panic("scope: Go called with nil f")
	}
	s.start(hook.User, "", f, f)
}

// GoDaemon starts f as a daemon fork: like [Scope.Go], except that the scope
// does not wait for f before it ends. Once the body and the awaited forks have
// returned, the scope's context is cancelled with cause [ErrScopeEnded] and
// the scope waits for its daemon forks to return; errors they return after
// that are discarded, since the scope asked them to stop. A daemon fork's
// error or panic before that point fails the scope like any other fork's.
//
// Use daemon forks for background work that lives as long as the scope needs
// it: a heartbeat, a cache refresher, the consumer of a channel.
func (s *Scope) GoDaemon(f func(ctx context.Context) error) {
	if f == nil {
		panic("scope: GoDaemon called with nil f")
	}
	s.start(hook.Daemon, "", f, f)
}

// GoNamed is [Scope.Go] with a name for the fork, which diagnostics show
// (see [WithStuckReport]).
func (s *Scope) GoNamed(name string, f func(ctx context.Context) error) {
	if f == nil {
		panic("scope: GoNamed called with nil f")
	}
	s.start(hook.User, name, f, f)
}

// GoDaemonNamed is [Scope.GoDaemon] with a name for the fork, which
// diagnostics show (see [WithStuckReport]).
func (s *Scope) GoDaemonNamed(name string, f func(ctx context.Context) error) {
	if f == nil {
		panic("scope: GoDaemonNamed called with nil f")
	}
	s.start(hook.Daemon, name, f, f)
}

func (s *Scope) start(k hook.Kind, name string, fn any, f func(ctx context.Context) error) {
	s.mu.Lock()
	if s.state == ended {
		s.mu.Unlock()
		panic("scope: fork started after " + s.describe() + " ended")
	}
	if k == hook.Daemon {
		s.daemons++
	} else {
		s.users++
	}
	if s.diag != nil {
		rec := s.trackForkLocked(k, name, fn)
		user := f
		f = func(context.Context) error {
			defer s.untrackFork(rec)
			return s.runDiag(rec, user)
		}
	}
	s.mu.Unlock()
	// Only f and k cross to the new goroutine: the go statement allocates
	// a closure of what it passes, once per fork.
	go s.run(f, k)
}

func (s *Scope) run(f func(ctx context.Context) error, k hook.Kind) {
	var err error
	returned := false
	defer func() {
		if !returned {
			if v := recover(); v != nil {
				err = s.newPanic(v)
			} else {
				err = ErrGoexit
			}
		}
		if err != nil && k != hook.Unsupervised {
			// Fail before this fork counts as ended, so that the
			// context's cause is this failure and not the ErrScopeEnded
			// of a normal end that the scope could otherwise reach first.
			s.fail(err, k == hook.Daemon)
		}
		s.forkEnded(k)
	}()
	err = f(s.ctx)
	returned = true
}

func (s *Scope) forkEnded(k hook.Kind) {
	s.mu.Lock()
	if k == hook.Daemon {
		s.daemons--
	} else {
		s.users--
	}
	wake := s.waiting && s.users == 0 && (s.state == ending || s.daemons == 0)
	if wake {
		s.waiting = false
	}
	s.mu.Unlock()
	if wake {
		// Signal after unlocking, so the scope's goroutine does not wake
		// up only to block on s.mu at once.
		s.wake.Signal()
	}
}

func (s *Scope) addCheck(check func() error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == ended {
		panic("scope: internal error: check added after " + s.describe() + " ended")
	}
	o := s.outcomeLocked()
	o.atEnd = append(o.atEnd, check)
}
