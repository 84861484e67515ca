package breaker

import (
	"errors"
	"strconv"
	"strings"

	"github.com/sony/gobreaker/v2"
)

// ErrRejected matches every error of a call that a breaker did not let
// through: [ErrOpen] and [ErrTooManyRequests] both match it.
var ErrRejected = errors.New("breaker: call rejected")

// ErrOpen is the error of a call rejected because the breaker is [Open]. It
// matches [ErrRejected] and gobreaker's [gobreaker.ErrOpenState].
var ErrOpen error = &rejection{msg: "breaker: open", gobreaker: gobreaker.ErrOpenState}

// ErrTooManyRequests is the error of a call rejected because the breaker is
// [HalfOpen] and its trial calls (see [TrialCalls]) are all under way. It
// matches [ErrRejected] and gobreaker's [gobreaker.ErrTooManyRequests].
var ErrTooManyRequests error = &rejection{
	msg:       "breaker: half-open, too many requests",
	gobreaker: gobreaker.ErrTooManyRequests,
}

// rejection is the type of ErrOpen and ErrTooManyRequests.
type rejection struct {
	msg       string
	gobreaker error // the gobreaker sentinel it stands for
}

func (e *rejection) Error() string   { return e.msg }
func (e *rejection) Unwrap() []error { return []error{ErrRejected, e.gobreaker} }

// namedRejection is a rejection by a breaker that has a name. Each named
// breaker builds its two once, so that rejecting a call allocates nothing.
type namedRejection struct {
	msg string
	err error // ErrOpen or ErrTooManyRequests
}

func newNamedRejection(name string, err error) error {
	if name == "" {
		return err
	}
	return &namedRejection{
		msg: "breaker " + strconv.Quote(name) + ": " + strings.TrimPrefix(err.Error(), "breaker: "),
		err: err,
	}
}

func (e *namedRejection) Error() string { return e.msg }
func (e *namedRejection) Unwrap() error { return e.err }

// Retryable reports whether err is worth another attempt as far as a breaker
// can tell: false if a breaker rejected the call (err matches [ErrRejected]),
// true for every other error. It is the predicate for retry.If when each
// attempt goes through a breaker, so that an open breaker ends the retries
// at once instead of spending them on rejections:
//
//	err := retry.Do(ctx, func(ctx context.Context) error {
//		return cb.Do(ctx, call)
//	}, retry.If(breaker.Retryable))
//
// To combine it with a predicate of your own, call both:
// retry.If(func(err error) bool { return breaker.Retryable(err) && temporary(err) }).
func Retryable(err error) bool {
	return !errors.Is(err, ErrRejected)
}
