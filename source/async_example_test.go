package source_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/source"
)

// fakeBus is an event source with a callback API, as a GUI toolkit, a file
// watcher or a message broker client has: it calls its handler on a
// goroutine of its own, with each event, then with errBusDone.
type fakeBus struct {
	mu      sync.Mutex
	handler func(event string, err error)
}

var errBusDone = errors.New("bus: done")

func (b *fakeBus) SetHandler(h func(event string, err error)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handler = h
}

func (b *fakeBus) Start() {
	go func() {
		b.mu.Lock()
		h := b.handler
		b.mu.Unlock()
		for _, ev := range []string{"start", "tick", "stop"} {
			h(ev, nil)
		}
		h("", errBusDone)
	}()
}

// This example bridges a callback API into a Source: the callbacks push
// events into the stream from the emitter's goroutine, and end it when the
// emitter reports the end.
func ExampleFromCallback() {
	var bus fakeBus
	events := source.FromCallback(16, source.OverflowBlock,
		func(ctx context.Context, e *source.Emitter[string]) (func(), error) {
			bus.SetHandler(func(ev string, err error) {
				switch {
				case errors.Is(err, errBusDone):
					e.Close()
				case err != nil:
					e.Fail(err)
				default:
					_ = e.Push(ev) // channel.ErrClosed once the stream has ended
				}
			})
			bus.Start()
			return func() { bus.SetHandler(func(string, error) {}) }, nil
		})

	got, err := source.Map(events, strings.ToUpper).RunToSlice(context.Background())
	fmt.Println(got, err)
	// Output: [START TICK STOP] <nil>
}

// This example fetches "pages" with up to 3 requests at a time, keeping
// the order of the input.
func ExampleMapPar() {
	fetch := func(ctx context.Context, id int) (string, error) {
		return fmt.Sprintf("page-%d", id), nil // a network call, in real code
	}
	pages, err := source.MapPar(source.Of(1, 2, 3, 4, 5), 3, fetch).RunToSlice(context.Background())
	fmt.Println(pages, err)
	// Output: [page-1 page-2 page-3 page-4 page-5] <nil>
}

// This example merges two sources that run concurrently. Values of
// different sources interleave in no set order, so the example sorts them.
func ExampleMerge() {
	got, _ := source.Merge(source.Of(1, 3, 5), source.Of(2, 4)).RunToSlice(context.Background())
	slices.Sort(got)
	fmt.Println(got)
	// Output: [1 2 3 4 5]
}

// This example runs the inner sources of up to 2 values at a time.
func ExampleFlatMapPar() {
	repeat := func(v int) source.Source[int] { return source.FromSlice(slices.Repeat([]int{v}, v)) }
	got, _ := source.FlatMapPar(source.Of(1, 2, 3), 2, repeat).RunToSlice(context.Background())
	slices.Sort(got)
	fmt.Println(got)
	// Output: [1 2 2 3 3 3]
}

func ExampleZip() {
	names := source.Of("ann", "bob", "cy")
	ages := source.Of(31, 42)
	pairs, _ := source.Zip(names, ages).RunToSlice(context.Background())
	fmt.Println(pairs)
	all, _ := source.ZipAll(names, ages, "?", -1).RunToSlice(context.Background())
	fmt.Println(all)
	// Output:
	// [{ann 31} {bob 42}]
	// [{ann 31} {bob 42} {cy -1}]
}

func ExampleInterleave() {
	got, _ := source.Interleave(2, source.Of(1, 2, 3, 4, 5), source.Of(-1, -2)).RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [1 2 -1 -2 3 4 5]
}

// This example lets a producer run up to 100 values ahead of a slow
// consumer. Buffer changes the timing, never the values.
func ExampleSource_Buffer() {
	vs := make([]int, 100)
	for i := range vs {
		vs[i] = i + 1
	}
	sum, _ := source.RunFold(context.Background(), source.FromSlice(vs).Buffer(100), 0,
		func(acc, v int) int { return acc + v })
	fmt.Println(sum)
	// Output: 5050
}

// This example sends every value to a channel as well, for a goroutine
// that logs them; the run closes the channel when the stream ends.
func ExampleSource_AlsoTo() {
	audit := channel.New[string](channel.Unlimited)
	got, _ := source.Of("a", "b").AlsoTo(audit).RunToSlice(context.Background())
	for v, err := range audit.All(context.Background()) {
		if err != nil { // the run failed: the channel says why
			fmt.Println("audit failed:", err)
			break
		}
		fmt.Println("audit:", v)
	}
	fmt.Println(got)
	// Output:
	// audit: a
	// audit: b
	// [a b]
}

// This example passes on at most 2 values per 10ms.
func ExampleSource_Throttle() {
	start := time.Now()
	got, _ := source.Of(1, 2, 3, 4, 5).Throttle(2, 10*time.Millisecond).RunToSlice(context.Background())
	fmt.Println(got, time.Since(start) >= 20*time.Millisecond)
	// Output: [1 2 3 4 5] true
}

// This example passes values at the pace of a limiter from
// golang.org/x/time/rate: two at once (its burst), then one every 10ms.
// The limiter could be shared with other code that must keep to the same
// pace, such as the client of a rate-limited API.
func ExampleSource_RateLimit() {
	lim := rate.NewLimiter(rate.Every(10*time.Millisecond), 2)
	start := time.Now()
	got, _ := source.Of(1, 2, 3, 4, 5).RateLimit(lim).RunToSlice(context.Background())
	fmt.Println(got, time.Since(start) >= 30*time.Millisecond)
	// Output: [1 2 3 4 5] true
}

// This example groups values in groups of 3, or of what came within a
// second: the values here come at once, so every group is full but the
// last.
func ExampleGroupedWithin() {
	groups, _ := source.GroupedWithin(source.Of(0, 1, 2, 3, 4, 5, 6), 3, time.Second).RunToSlice(context.Background())
	fmt.Println(groups)
	// Output: [[0 1 2] [3 4 5] [6]]
}

// This example ends a Tick source with Take.
func ExampleTick() {
	ticks, _ := source.Tick(time.Millisecond).Take(3).RunToSlice(context.Background())
	fmt.Println(len(ticks), ticks[0].Before(ticks[1]) && ticks[1].Before(ticks[2]))
	// Output: 3 true
}
