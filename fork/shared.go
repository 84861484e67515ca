package fork

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/corral-go/corral/internal/catch"
	"github.com/corral-go/corral/scope"
)

// A Shared runs at most one call per key at a time, and hands its result to
// every caller that asked for that key meanwhile: the cure for a thundering
// herd, where a thousand requests miss the same cache entry at once and
// would otherwise make a thousand identical calls to the backend.
//
// It is [golang.org/x/sync/singleflight] made context-correct. The call runs
// in a fork of the Shared's scope, not on a caller's goroutine, so that a
// caller whose ctx ends stops waiting at once (with its ctx's error) without
// cancelling the call for the others; the call's own context is cancelled
// only when every caller waiting for it has gone, or when the scope ends.
//
// Create one with [NewShared]; the zero Shared is not usable. A Shared is safe
// for concurrent use.
type Shared[V any] struct {
	s     *scope.Scope
	group singleflight.Group // one execution per key, and Forget

	mu    sync.Mutex
	calls map[string]*sharedCall[V]
}

// A sharedCall is one call in flight and the callers waiting for it.
type sharedCall[V any] struct {
	sh      *Shared[V]
	key     string
	f       func(ctx context.Context) (V, error)
	ctx     context.Context
	cancel  context.CancelCauseFunc
	waiters int // guarded by sh.mu
	done    chan struct{}
	v       V
	err     error
}

// ErrSharedCallAbandoned is the cancellation cause of a shared call's
// context when every caller waiting for it has gone.
var ErrSharedCallAbandoned = errors.New("fork: every caller of the shared call stopped waiting")

// NewShared returns a Shared whose calls run as forks of s. The calls are
// daemon forks: they do not keep s open, and s's end cancels those still
// running. A call's error goes to its callers only; a panic in a call fails
// s, as a panic in any fork does, and its callers get the [*scope.PanicError]
// as their error.
//
// NewShared panics if s is nil.
func NewShared[V any](s *scope.Scope) *Shared[V] {
	if s == nil {
		panic("fork: NewShared called with nil s; pass the long-lived scope the calls should run in")
	}
	return &Shared[V]{s: s, calls: map[string]*sharedCall[V]{}}
}

// Do returns the result of the call for key: it joins the call in flight for
// key if there is one, and otherwise starts f as that call. f receives a
// context of the call's own, derived from the Shared's scope: it is cancelled
// (with cause [ErrSharedCallAbandoned]) only once every caller waiting for
// the call has stopped waiting, or when the scope ends.
//
// If ctx ends first, Do returns ctx.Err() at once; the call goes on for the
// other callers. A call that completed is forgotten: the next Do for its key
// starts a new one. Do returns the same value to every caller, so a V that
// is a pointer or a slice is shared by them too.
//
// Do panics if ctx or f is nil, or if the Shared's scope has ended.
func (sh *Shared[V]) Do(ctx context.Context, key string, f func(ctx context.Context) (V, error)) (V, error) {
	mustCtx("Shared.Do", ctx)
	if f == nil {
		panic("fork: Shared.Do called with nil f")
	}
	var zero V
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	sh.mu.Lock()
	c := sh.calls[key]
	if c == nil {
		c = &sharedCall[V]{sh: sh, key: key, f: f, done: make(chan struct{})}
		c.ctx, c.cancel = context.WithCancelCause(sh.s.Context())
		sh.calls[key] = c
		sh.s.Start(scope.ForkSpec{Name: "fork.Shared " + key, Func: f, Daemon: true, Unsupervised: true}, c)
	}
	c.waiters++
	sh.mu.Unlock()

	select {
	case <-c.done:
		return c.v, c.err
	case <-ctx.Done():
	}
	sh.mu.Lock()
	c.waiters--
	abandoned := c.waiters == 0
	if abandoned && sh.calls[key] == c {
		delete(sh.calls, key) // a later Do starts afresh
	}
	sh.mu.Unlock()
	if abandoned {
		sh.group.Forget(key) // nobody joins the execution being cancelled
		c.cancel(ErrSharedCallAbandoned)
	}
	return zero, ctx.Err()
}

// Forget makes the next Do for key start a new call, even if one is in
// flight: the callers waiting for that one still get its result. Use it when
// the result of the call in flight is known to be stale.
func (sh *Shared[V]) Forget(key string) {
	sh.mu.Lock()
	delete(sh.calls, key)
	sh.mu.Unlock()
	sh.group.Forget(key)
}

// Run is the call's fork: singleflight runs f once for the key, even if
// Forget raced with this call's start. A panic in f is caught here, with
// its stack, rather than by singleflight, which would wrap the value in a
// type of its own.
func (c *sharedCall[V]) Run(context.Context) error {
	v, err, _ := c.sh.group.Do(c.key, func() (v any, err error) {
		p := catch.Call(func() { v, err = c.f(c.ctx) }, nil)
		if p != nil {
			return nil, &scope.PanicError{Value: p.Value, Stack: p.Stack, Scope: c.sh.s.String()}
		}
		return v, err
	})
	if v != nil {
		c.v = v.(V)
	}
	return err
}

// Finish publishes the outcome to the waiters, after the scope has seen it.
func (c *sharedCall[V]) Finish(err error) {
	c.err = err
	c.sh.mu.Lock()
	if c.sh.calls[c.key] == c {
		delete(c.sh.calls, c.key)
	}
	c.sh.mu.Unlock()
	c.cancel(context.Canceled) // release the context's resources
	close(c.done)
	if pe, ok := err.(*scope.PanicError); ok {
		// The call's goroutine belongs to the scope: its panic is the
		// scope's, not only the callers'.
		c.sh.s.Go(func(context.Context) error { return pe })
	}
}
