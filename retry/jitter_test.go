package retry_test

import (
	"math"
	"testing"
	"time"

	"github.com/corral-go/corral/retry"
)

// almostOne is the largest random number a schedule can draw.
var almostOne = math.Nextafter(1, 0)

func TestJitterFormulas(t *testing.T) {
	const d = time.Second
	tests := []struct {
		name   string
		jitter retry.Jitter
		r      float64
		want   time.Duration
	}{
		{"none ignores r", retry.NoJitter, 0.3, d},
		{"full at 0", retry.FullJitter, 0, 0},
		{"full halfway", retry.FullJitter, 0.5, d / 2},
		{"full at the top", retry.FullJitter, almostOne, d - 1},
		{"equal at 0", retry.EqualJitter, 0, d / 2},
		{"equal halfway", retry.EqualJitter, 0.5, 3 * d / 4},
		{"equal at the top", retry.EqualJitter, almostOne, d - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := retry.WithRand(retry.Fixed(d).WithJitter(tt.jitter), func() float64 { return tt.r })
			if got := s.NextBackOff(); got != tt.want {
				t.Errorf("delay = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestJitterOnExponential(t *testing.T) {
	// Jitter applies to each delay of the sequence, not to the sequence's
	// state: the base keeps doubling whatever the draws.
	s := retry.WithRand(retry.Exponential(100*ms, 2, time.Second).WithJitter(retry.EqualJitter),
		func() float64 { return 0 })
	want := []time.Duration{50 * ms, 100 * ms, 200 * ms, 400 * ms, 500 * ms, 500 * ms}
	if got := delays(s, len(want)); !equalDurations(got, want) {
		t.Errorf("delays = %v, want %v", got, want)
	}
}

func TestJitterDistribution(t *testing.T) {
	const (
		d     = time.Second
		draws = 20000
	)
	tests := []struct {
		jitter   retry.Jitter
		lo, hi   time.Duration // bounds of every draw
		wantMean time.Duration
	}{
		{retry.FullJitter, 0, d, d / 2},
		{retry.EqualJitter, d / 2, d, 3 * d / 4},
	}
	for _, tt := range tests {
		t.Run(tt.jitter.String(), func(t *testing.T) {
			s := retry.Fixed(d).WithJitter(tt.jitter)
			var sum float64
			var quartiles [4]int
			for range draws {
				got := s.NextBackOff()
				if got < tt.lo || got > tt.hi {
					t.Fatalf("delay %v outside [%v, %v]", got, tt.lo, tt.hi)
				}
				sum += float64(got)
				quartiles[min(3, int(4*float64(got-tt.lo)/float64(tt.hi-tt.lo)))]++
			}
			// A uniform draw over a range w has standard deviation w/sqrt(12);
			// the mean of 20000 draws is off by more than 6 standard errors
			// about once in 10^9 runs.
			w := float64(tt.hi - tt.lo)
			tolerance := 6 * w / math.Sqrt(12) / math.Sqrt(draws)
			if mean := sum / draws; math.Abs(mean-float64(tt.wantMean)) > tolerance {
				t.Errorf("mean delay %v, want %v ± %v", time.Duration(mean), tt.wantMean, time.Duration(tolerance))
			}
			for i, n := range quartiles {
				if n < draws/4-draws/25 || n > draws/4+draws/25 {
					t.Errorf("quartile %d holds %d of %d draws, want about a quarter", i, n, draws)
				}
			}
		})
	}
}

func TestDecorrelatedBounds(t *testing.T) {
	const (
		base, maxDelay = 10 * ms, time.Second
		runs           = 2000
	)
	var firstSum float64
	for range runs {
		s := retry.Decorrelated(base, maxDelay)
		prev := base
		for i := range 20 {
			got := s.NextBackOff()
			if hi := min(maxDelay, 3*prev); got < base || got > hi {
				t.Fatalf("delay %d = %v, want within [%v, %v]", i, got, base, hi)
			}
			if i == 0 {
				firstSum += float64(got)
			}
			prev = got
		}
	}
	// The first delay is uniform in [base, 3*base]: its mean is 2*base, and
	// the mean of 2000 draws is off by more than 6 standard errors about
	// once in 10^9 runs.
	tolerance := 6 * float64(2*base) / math.Sqrt(12) / math.Sqrt(runs)
	if mean := firstSum / runs; math.Abs(mean-float64(2*base)) > tolerance {
		t.Errorf("mean first delay %v, want %v ± %v", time.Duration(mean), 2*base, time.Duration(tolerance))
	}
}

func TestJitterString(t *testing.T) {
	for j, want := range map[retry.Jitter]string{
		retry.NoJitter:    "no jitter",
		retry.FullJitter:  "full jitter",
		retry.EqualJitter: "equal jitter",
		retry.Jitter(9):   "Jitter(9)",
	} {
		if got := j.String(); got != want {
			t.Errorf("Jitter(%d).String() = %q, want %q", uint8(j), got, want)
		}
	}
}
