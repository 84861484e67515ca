package handoff

import (
	"context"
	"sync"
	"time"
)

// A Slot holds one value of type V that a producer goroutine updates and a
// consumer goroutine takes: the combination that Conflate passes on, the
// group that Batch fills. The consumer takes the value once it is ready: at
// once, or once a delay has passed since it arrived (a quiet period, a time
// window), or when the producer reports it full; a timer of the consumer's
// measures the delay. When the producer has ended, the value left goes on
// at once.
//
// The producer updates the value in two steps, Claim and Put, so that it
// can run code that may panic or take time (a user's combine function)
// without holding the lock: in between, the consumer finds the slot empty
// and waits for Put.
type Slot[V any] struct {
	mu       sync.Mutex
	v        V
	has      bool
	full     bool      // the producer says v takes no more
	at       time.Time // when v arrived, as the producer says
	ended    bool      // the producer has ended
	consumer Signal    // the consumer waits for a value, the end or the delay
	producer Signal    // the producer waits for the consumer to take v
	timer    *time.Timer
}

// NewSlot returns an empty slot.
func NewSlot[V any]() *Slot[V] {
	return &Slot[V]{consumer: NewSignal(), producer: NewSignal()}
}

// Claim takes the value out of the slot for the producer to update, with
// the time it arrived; has is false if the slot was empty. The producer
// must Put a value back.
func (s *Slot[V]) Claim() (v V, has bool, at time.Time) {
	var zero V
	s.mu.Lock()
	v, has, at = s.v, s.has, s.at
	s.v, s.has = zero, false
	s.mu.Unlock()
	return v, has, at
}

// Put stores v, which arrived at the time at, for the consumer; full says
// that it takes no more values, so that the consumer passes it on at once.
func (s *Slot[V]) Put(v V, at time.Time, full bool) {
	s.mu.Lock()
	s.v, s.has, s.at, s.full = v, true, at, full
	s.consumer.Notify()
	s.mu.Unlock()
}

// WaitTaken waits until the consumer has taken the value in the slot (at
// once if it is empty), and reports false if done was closed first.
func (s *Slot[V]) WaitTaken(done <-chan struct{}) bool {
	for {
		s.mu.Lock()
		if !s.has {
			s.mu.Unlock()
			return true
		}
		s.producer.Arm()
		s.mu.Unlock()
		select {
		case <-s.producer.C():
		case <-done:
			return false
		}
	}
}

// End records that the producer has ended: the value left, if any, goes on
// at once, and then Next reports the end.
func (s *Slot[V]) End() {
	s.mu.Lock()
	s.ended = true
	s.consumer.Notify()
	s.mu.Unlock()
}

// Next waits for the value to be ready and takes it: when it is full, the
// producer has ended, or delay has passed since it arrived (a delay of 0 or
// less: at once). It reports false once the producer has ended and the
// slot is empty, and returns ctx's error if ctx is done first.
func (s *Slot[V]) Next(ctx context.Context, delay time.Duration) (v V, ok bool, err error) {
	for {
		var wait time.Duration
		s.mu.Lock()
		if s.has {
			if !s.full && !s.ended && delay > 0 {
				wait = delay - time.Since(s.at)
			}
			if wait <= 0 {
				var zero V
				v, s.v, s.has, s.full = s.v, zero, false, false
				s.consumer.Disarm()
				s.producer.Notify()
				s.mu.Unlock()
				return v, true, nil
			}
		} else if s.ended {
			s.mu.Unlock()
			return v, false, nil
		}
		s.consumer.Arm()
		s.mu.Unlock()
		if err := s.sleep(ctx, wait); err != nil {
			return v, false, err
		}
	}
}

// Stop releases the consumer's timer.
func (s *Slot[V]) Stop() {
	if s.timer != nil {
		s.timer.Stop()
	}
}

// sleep waits until the consumer is signalled, wait has passed (if it is
// positive; otherwise there is no time limit) or ctx is done, in which case
// it returns ctx.Err().
func (s *Slot[V]) sleep(ctx context.Context, wait time.Duration) error {
	var fire <-chan time.Time
	if wait > 0 {
		if s.timer == nil {
			s.timer = time.NewTimer(wait)
		} else {
			s.timer.Reset(wait)
		}
		fire = s.timer.C
	}
	select {
	case <-s.consumer.C():
	case <-fire:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}
