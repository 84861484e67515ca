package retry

import (
	"fmt"
	"time"
)

// Jitter says how a [Schedule] randomises its delays, so that callers that
// failed together do not all retry at the same instant. The kinds and their
// names are those of the AWS Architecture Blog's "Exponential Backoff And
// Jitter". For a delay d computed by the schedule:
//
//	NoJitter     d
//	FullJitter   uniform in [0, d)
//	EqualJitter  d/2 + uniform in [0, d/2)
//
// Full jitter spreads retries best and waits least on average (d/2); equal
// jitter keeps at least half of each delay (3d/4 on average). The fourth
// kind from that article, decorrelated jitter, bases each delay on the
// previous one and is a schedule of its own: [Decorrelated].
type Jitter uint8

const (
	// NoJitter uses the schedule's delays as they are.
	NoJitter Jitter = iota
	// FullJitter waits a uniformly random time between 0 and the delay.
	FullJitter
	// EqualJitter waits half the delay plus a uniformly random time between
	// 0 and the other half.
	EqualJitter
)

// String returns the kind's name, such as "full jitter".
func (j Jitter) String() string {
	switch j {
	case NoJitter:
		return "no jitter"
	case FullJitter:
		return "full jitter"
	case EqualJitter:
		return "equal jitter"
	}
	return fmt.Sprintf("Jitter(%d)", uint8(j))
}

func (j Jitter) valid() bool { return j <= EqualJitter }

// apply randomises d with r, a uniform random number in [0, 1).
func (j Jitter) apply(d time.Duration, r float64) time.Duration {
	switch j {
	case FullJitter:
		return scale(d, r)
	case EqualJitter:
		half := d / 2
		return d - half + scale(half, r)
	}
	return d
}

// scale returns d*r for r in [0, 1), never more than d.
func scale(d time.Duration, r float64) time.Duration {
	f := float64(d) * r
	if f >= float64(d) { // rounding near 1, or near the largest Duration
		return d
	}
	return time.Duration(f)
}
