package retry

// WithRand returns a copy of s that draws its random numbers in [0, 1) from
// f instead of math/rand/v2, so tests can pin jitter down.
func WithRand(s *Schedule, f func() float64) *Schedule {
	return s.with(func(sp *spec) { sp.rnd = f })
}

// Defaults, for tests that check them.
var (
	DefaultSchedule = defaultSchedule
	DefaultAttempts = defaultAttempts
)

// Take and Refund expose the bucket's accounting to tests.
func (b *TokenBucket) Take() bool { return b.take() }
func (b *TokenBucket) Refund()    { b.refund() }
