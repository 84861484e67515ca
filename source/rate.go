package source

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// ErrBurstZero is the error of a run whose [Source.RateLimit] stage has a
// limiter that can let no value pass: a finite limit with a burst of 0.
var ErrBurstZero = errors.New("source: rate limiter with a burst of 0 lets no value pass")

// RateLimit returns a Source of the values of s, passed on at the pace of
// lim, a token bucket from golang.org/x/time/rate: each value takes a token
// before it goes on, waiting for one if it must. Values are delayed, never
// dropped: s is slowed down. So they go out at lim.Limit() per second on
// average, in bursts of up to lim.Burst(), and a value that finds a token
// waiting goes on at once.
//
// The limiter may be shared, with other runs, other stages or the rest of
// the program (the limiter of an API client, say): all of them then keep to
// its pace together. Changes to the limiter (SetLimit, SetBurst) apply from
// the next value on.
//
// RateLimit starts no goroutine and buffers nothing: it waits on the
// goroutine that runs s, inside the call that passes a value on. A wait
// ends when the run's context is done, and the run then fails with the
// context's error; the token that the value had reserved goes back to the
// limiter. A limiter with a finite limit and a burst of 0 fails the run with
// [ErrBurstZero]. RateLimit passes the downstream's demand on unchanged: a
// Take(3) after it takes 3 tokens.
//
// RateLimit and [Source.Throttle] answer different questions. Throttle(n,
// per) promises that no window of length per sees more than n values, the
// limit an API that counts requests per window enforces. A token bucket
// promises an average rate with bounded bursts, and may let through up to
// about twice its burst within one window (a full bucket, then a refill):
// use RateLimit to share a pace with the code around the pipeline, or when
// the other side is a token bucket itself.
//
// RateLimit panics if lim is nil.
func (s Source[T]) RateLimit(lim *rate.Limiter) Source[T] {
	if lim == nil {
		panic("source: RateLimit called with nil lim; pass a limiter made by rate.NewLimiter")
	}
	up := s.runner()
	return Source[T]{run: func(ctx context.Context, want int, out sink[T]) error {
		if stop(want) {
			return nil
		}
		p := pacer{lim: lim, ctx: ctx}
		defer p.stop()
		err := up(ctx, want, sink[T]{
			batches: pushFunc[T](func(batch []T) int {
				// Values whose tokens are there at once go on together;
				// a wait first passes on those before it.
				i := 0
				for j := range batch {
					r, delay, perr := p.reserve()
					if perr == nil && delay > 0 && j > i {
						if want = out.push(batch[i:j:j]); stop(want) {
							r.Cancel()
							return 0
						}
						i = j
						delay = r.DelayFrom(time.Now())
					}
					if perr == nil && delay > 0 {
						perr = p.wait(r, delay)
					}
					if perr != nil {
						if j > i {
							out.push(batch[i:j:j])
						}
						return 0
					}
				}
				want = out.push(batch[i:])
				return want
			}),
			one: func(v T) int {
				r, delay, perr := p.reserve()
				if perr == nil && delay > 0 {
					perr = p.wait(r, delay)
				}
				if perr != nil {
					return 0
				}
				want = out.one(v)
				return want
			},
		})
		if err == nil {
			err = p.err
		}
		return err
	}}
}

// A pacer takes tokens from a limiter for one run of a RateLimit stage.
type pacer struct {
	lim   *rate.Limiter
	ctx   context.Context
	timer *time.Timer
	err   error // why the stage stopped its upstream, if it did
}

// reserve reserves a token for one value and returns the reservation and
// how long to wait for it.
func (p *pacer) reserve() (*rate.Reservation, time.Duration, error) {
	now := time.Now()
	r := p.lim.ReserveN(now, 1)
	if !r.OK() {
		p.err = fmt.Errorf("%w (limit %v)", ErrBurstZero, p.lim.Limit())
		return r, 0, p.err
	}
	return r, r.DelayFrom(now), nil
}

// wait waits for delay, the time r's token takes to come, or until the
// run's context is done: then it gives the token back and returns the
// context's error.
//
// Unlike rate.Limiter.Wait, it does not give up at once when the token
// would come after the context's deadline: the run then fails when the
// deadline passes, with context.DeadlineExceeded, as any other wait of a
// run does.
func (p *pacer) wait(r *rate.Reservation, delay time.Duration) error {
	if p.timer == nil {
		p.timer = time.NewTimer(delay)
	} else {
		p.timer.Reset(delay)
	}
	select {
	case <-p.timer.C:
		return nil
	case <-p.ctx.Done():
		r.Cancel()
		p.err = p.ctx.Err()
		return p.err
	}
}

func (p *pacer) stop() {
	if p.timer != nil {
		p.timer.Stop()
	}
}
