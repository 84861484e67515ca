package retry

import (
	"fmt"
	"sync"
)

// A TokenBucket is a retry budget shared by many callers, passed with
// [WithBudget]: adaptive retry, as in Ox's AdaptiveRetry, itself modelled on
// the retry quota of the AWS SDKs. The bucket starts full; every retry (never
// a first attempt) takes cost tokens, and a retry for which there are not
// enough tokens is not made; every successful call puts refund tokens back,
// up to the capacity.
//
// It limits how many retries are made, not how fast: to pace attempts, put a
// rate limiter in front of them with [WithRateLimit].
//
// While a dependency is healthy the bucket stays full. When it starts failing
// for everybody, each retry drains the bucket, and after about capacity/cost
// retries across all callers nobody retries any more: callers fail after
// their first attempt instead of multiplying the load on a dependency that is
// already struggling. Successes refill the bucket as the dependency recovers.
// With capacity 500, cost 5 and refund 1 (the AWS and Ox defaults), 100
// retries in a row empty the bucket and 5 successes pay for one more retry.
//
// A TokenBucket is safe for concurrent use. Create it with [NewTokenBucket];
// the zero TokenBucket is not usable.
type TokenBucket struct {
	capacity, cost, refundAmount int

	mu     sync.Mutex
	tokens int
}

// NewTokenBucket returns a full bucket of capacity tokens, from which every
// retry takes cost tokens and to which every success returns refund tokens.
// It panics if capacity is less than 1 or cost or refund is negative.
func NewTokenBucket(capacity, cost, refund int) *TokenBucket {
	if capacity < 1 {
		panic(fmt.Sprintf("retry: NewTokenBucket called with capacity %d; pass at least 1", capacity))
	}
	if cost < 0 || refund < 0 {
		panic(fmt.Sprintf("retry: NewTokenBucket called with cost %d and refund %d; pass zero or more for each", cost, refund))
	}
	return &TokenBucket{capacity: capacity, cost: cost, refundAmount: refund, tokens: capacity}
}

// Tokens returns the number of tokens in the bucket now, for metrics.
func (b *TokenBucket) Tokens() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens
}

// take takes the cost of one retry, and reports whether there was enough.
// A nil bucket always has enough.
func (b *TokenBucket) take() bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < b.cost {
		return false
	}
	b.tokens -= b.cost
	return true
}

// refund returns the reward of one success. A nil bucket does nothing.
func (b *TokenBucket) refund() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refundAmount > b.capacity-b.tokens {
		b.tokens = b.capacity
	} else {
		b.tokens += b.refundAmount
	}
}
