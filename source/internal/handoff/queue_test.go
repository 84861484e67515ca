package handoff_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/corral-go/corral/source/internal/handoff"
)

var errBoom = errors.New("boom")

func newQueue(limit, producers int) *handoff.Queue[int] {
	return handoff.NewQueue[int](handoff.Config{Limit: limit, Size: 4, Producers: producers})
}

// takeAll takes every value from q until it ends, and returns them with
// the error it ended with (nil for ErrDrained).
func takeAll(t *testing.T, q *handoff.Queue[int]) ([]int, error) {
	t.Helper()
	var got, b []int
	for {
		var lo int
		var err error
		if b, lo, err = q.Take(context.Background(), b); err != nil {
			if err == handoff.ErrDrained {
				err = nil
			}
			return got, err
		}
		got = append(got, b[lo:]...)
	}
}

func ints(lo, hi int) []int {
	var s []int
	for v := lo; v < hi; v++ {
		s = append(s, v)
	}
	return s
}

// TestQueueOrder: values come out in order, in batches no larger than the
// buffer size, from producers that put batches of any size.
func TestQueueOrder(t *testing.T) {
	q := newQueue(10, 1)
	go func() {
		for _, vs := range [][]int{ints(0, 3), ints(3, 4), ints(4, 13), ints(13, 20)} {
			if _, err := q.Put(vs, nil, nil); err != nil {
				t.Error(err)
			}
		}
		q.ProducerDone()
	}()
	got, err := takeAll(t, q)
	if err != nil || !slices.Equal(got, ints(0, 20)) {
		t.Errorf("got %v, %v", got, err)
	}
}

// TestQueueLimit: a Block producer waits for room, in a synctest bubble.
func TestQueueLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := newQueue(3, 1)
		put := make(chan error)
		go func() {
			_, err := q.Put(ints(0, 5), nil, nil)
			put <- err
		}()
		synctest.Wait()
		select {
		case <-put:
			t.Fatal("Put of 5 values into a queue of 3 returned before a Take")
		default:
		}
		b, lo, err := q.Take(context.Background(), nil)
		if err != nil || !slices.Equal(b[lo:], []int{0, 1, 2}) {
			t.Fatalf("Take: %v, %v", b[lo:], err)
		}
		if err := <-put; err != nil {
			t.Fatal(err)
		}
		q.ProducerDone()
		got, err := takeAll(t, q)
		if err != nil || !slices.Equal(got, []int{3, 4}) {
			t.Errorf("got %v, %v", got, err)
		}
	})
}

// TestQueuePolicies: what a full queue does with each policy.
func TestQueuePolicies(t *testing.T) {
	tests := []struct {
		policy  handoff.Policy
		want    []int
		wantErr error
	}{
		{handoff.DropOldest, []int{3, 4, 5}, nil},
		{handoff.DropNewest, []int{0, 1, 2}, nil},
		{handoff.Fail, []int{0, 1, 2}, errBoom},
	}
	for _, tt := range tests {
		q := handoff.NewQueue[int](handoff.Config{Limit: 3, Size: 2, Producers: 1, Full: tt.policy, FullErr: errBoom})
		_, err := q.Put(ints(0, 6), nil, nil)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("policy %d: Put: %v, want %v", tt.policy, err, tt.wantErr)
		}
		if err == nil {
			q.ProducerDone()
		}
		got, err := takeAll(t, q)
		if !slices.Equal(got, tt.want) || !errors.Is(err, tt.wantErr) {
			t.Errorf("policy %d: got %v, %v; want %v, %v", tt.policy, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestQueueEnds: Fail keeps the queued values, Abort drops them, Stop
// makes every later Put return ErrClosed without waiting.
func TestQueueEnds(t *testing.T) {
	q := newQueue(10, 1)
	_, _ = q.Put(ints(0, 3), nil, nil)
	q.Fail(errBoom)
	if got, err := takeAll(t, q); !slices.Equal(got, ints(0, 3)) || err != errBoom {
		t.Errorf("Fail: got %v, %v", got, err)
	}
	q = newQueue(10, 1)
	_, _ = q.Put(ints(0, 3), nil, nil)
	q.Abort(errBoom)
	if got, err := takeAll(t, q); len(got) != 0 || err != errBoom {
		t.Errorf("Abort: got %v, %v", got, err)
	}
	q = newQueue(2, 1)
	q.Stop()
	if _, err := q.Put(ints(0, 5), nil, nil); err != handoff.ErrClosed {
		t.Errorf("Put after Stop: %v, want ErrClosed", err)
	}
	if !q.Stopped() {
		t.Error("Stopped() is false after Stop")
	}
}

// TestQueueDemand: producers make no more values than the consumer's
// bound, wait for its report when they used it up, and stop at 0.
func TestQueueDemand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := handoff.NewQueue[int](handoff.Config{Limit: 100, Size: 8, Producers: 1, Demand: true, Want: 3})
		bound, err := q.Put(ints(0, 2), nil, nil)
		if bound != 1 || err != nil {
			t.Fatalf("Put of 2 within 3: bound %d, %v; want 1", bound, err)
		}
		put := make(chan int)
		go func() {
			bound, _ := q.Put(ints(2, 3), nil, nil) // the last one wanted: waits for a report
			put <- bound
		}()
		synctest.Wait()
		select {
		case <-put:
			t.Fatal("Put returned with the bound used up")
		default:
		}
		q.Delivered(2, 5) // 2 passed on, and the downstream wants 5 more
		if bound := <-put; bound != 4 {
			t.Errorf("bound %d after the report, want 4 (5 less the one on its way)", bound)
		}
		q.Delivered(1, 0)
		if !q.Stopped() {
			t.Error("Stopped() is false after a bound of 0")
		}
	})
}

// TestQueueWorkers: several workers share the values, each run in order,
// and together they take every value once.
func TestQueueWorkers(t *testing.T) {
	q := handoff.NewQueue[int](handoff.Config{Limit: 64, Size: 16, Producers: 1})
	var (
		mu   sync.Mutex
		runs [][]int
		wg   sync.WaitGroup
	)
	for range 4 {
		wg.Go(func() {
			w := handoff.NewWake()
			for {
				run, _, err := q.TakeRun(nil, 5, nil, w)
				if err != nil {
					if err != handoff.ErrDrained {
						t.Error(err)
					}
					return
				}
				if len(run) == 0 || len(run) > 5 {
					t.Errorf("run of %d values", len(run))
				}
				mu.Lock()
				runs = append(runs, run)
				mu.Unlock()
			}
		})
	}
	for v := 0; v < 1000; v += 7 {
		if _, err := q.Put(ints(v, min(v+7, 1000)), nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	q.ProducerDone()
	wg.Wait()
	var all []int
	for _, r := range runs {
		if !slices.IsSorted(r) {
			t.Errorf("run %v out of order", r)
		}
		all = append(all, r...)
	}
	slices.Sort(all)
	if !slices.Equal(all, ints(0, 1000)) {
		t.Errorf("workers took %d values, want each of 0..999 once", len(all))
	}
}

// TestQueueDone: a producer waiting for room, or a worker waiting for
// values, gives up when its done channel is closed.
func TestQueueDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := newQueue(1, 1)
		_, _ = q.Put([]int{0}, nil, nil)
		done := make(chan struct{})
		errs := make(chan error, 2)
		go func() {
			_, err := q.Put([]int{1}, done, nil)
			errs <- err
		}()
		empty := newQueue(1, 1)
		go func() {
			_, _, err := empty.TakeRun(nil, 1, done, handoff.NewWake())
			errs <- err
		}()
		synctest.Wait()
		close(done)
		for range 2 {
			if err := <-errs; err != handoff.ErrClosed {
				t.Errorf("err = %v, want ErrClosed", err)
			}
		}
	})
}
