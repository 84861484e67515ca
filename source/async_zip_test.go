package source_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

type pairIS = source.Pair[int, string]

func TestZip(t *testing.T) {
	equal(t, collect(t, source.Zip(source.Of(1, 2, 3), source.Of("a", "b"))),
		[]pairIS{{1, "a"}, {2, "b"}})
	equal(t, collect(t, source.Zip(source.Of(1), source.Empty[string]())), nil)
	equal(t, collect(t, source.ZipAll(source.Of(1, 2, 3), source.Of("a"), -1, "-")),
		[]pairIS{{1, "a"}, {2, "-"}, {3, "-"}})
	equal(t, collect(t, source.ZipAll(source.Of(1), source.Of("a", "b"), -1, "-")),
		[]pairIS{{1, "a"}, {-1, "b"}})
	equal(t, collect(t, source.ZipAll(source.Empty[int](), source.Empty[string](), -1, "-")), nil)

	// Long streams in batches of different sizes on each side.
	in := ints(5000)
	sum := func(a, b int) int { return a + b }
	want := make([]int, 3000)
	for i := range want {
		want[i] = 2 * i
	}
	equal(t, collect(t, source.ZipWith(source.FromSlice(in), oneByOne(in[:3000]...), sum)), want)
	got := collect(t, source.ZipAll(oneByOne(in[:3000]...), source.FromSlice(in), -1, -1))
	if len(got) != 5000 || got[2999] != (source.Pair[int, int]{2999, 2999}) || got[3000] != (source.Pair[int, int]{-1, 3000}) {
		t.Errorf("ZipAll: %d pairs, got[2999:3001] = %v", len(got), got[2999:3001])
	}
}

// TestZipEndsWithShorter: Zip ends as soon as one side ends, cancelling
// the other even if it never ends.
func TestZipEndsWithShorter(t *testing.T) {
	got := collect(t, source.Zip(source.Of(1), source.Concat(source.Of("x"), waitForever[string]())))
	equal(t, got, []pairIS{{1, "x"}})
	equal(t, collect(t, source.Zip(waitForever[int](), source.Empty[string]())), nil)
	got2 := collect(t, source.Zip(source.Repeat(7), source.Of("x", "y")))
	equal(t, got2, []source.Pair[int, string]{{7, "x"}, {7, "y"}})
}

func TestInterleave(t *testing.T) {
	got := collect(t, source.Interleave(2, source.Of(1, 2, 3, 4, 5), source.Of(10, 20), oneByOne(100, 200, 300)))
	equal(t, got, []int{1, 2, 10, 20, 100, 200, 3, 4, 300, 5})
	equal(t, collect(t, source.Interleave(1, source.Of(1, 2, 3), source.Of(4))), []int{1, 4, 2, 3})
	equal(t, collect(t, source.Interleave[int](3)), nil)
	in := ints(3000)
	got = collect(t, source.Interleave(1000, source.FromSlice(in), source.Empty[int]()))
	equal(t, got, in)
}

// TestConflate checks, with a downstream that waits, that values arriving
// meanwhile are combined, and that every value passes when nothing waits.
func TestConflate(t *testing.T) {
	plus := func(a, v int) int { return a + v }
	equal(t, collect(t, source.Of(1, 2, 3).Conflate(plus)), []int{6}) // one batch: combined at once
	got := collect(t, oneByOne(1, 2, 3).Buffer(1).Conflate(plus))
	if total := sum(got); total != 6 {
		t.Errorf("Conflate: %v sums to %d, want 6", got, total)
	}
	synctest.Test(t, func(t *testing.T) {
		feed := make(chan int)
		src := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
			for v := range feed {
				if err := emit(v); err != nil {
					return err
				}
			}
			return nil
		})
		hold := make(chan struct{})
		var got []int
		done := make(chan error)
		go func() {
			done <- src.Conflate(plus).RunForEach(t.Context(), func(v int) error {
				got = append(got, v)
				if v == 1 {
					<-hold // the downstream is busy while 2, 3, 4 arrive
				}
				return nil
			})
		}()
		feed <- 1
		synctest.Wait()
		for v := 2; v <= 4; v++ {
			feed <- v
		}
		synctest.Wait()
		close(hold)
		synctest.Wait()
		feed <- 5
		synctest.Wait()
		close(feed)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		equal(t, got, []int{1, 9, 5})
	})
}

// TestBatch checks that values arriving while the downstream is busy are
// batched, up to the size, and that the source waits when a batch is full.
func TestBatch(t *testing.T) {
	equal(t, flatten(collect(t, source.Batch(source.FromSlice(ints(1000)), 7))), ints(1000))
	synctest.Test(t, func(t *testing.T) {
		hold := make(chan struct{})
		var got [][]int
		done := make(chan error)
		go func() {
			done <- source.Batch(oneByOne(ints(8)...), 3).RunForEach(t.Context(), func(g []int) error {
				got = append(got, g)
				if len(got) == 1 {
					<-hold // busy: the source fills one batch, then waits
				}
				return nil
			})
		}()
		synctest.Wait()
		if len(got) != 1 {
			t.Fatalf("got %v before release", got)
		}
		close(hold)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if !(len(got) >= 3 && len(got[1]) == 3) {
			t.Errorf("got %v: want a full second batch", got)
		}
		equal(t, flatten(got), ints(8))
	})
}

func TestAlsoTo(t *testing.T) {
	c := channel.New[int](channel.Unlimited)
	equal(t, collect(t, source.FromSlice(ints(3000)).AlsoTo(c)), ints(3000))
	equal(t, drainChan(t, c, nil), ints(3000))

	// The downstream stops: c is closed after the values it got too.
	c = channel.New[int](channel.Unlimited)
	equal(t, collect(t, source.Repeat(1).AlsoTo(c).Take(3)), []int{1, 1, 1})
	equal(t, drainChan(t, c, nil), []int{1, 1, 1})

	// The run fails: so does c.
	c = channel.New[int](channel.Unlimited)
	if _, err := run(failingOneByOne(1, 2).AlsoTo(c)); !errors.Is(err, errBoom) {
		t.Errorf("err = %v", err)
	}
	equal(t, drainChan(t, c, errBoom), []int{})

	// c's reader closes it: the run fails.
	c = channel.New[int](1)
	_ = c.Close()
	if _, err := run(source.Of(1).AlsoTo(c)); !errors.Is(err, channel.ErrClosed) {
		t.Errorf("err = %v, want channel.ErrClosed", err)
	}

	// A panic fails c (dropping its values, as Fail does), then goes on.
	c = channel.New[int](channel.Unlimited)
	panicError(t, func() {
		_, _ = run(source.Map(source.Of(1).AlsoTo(c), func(int) int { panic("boom") }))
	})
	if _, err := c.Receive(context.Background()); !errors.Is(err, channel.ErrFailed) {
		t.Errorf("after the panic: err = %v, want channel.ErrFailed", err)
	}
}

// TestAlsoToCancelled: when the run is cancelled, c fails with the
// cancellation, also when the stage that notices it comes after AlsoTo:
// a Buffer or MapPar on other goroutines, or a Throttle waiting on the
// goroutine of AlsoTo. (c used to be closed as done, as if the stream had
// ended.)
func TestAlsoToCancelled(t *testing.T) {
	id := func(_ context.Context, v int) (int, error) { return v, nil }
	busy := []struct {
		name  string
		after func(source.Source[int]) source.Source[int]
	}{
		{"Buffer", func(s source.Source[int]) source.Source[int] { return s.Buffer(16) }},
		{"MapPar", func(s source.Source[int]) source.Source[int] { return source.MapPar(s, 2, id) }},
		{"BufferMap", func(s source.Source[int]) source.Source[int] {
			return source.Map(s.Buffer(4), func(v int) int { return v })
		}},
	}
	for _, tt := range busy {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 {
				c := channel.New[int](channel.Unlimited)
				ctx, cancel := context.WithCancel(context.Background())
				n := 0
				err := tt.after(source.FromSlice(ints(1<<14)).AlsoTo(c)).RunForEach(ctx, func(int) error {
					if n++; n == 3 {
						cancel()
					}
					return nil
				})
				cancel()
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("run: err = %v, want context.Canceled", err)
				}
				if err := chanEnd(c); !errors.Is(err, channel.ErrFailed) || !errors.Is(err, context.Canceled) {
					t.Fatalf("c ended with %v, want a failure with context.Canceled", err)
				}
			}
		})
	}
	waiting := []struct {
		name  string
		after func(source.Source[int]) source.Source[int]
	}{
		{"Throttle", func(s source.Source[int]) source.Source[int] { return s.Throttle(2, time.Hour) }},
		{"BufferThrottle", func(s source.Source[int]) source.Source[int] { return s.Buffer(4).Throttle(2, time.Hour) }},
		{"MapParThrottle", func(s source.Source[int]) source.Source[int] { return source.MapPar(s, 2, id).Throttle(2, time.Hour) }},
	}
	for _, tt := range waiting {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := channel.New[int](channel.Unlimited)
				ctx, cancel := context.WithCancel(t.Context())
				done := make(chan error)
				go func() {
					done <- tt.after(source.FromSlice(ints(1 << 14)).AlsoTo(c)).RunDrain(ctx)
				}()
				synctest.Wait() // the Throttle waits for an hour
				cancel()
				if err := <-done; !errors.Is(err, context.Canceled) {
					t.Fatalf("run: err = %v, want context.Canceled", err)
				}
				if err := chanEnd(c); !errors.Is(err, channel.ErrFailed) || !errors.Is(err, context.Canceled) {
					t.Fatalf("c ended with %v, want a failure with context.Canceled", err)
				}
			})
		})
	}
}

// TestAlsoToStopped: a downstream that stops taking values is not a
// cancellation, also when it is an async stage whose scope ends at once:
// c is closed.
func TestAlsoToStopped(t *testing.T) {
	tests := []struct {
		name string
		run  func(c *channel.Chan[int]) error
	}{
		{"BufferTake", func(c *channel.Chan[int]) error {
			return source.FromSlice(ints(5000)).AlsoTo(c).Buffer(4).Take(3).RunDrain(context.Background())
		}},
		{"ZipShorter", func(c *channel.Chan[int]) error {
			return source.Zip(source.Repeat(1).AlsoTo(c), source.Of(1, 2)).RunDrain(context.Background())
		}},
		{"MergeTake", func(c *channel.Chan[int]) error {
			return source.Merge(source.Repeat(1).AlsoTo(c), source.Repeat(2)).Take(100).RunDrain(context.Background())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 100 {
				c := channel.New[int](channel.Unlimited)
				if err := tt.run(c); err != nil {
					t.Fatalf("run: %v", err)
				}
				if err := chanEnd(c); !errors.Is(err, channel.ErrClosed) || errors.Is(err, channel.ErrFailed) {
					t.Fatalf("c ended with %v, want channel.ErrClosed", err)
				}
			}
		})
	}
}

// TestAlsoToScopeEnded: a pipeline that RunToChannel runs is cancelled when
// its scope ends; an AlsoTo in it fails its channel, as it does for any
// cancellation.
func TestAlsoToScopeEnded(t *testing.T) {
	c := channel.New[int](channel.Unlimited)
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		out := source.Repeat(1).AlsoTo(c).RunToChannel(s, 0)
		_, err := out.Receive(s.Context())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chanEnd(c); !errors.Is(err, channel.ErrFailed) || !errors.Is(err, scope.ErrScopeEnded) {
		t.Fatalf("c ended with %v, want a failure with scope.ErrScopeEnded", err)
	}
}

// TestConflateBatchBusyDownstream is Ox's test of conflate and batch with
// a busy downstream: the values that reach the stage while the downstream
// is busy with the first one are combined into the next one. A value
// reaches the stage when the producer's emit returns. (With a rendezvous
// channel as the source, a value whose Send returned may still be on its
// way to the stage, and then starts the next group; see the docs.)
func TestConflateBatchBusyDownstream(t *testing.T) {
	// producer emits 1, waits until the downstream is busy with it, emits
	// the rest, and then lets the downstream go on.
	producer := func(last int, busy, release chan struct{}) source.Source[int] {
		return source.FromFunc(func(ctx context.Context, emit func(int) error) error {
			defer close(release)
			if err := emit(1); err != nil {
				return err
			}
			<-busy
			for v := 2; v <= last; v++ {
				if err := emit(v); err != nil {
					return err
				}
			}
			return nil
		})
	}
	// hold makes the downstream busy with its first value until release.
	hold := func(busy, release chan struct{}) func() {
		first := true
		return func() {
			if first {
				first = false
				close(busy)
				<-release
			}
		}
	}
	for range 50 {
		busy, release := make(chan struct{}), make(chan struct{})
		wait := hold(busy, release)
		got := collect(t, producer(10, busy, release).Conflate(func(acc, v int) int { return acc + v }).
			Tap(func(int) { wait() }))
		equal(t, got, []int{1, 54})

		busy, release = make(chan struct{}), make(chan struct{})
		wait = hold(busy, release)
		groups := collect(t, source.Batch(producer(6, busy, release), 10).Tap(func([]int) { wait() }))
		if len(groups) != 2 || !slices.Equal(groups[0], []int{1}) || !slices.Equal(groups[1], []int{2, 3, 4, 5, 6}) {
			t.Fatalf("Batch: got %v, want [[1] [2 3 4 5 6]]", groups)
		}
	}

	// From a rendezvous channel: every value, combined in order, whichever
	// group the last one joins.
	for range 50 {
		up := channel.New[int](0)
		busy, release := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(release)
			_ = up.Send(context.Background(), 1)
			<-busy
			for v := 2; v <= 10; v++ {
				_ = up.Send(context.Background(), v)
			}
			_ = up.Close()
		}()
		wait := hold(busy, release)
		got := collect(t, source.FromChannel(up).Conflate(func(acc, v int) int { return acc + v }).Tap(func(int) { wait() }))
		if len(got) < 2 || got[0] != 1 || sum(got) != 55 {
			t.Fatalf("Conflate from a channel: got %v, want 1 and then 2 to 10 combined into one or two values", got)
		}
	}
}

// TestAlsoToLaterFailure: a later async stage's failure cancels AlsoTo's
// upstream with that failure, and c fails with it; a fused later stage that
// fails stops the upstream as a Take does, and c is closed with every value
// that stage received (AlsoTo's doc).
func TestAlsoToLaterFailure(t *testing.T) {
	c := channel.New[int](channel.Unlimited)
	_, err := run(source.MapPar(source.FromSlice(ints(5000)).AlsoTo(c), 2, func(_ context.Context, v int) (int, error) {
		if v == 100 {
			return 0, errBoom
		}
		return v, nil
	}))
	if !errors.Is(err, errBoom) {
		t.Fatalf("run: err = %v, want errBoom", err)
	}
	if err := chanEnd(c); !errors.Is(err, channel.ErrFailed) || !errors.Is(err, errBoom) {
		t.Errorf("after a failing MapPar: c ended with %v, want a failure with errBoom", err)
	}

	c = channel.New[int](channel.Unlimited)
	_, err = run(source.MapErr(source.FromSlice(ints(10)).AlsoTo(c), func(v int) (int, error) {
		if v == 3 {
			return 0, errBoom
		}
		return v, nil
	}))
	if !errors.Is(err, errBoom) {
		t.Fatalf("run: err = %v, want errBoom", err)
	}
	equal(t, drainChan(t, c, nil), ints(10)) // one batch went to c before MapErr saw it
}
