package scope

import (
	"context"
	"runtime"

	"github.com/corral-go/corral/internal/catch"
)

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
// context is cancelled, such a fork starts with that cancelled context.
//
// In a scope with a limit (see [WithLimit]), Go first waits for a free slot.
// If the scope's context is cancelled while it waits, Go returns without
// starting f: the scope is stopping, and f would only have seen a cancelled
// context.
//
// Go panics if f is nil or if the scope has ended. To get f's result, use
// [github.com/corral-go/corral/fork.New].
func (s *Scope) Go(f func(ctx context.Context) error) {
	if f == nil {
		panic("scope: Go called with nil f")
	}
	s.start("Go", 0, "", f, funcJob(f), true)
}

// TryGo starts f like [Scope.Go] if it can do so without waiting, and
// reports whether it did. In a scope without a limit it always starts f; in a
// scope with one (see [WithLimit]) it starts f only if a slot is free now, or
// returns false at once. TryGo never blocks. Like errgroup's TryGo, it lets a
// producer shed load or do the work itself instead of waiting.
//
// TryGo panics if f is nil or if the scope has ended.
func (s *Scope) TryGo(f func(ctx context.Context) error) bool {
	if f == nil {
		panic("scope: TryGo called with nil f")
	}
	return s.start("TryGo", 0, "", f, funcJob(f), false)
}

// GoDaemon starts f as a daemon fork: like [Scope.Go], except that the scope
// does not wait for f before it ends. Once the body and the awaited forks have
// returned, the scope's context is cancelled with cause [ErrScopeEnded] and
// the scope waits for its daemon forks to return; errors they return after
// that are discarded, since the scope asked them to stop. A daemon fork's
// error or panic before that point fails the scope like any other fork's.
// Daemon forks do not count against a scope's limit (see [WithLimit]).
//
// Use daemon forks for background work that lives as long as the scope needs
// it: a heartbeat, a cache refresher, the consumer of a channel.
func (s *Scope) GoDaemon(f func(ctx context.Context) error) {
	if f == nil {
		panic("scope: GoDaemon called with nil f")
	}
	s.start("GoDaemon", daemonKind, "", f, funcJob(f), true)
}

// GoNamed is [Scope.Go] with a name for the fork, which diagnostics show
// (see [WithStuckReport]).
func (s *Scope) GoNamed(name string, f func(ctx context.Context) error) {
	if f == nil {
		panic("scope: GoNamed called with nil f")
	}
	s.start("GoNamed", 0, name, f, funcJob(f), true)
}

// GoDaemonNamed is [Scope.GoDaemon] with a name for the fork, which
// diagnostics show (see [WithStuckReport]).
func (s *Scope) GoDaemonNamed(name string, f func(ctx context.Context) error) {
	if f == nil {
		panic("scope: GoDaemonNamed called with nil f")
	}
	s.start("GoDaemonNamed", daemonKind, name, f, funcJob(f), true)
}

// A Job is a fork's work together with what to do with its outcome. Most code
// needs only [Scope.Go]; Job and [Scope.Start] are the building blocks of
// forks with results and of runners that outlive one piece of work: package
// fork's typed forks and the dispatcher's runners are Jobs.
type Job interface {
	// Run does the fork's work on the fork's goroutine, with the scope's
	// context.
	Run(ctx context.Context) error

	// Finish receives how Run ended: nil, Run's error, a *PanicError if Run
	// panicked, or ErrGoexit if Run's goroutine called runtime.Goexit. It
	// is called on the fork's goroutine after the scope has recorded the
	// outcome (so a failure of a supervised fork has already cancelled the
	// scope with itself as the cause) and before the fork counts as ended,
	// so that Finish may still start forks or call [Scope.Defer]. A Job
	// that publishes its result (to a Join, say) does it here: whoever sees
	// the result then also sees the scope's reaction to it.
	//
	// In a scope with a limit whose context is cancelled while [Scope.Start]
	// waits for a slot, Run is never called, and Finish receives the
	// context's cause on the goroutine that called Start.
	Finish(outcome error)
}

// A ForkSpec says how [Scope.Start] runs a [Job]. The zero ForkSpec is an
// awaited, supervised fork with no name, as [Scope.Go] starts.
type ForkSpec struct {
	// Name names the fork in diagnostics (see [WithStuckReport]).
	Name string
	// Func is the function that diagnostics name for an unnamed fork: the
	// user's function that the Job runs. When nil, the Job's type is named.
	Func any
	// Daemon makes the fork a daemon fork (see [Scope.GoDaemon]): not
	// awaited, cancelled at the scope's normal end, not counted against
	// the scope's limit.
	Daemon bool
	// Unsupervised makes the fork's outcome the Job's business alone: an
	// error, a panic or a Goexit goes to [Job.Finish] and never fails the
	// scope. A Job whose failure must still reach the scope reports it,
	// for instance by starting a fork that returns it.
	Unsupervised bool
}

// Start starts job as a fork of the scope, as spec describes, and returns at
// once; job.Run runs in a new goroutine, then job.Finish. It follows the
// rules of [Scope.Go] (or of [Scope.GoDaemon] for a daemon fork): it may be
// called from any goroutine until the scope has ended, and in a scope with a
// limit an awaited fork first waits for a slot.
//
// Start panics if job is nil or if the scope has ended.
func (s *Scope) Start(spec ForkSpec, job Job) {
	if job == nil {
		panic("scope: Start called with nil job")
	}
	var k kind
	if spec.Daemon {
		k |= daemonKind
	}
	if spec.Unsupervised {
		k |= unsupervisedKind
	}
	fn := spec.Func
	if fn == nil {
		fn = job
	}
	s.start("Start", k, spec.Name, fn, job, true)
}

// kind says how a scope treats a fork.
type kind uint8

const (
	daemonKind       kind = 1 << iota // not awaited; cancelled at the normal end
	unsupervisedKind                  // the outcome goes to the Job only
)

func (k kind) awaited() bool { return k&daemonKind == 0 }

// funcJob is the Job of a plain fork function. A func value is one pointer,
// so turning it into a Job allocates nothing.
type funcJob func(ctx context.Context) error

func (f funcJob) Run(ctx context.Context) error { return f(ctx) }
func (funcJob) Finish(error)                    {}

// start starts job as a fork of kind k and reports whether it did. Awaited
// forks of a limited scope take a slot first: waiting for one if wait is
// set, until the scope's context is cancelled.
func (s *Scope) start(method string, k kind, name string, fn any, job Job, wait bool) bool {
	if s == nil {
		panic("scope: " + method + " called on a nil *Scope; start forks in the scope passed to the body")
	}
	if s.state.Load()&stateEnded != 0 {
		s.panicEnded(method)
	}
	limited := s.slots != nil && k.awaited()
	if limited {
		if !s.takeSlot(wait) {
			if wait {
				job.Finish(context.Cause(s.ctx))
			}
			return false
		}
	}
	delta := uint64(stateAwaited)
	if !k.awaited() {
		delta = stateDaemon
	}
	for {
		w := s.state.Load()
		if w&stateEnded != 0 {
			if limited {
				<-s.slots
			}
			s.panicEnded(method)
		}
		n := awaitedOf(w)
		if !k.awaited() {
			n = daemonsOf(w)
		}
		if n == awaitedMask { // one more would spill into the next field
			panic("scope: " + method + ": 16,777,215 forks of one kind already running in " + s.describe())
		}
		if s.state.CompareAndSwap(w, w+delta) {
			break
		}
	}
	if s.diag != nil {
		s.mu.Lock()
		job = &diagJob{Job: job, rec: s.trackForkLocked(k, name, fn)}
		s.mu.Unlock()
	}
	// The go statement allocates a closure of the function and what it
	// passes, once per fork: the kind is in which function runs, so that
	// the closure is three words, a 32-byte block.
	switch k {
	case 0:
		go s.runAwaited(job)
	case daemonKind:
		go s.runDaemon(job)
	case unsupervisedKind:
		go s.runUnsupervised(job)
	default:
		go s.runUnsupervisedDaemon(job)
	}
	return true
}

// panicEnded reports a fork started in a scope that has ended.
func (s *Scope) panicEnded(method string) {
	panic("scope: " + method + " called after " + s.describe() +
		" ended; start forks from the body or a fork, before Supervised returns")
}

// run is a fork's goroutine.
func (s *Scope) runAwaited(job Job)            { s.run(job, 0) }
func (s *Scope) runDaemon(job Job)             { s.run(job, daemonKind) }
func (s *Scope) runUnsupervised(job Job)       { s.run(job, unsupervisedKind) }
func (s *Scope) runUnsupervisedDaemon(job Job) { s.run(job, unsupervisedKind|daemonKind) }

func (s *Scope) run(job Job, k kind) {
	var err error
	p := catch.Call(func() { err = s.runJob(job) }, func() {
		s.forkReturned(job, k, ErrGoexit)
	})
	if p != nil {
		err = s.newPanic(p)
	}
	s.forkReturned(job, k, err)
}

func (s *Scope) runJob(job Job) error {
	if dj, ok := job.(*diagJob); ok {
		return s.runDiag(dj.rec, dj.Job)
	}
	return job.Run(s.ctx)
}

// A diagJob is the Job of a fork of a scope with diagnostics: the user's
// Job and the fork's record.
type diagJob struct {
	Job
	rec *forkRecord
}

// forkReturned records a fork's outcome, hands it to the Job, and only then
// counts the fork as ended: record first, then publish, then let the scope
// move on.
func (s *Scope) forkReturned(job Job, k kind, err error) {
	if err != nil && k&unsupervisedKind == 0 {
		s.fail(err, k&daemonKind != 0)
	}
	if k.awaited() && s.slots != nil {
		// The function has returned, and a failure has cancelled the
		// scope: a fork waiting for this slot will not start.
		<-s.slots
	}
	s.finish(job, err, k)
}

// finish calls job.Finish, then ends the fork. A Finish that panics fails the
// scope; one that calls runtime.Goexit still ends the fork.
func (s *Scope) finish(job Job, err error, k kind) {
	p := catch.Call(func() { job.Finish(err) }, func() { s.forkEnded(job, k) })
	if p != nil {
		s.fail(s.newPanic(p), false)
	}
	s.forkEnded(job, k)
}

func (s *Scope) forkEnded(job Job, k kind) {
	if dj, ok := job.(*diagJob); ok {
		s.mu.Lock()
		delete(s.info.forks, dj.rec)
		s.mu.Unlock()
	}
	delta := uint64(stateAwaited)
	if !k.awaited() {
		delta = stateDaemon
	}
	if w := s.state.Add(-delta); w&stateWaiting == 0 || !settled(w) {
		return
	}
	// The scope waits, and this fork is the one it waits for. Take mu to
	// wake it: the scope holds mu until it is about to sleep, and has made
	// the channel by then.
	s.mu.Lock()
	if w := s.state.Load(); w&stateWaiting != 0 && settled(w) {
		s.state.And(^uint64(stateWaiting))
		s.wake <- struct{}{}
	}
	s.mu.Unlock()
}

// takeSlot takes a slot of a limited scope: at once or not at all without
// wait, and otherwise when one frees or until the scope is cancelled, which
// it reports with false. A scope whose context is cancelled gives no slot,
// even a free one.
func (s *Scope) takeSlot(wait bool) bool {
	if s.ctx.Err() != nil {
		return false
	}
	select { // a free slot: no select over two channels
	case s.slots <- struct{}{}:
		return true
	default:
		if !wait {
			return false
		}
	}
	// The forks holding the slots were likely started by this goroutine
	// and queued behind it on its processor: yielding once lets them run
	// and free their slots, where parking in the select at once costs a
	// park and a wake-up for every fork started.
	for range 3 {
		runtime.Gosched()
		select {
		case s.slots <- struct{}{}:
			return true
		default:
		}
	}
	select {
	case s.slots <- struct{}{}:
		return true
	case <-s.ctx.Done():
		return false
	}
}
