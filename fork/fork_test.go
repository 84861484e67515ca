package fork_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

var (
	errBoom  = errors.New("boom")
	errOther = errors.New("other")
)

// catch calls f and returns the value it panicked with, or nil.
func catch(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// asPanicError fails the test unless v is a *scope.PanicError.
func asPanicError(t *testing.T, v any) *scope.PanicError {
	t.Helper()
	pe, ok := v.(*scope.PanicError)
	if !ok {
		t.Fatalf("panic value = %T(%v), want *scope.PanicError", v, v)
	}
	return pe
}

// panicWith panics with v. Tests look for its name in PanicError.Stack, to
// check that the stack is the panicking goroutine's and not the re-panicker's.
//
//go:noinline
func panicWith(v any) (int, error) { panic(v) }

const panicFrame = "fork_test.panicWith"

// A joiner is what every fork kind offers: *fork.Fork and *fork.CancellableFork.
type joiner interface {
	Join() (int, error)
	Done() <-chan struct{}
}

type kind struct {
	name  string
	start func(s *scope.Scope, f func(ctx context.Context) (int, error)) joiner
}

var (
	kindNew          = kind{"New", func(s *scope.Scope, f func(context.Context) (int, error)) joiner { return fork.New(s, f) }}
	kindDaemon       = kind{"Daemon", func(s *scope.Scope, f func(context.Context) (int, error)) joiner { return fork.Daemon(s, f) }}
	kindUnsupervised = kind{"Unsupervised", func(s *scope.Scope, f func(context.Context) (int, error)) joiner { return fork.Unsupervised(s, f) }}
	kindCancellable  = kind{"Cancellable", func(s *scope.Scope, f func(context.Context) (int, error)) joiner { return fork.Cancellable(s, f) }}

	allKinds          = []kind{kindNew, kindDaemon, kindUnsupervised, kindCancellable}
	awaitedKinds      = []kind{kindNew, kindUnsupervised, kindCancellable}
	unsupervisedKinds = []kind{kindUnsupervised, kindCancellable}
)

func TestNewJoinReturnsResult(t *testing.T) {
	tests := []struct {
		name    string
		give    func(ctx context.Context) (int, error)
		wantV   int
		wantErr error // from Join, and from Supervised as it is
	}{
		{name: "value", give: func(context.Context) (int, error) { return 42, nil }, wantV: 42},
		{name: "zero value", give: func(context.Context) (int, error) { return 0, nil }},
		{name: "error", give: func(context.Context) (int, error) { return 0, errBoom }, wantErr: errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				v       int
				joinErr error
			)
			err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
				v, joinErr = fork.New(s, tt.give).Join()
				return nil
			})
			if v != tt.wantV || joinErr != tt.wantErr {
				t.Errorf("Join() = (%d, %v), want (%d, %v)", v, joinErr, tt.wantV, tt.wantErr)
			}
			if err != tt.wantErr {
				t.Errorf("Supervised() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestNewFailureCancelsSiblings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			siblingCause   error
			siblingJoinErr error
			failingJoinErr error
		)
		err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
			started := make(chan struct{})
			sibling := fork.New(s, func(ctx context.Context) (int, error) {
				close(started)
				<-ctx.Done()
				siblingCause = context.Cause(ctx)
				return 0, ctx.Err()
			})
			failing := fork.New(s, func(context.Context) (int, error) {
				<-started
				return 0, errBoom
			})
			_, failingJoinErr = failing.Join()
			_, siblingJoinErr = sibling.Join()
			return nil
		})
		if err != errBoom {
			t.Errorf("Supervised() = %v, want %v (the sibling's cancellation is an echo)", err, errBoom)
		}
		if failingJoinErr != errBoom {
			t.Errorf("failing fork's Join() error = %v, want %v", failingJoinErr, errBoom)
		}
		if siblingCause != errBoom {
			t.Errorf("sibling's context.Cause = %v, want %v", siblingCause, errBoom)
		}
		if !errors.Is(siblingJoinErr, context.Canceled) {
			t.Errorf("sibling's Join() error = %v, want context.Canceled", siblingJoinErr)
		}
	})
}

func TestNewPanic(t *testing.T) {
	tests := []struct {
		name string
		give any // the panic value
	}{
		{name: "string", give: "kaboom"},
		{name: "error", give: errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var joinErr error
			v := catch(func() {
				_ = scope.Supervised(t.Context(), func(s *scope.Scope) error {
					_, joinErr = fork.New(s, func(context.Context) (int, error) { return panicWith(tt.give) }).Join()
					return nil
				})
			})
			pe := asPanicError(t, v)
			if pe.Value != tt.give {
				t.Errorf("re-panic Value = %v, want %v", pe.Value, tt.give)
			}
			if !bytes.Contains(pe.Stack, []byte(panicFrame)) {
				t.Errorf("re-panic Stack does not name %s:\n%s", panicFrame, pe.Stack)
			}
			var joinPE *scope.PanicError
			if !errors.As(joinErr, &joinPE) {
				t.Fatalf("Join() error = %v, want a *scope.PanicError", joinErr)
			}
			if joinPE.Value != tt.give {
				t.Errorf("Join() PanicError.Value = %v, want %v", joinPE.Value, tt.give)
			}
			if err, ok := tt.give.(error); ok && !errors.Is(joinErr, err) {
				t.Errorf("errors.Is(Join() error, %v) = false, want true", err)
			}
		})
	}
}

func TestScopeFailureCancelsEveryKind(t *testing.T) {
	for _, k := range allKinds {
		t.Run(k.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var cause error
				err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
					started := make(chan struct{})
					f := k.start(s, func(ctx context.Context) (int, error) {
						close(started)
						<-ctx.Done()
						cause = context.Cause(ctx)
						return 0, nil
					})
					<-started
					fork.New(s, func(context.Context) (int, error) { return 0, errBoom })
					_, _ = f.Join()
					return nil
				})
				if err != errBoom {
					t.Errorf("Supervised() = %v, want %v", err, errBoom)
				}
				if cause != errBoom {
					t.Errorf("%s fork's context.Cause = %v, want %v", k.name, cause, errBoom)
				}
			})
		})
	}
}

func TestDaemon(t *testing.T) {
	tests := []struct {
		name         string
		give         func(ctx context.Context) (int, error)
		joinInBody   bool
		wantV        int
		wantErr      error // from Join
		wantScopeErr error
	}{
		{
			// The daemon only returns when cancelled: if the scope waited
			// for it before cancelling, the bubble would deadlock.
			name: "cancelled at the end",
			give: func(ctx context.Context) (int, error) {
				<-ctx.Done()
				return 7, context.Cause(ctx)
			},
			wantV:   7,
			wantErr: scope.ErrScopeEnded,
		},
		{
			name:       "returned before the end",
			give:       func(context.Context) (int, error) { return 5, nil },
			joinInBody: true,
			wantV:      5,
		},
		{
			name:         "failed before the end",
			give:         func(context.Context) (int, error) { return 0, errBoom },
			joinInBody:   true,
			wantErr:      errBoom,
			wantScopeErr: errBoom,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var d *fork.Fork[int]
				err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
					d = fork.Daemon(s, tt.give)
					if tt.joinInBody {
						_, _ = d.Join()
					}
					return nil
				})
				if err != tt.wantScopeErr {
					t.Errorf("Supervised() = %v, want %v", err, tt.wantScopeErr)
				}
				select {
				case <-d.Done():
				default:
					t.Fatal("daemon fork still running after Supervised returned")
				}
				if v, err := d.Join(); v != tt.wantV || err != tt.wantErr {
					t.Errorf("Join() after the end = (%d, %v), want (%d, %v)", v, err, tt.wantV, tt.wantErr)
				}
			})
		})
	}
}

func TestAwaitedKindsKeepScopeOpen(t *testing.T) {
	for _, k := range awaitedKinds {
		t.Run(k.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				release := make(chan struct{})
				result := make(chan error, 1)
				var outcome atomic.Int64
				go func() {
					result <- scope.Supervised(t.Context(), func(s *scope.Scope) error {
						// The fork honours its context, so a scope that
						// cancelled it as a daemon would return early too.
						k.start(s, func(ctx context.Context) (int, error) {
							select {
							case <-release:
								outcome.Store(1)
								return 1, nil
							case <-ctx.Done():
								outcome.Store(-1)
								return 0, ctx.Err()
							}
						})
						return nil
					})
				}()
				synctest.Wait()
				select {
				case err := <-result:
					t.Fatalf("Supervised() = %v before its %s fork returned", err, k.name)
				default:
				}
				close(release)
				if err := <-result; err != nil {
					t.Errorf("Supervised() = %v, want nil", err)
				}
				if got := outcome.Load(); got != 1 {
					t.Errorf("fork outcome = %d, want 1 (released, not cancelled)", got)
				}
			})
		})
	}
}

func TestUnsupervisedErrorIsolated(t *testing.T) {
	for _, k := range unsupervisedKinds {
		t.Run(k.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
					release := make(chan struct{})
					sibling := fork.New(s, func(ctx context.Context) (int, error) {
						select {
						case <-release:
							return 1, nil
						case <-ctx.Done():
							return 0, context.Cause(ctx)
						}
					})
					f := k.start(s, func(context.Context) (int, error) { return 0, errBoom })
					if _, err := f.Join(); err != errBoom {
						t.Errorf("Join() error = %v, want %v", err, errBoom)
					}
					synctest.Wait() // let a wrongly supervised failure reach the scope
					if err := s.Context().Err(); err != nil {
						t.Errorf("scope's context = %v (cause %v), want not cancelled", err, context.Cause(s.Context()))
					}
					close(release)
					if v, err := sibling.Join(); v != 1 || err != nil {
						t.Errorf("sibling Join() = (%d, %v), want (1, nil)", v, err)
					}
					return nil
				})
				if err != nil {
					t.Errorf("Supervised() = %v, want nil", err)
				}
			})
		})
	}
}

func TestUnsupervisedPanic(t *testing.T) {
	tests := []struct {
		name string
		// join joins f (or not) inside the scope and reports the values
		// each Join panicked with.
		join        func(s *scope.Scope, f joiner) []any
		wantJoins   int  // Joins that must re-panic
		wantRepanic bool // whether Supervised re-panics
	}{
		{
			name: "never joined",
			join: func(s *scope.Scope, f joiner) []any {
				<-f.Done() // waiting is not joining
				synctest.Wait()
				return nil
			},
			wantRepanic: true,
		},
		{
			name: "joined by the body",
			join: func(s *scope.Scope, f joiner) []any {
				return []any{catch(func() { _, _ = f.Join() })}
			},
			wantJoins: 1,
		},
		{
			name: "joined twice",
			join: func(s *scope.Scope, f joiner) []any {
				return []any{catch(func() { _, _ = f.Join() }), catch(func() { _, _ = f.Join() })}
			},
			wantJoins: 2,
		},
		{
			name: "joined by another fork",
			join: func(s *scope.Scope, f joiner) []any {
				v, _ := fork.New(s, func(context.Context) (any, error) {
					return catch(func() { _, _ = f.Join() }), nil
				}).Join()
				return []any{v}
			},
			wantJoins: 1,
		},
	}
	for _, k := range unsupervisedKinds {
		for _, tt := range tests {
			t.Run(k.name+"/"+tt.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					var joins []any
					var err error
					v := catch(func() {
						err = scope.Supervised(t.Context(), func(s *scope.Scope) error {
							f := k.start(s, func(context.Context) (int, error) { return panicWith("kaboom") })
							joins = tt.join(s, f)
							if err := s.Context().Err(); err != nil {
								t.Errorf("panic cancelled the scope before its end: %v", context.Cause(s.Context()))
							}
							return nil
						})
					})
					if len(joins) != tt.wantJoins {
						t.Fatalf("got %d joins, want %d", len(joins), tt.wantJoins)
					}
					for i, jv := range joins {
						if pe := asPanicError(t, jv); pe.Value != "kaboom" {
							t.Errorf("Join #%d panicked with Value %v, want kaboom", i, pe.Value)
						}
					}
					if !tt.wantRepanic {
						if v != nil || err != nil {
							t.Errorf("Supervised() = %v, panicked with %v; want nil and no panic", err, v)
						}
						return
					}
					pe := asPanicError(t, v)
					if pe.Value != "kaboom" {
						t.Errorf("Supervised re-panicked with Value %v, want kaboom", pe.Value)
					}
					if !bytes.Contains(pe.Stack, []byte(panicFrame)) {
						t.Errorf("re-panic Stack does not name %s:\n%s", panicFrame, pe.Stack)
					}
				})
			})
		}
	}
}

func TestCancellableCancelIsolated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
			started := make(chan struct{})
			release := make(chan struct{})
			var cause error
			cf := fork.Cancellable(s, func(ctx context.Context) (int, error) {
				close(started)
				<-ctx.Done()
				cause = context.Cause(ctx)
				return 5, nil // a success after Cancel still reports Canceled
			})
			sibling := fork.New(s, func(ctx context.Context) (int, error) {
				select {
				case <-release:
					return 1, nil
				case <-ctx.Done():
					return 0, context.Cause(ctx)
				}
			})
			<-started
			cf.Cancel()
			if v, err := cf.Join(); v != 0 || !errors.Is(err, context.Canceled) {
				t.Errorf("Join() after Cancel = (%d, %v), want (0, context.Canceled)", v, err)
			}
			if !errors.Is(cause, context.Canceled) {
				t.Errorf("fork's context.Cause = %v, want context.Canceled", cause)
			}
			synctest.Wait()
			if err := s.Context().Err(); err != nil {
				t.Errorf("Cancel cancelled the scope: %v", context.Cause(s.Context()))
			}
			close(release)
			if v, err := sibling.Join(); v != 1 || err != nil {
				t.Errorf("sibling Join() = (%d, %v), want (1, nil)", v, err)
			}
			return nil
		})
		if err != nil {
			t.Errorf("Supervised() = %v, want nil", err)
		}
	})
}

func TestCancellableCancelAfterCompletion(t *testing.T) {
	tests := []struct {
		name    string
		give    func(ctx context.Context) (int, error)
		wantV   int
		wantErr error
	}{
		{name: "value", give: func(context.Context) (int, error) { return 5, nil }, wantV: 5},
		{name: "error", give: func(context.Context) (int, error) { return 0, errBoom }, wantErr: errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
				cf := fork.Cancellable(s, tt.give)
				<-cf.Done()
				cf.Cancel()
				cf.Cancel()
				if v, err := cf.Join(); v != tt.wantV || err != tt.wantErr {
					t.Errorf("Join() = (%d, %v), want (%d, %v)", v, err, tt.wantV, tt.wantErr)
				}
				cf.Cancel() // after Join too
				if v, err := cf.Join(); v != tt.wantV || err != tt.wantErr {
					t.Errorf("second Join() = (%d, %v), want (%d, %v)", v, err, tt.wantV, tt.wantErr)
				}
				return nil
			})
			if err != nil {
				t.Errorf("Supervised() = %v, want nil", err)
			}
		})
	}
}

func TestCancellableCancelBeforeFuncRuns(t *testing.T) {
	err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
		gate := make(chan struct{})
		var atStart error
		cf := fork.Cancellable(s, func(ctx context.Context) (int, error) {
			<-gate
			atStart = ctx.Err()
			return 5, nil
		})
		cf.Cancel()
		close(gate)
		if v, err := cf.Join(); v != 0 || !errors.Is(err, context.Canceled) {
			t.Errorf("Join() = (%d, %v), want (0, context.Canceled)", v, err)
		}
		if !errors.Is(atStart, context.Canceled) {
			t.Errorf("f started with ctx.Err() = %v, want context.Canceled", atStart)
		}
		return nil
	})
	if err != nil {
		t.Errorf("Supervised() = %v, want nil", err)
	}
}

func TestDoneClosesWhenFuncReturns(t *testing.T) {
	for _, k := range allKinds {
		t.Run(k.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				err := scope.Supervised(t.Context(), func(s *scope.Scope) error {
					release := make(chan struct{})
					f := k.start(s, func(context.Context) (int, error) {
						<-release
						return 3, nil
					})
					synctest.Wait()
					select {
					case <-f.Done():
						t.Fatal("Done closed while the function runs")
					default:
					}
					close(release)
					<-f.Done()
					if v, err := f.Join(); v != 3 || err != nil {
						t.Errorf("Join() after Done = (%d, %v), want (3, nil)", v, err)
					}
					return nil
				})
				if err != nil {
					t.Errorf("Supervised() = %v, want nil", err)
				}
			})
		})
	}
}

func TestStartPanics(t *testing.T) {
	var ended *scope.Scope
	_ = scope.Supervised(t.Context(), func(s *scope.Scope) error {
		ended = s
		return nil
	}, scope.WithName("finished"))

	ok := func(context.Context) (int, error) { return 0, nil }
	for _, k := range allKinds {
		tests := []struct {
			name string
			give func()
			want []string // substrings of the panic message
		}{
			{
				name: "nil f",
				give: func() {
					_ = scope.Supervised(t.Context(), func(s *scope.Scope) error {
						k.start(s, nil)
						return nil
					})
				},
				want: []string{"fork: " + k.name, "nil"},
			},
			{
				name: "ended scope",
				give: func() { k.start(ended, ok) },
				want: []string{`"finished"`, "ended"},
			},
		}
		for _, tt := range tests {
			t.Run(k.name+"/"+tt.name, func(t *testing.T) {
				msg := fmt.Sprint(catch(tt.give))
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("panic = %q, want it to contain %q", msg, w)
					}
				}
			})
		}
	}
}
