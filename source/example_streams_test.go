package source_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
)

// This example retries a stream whose first attempt fails after its first
// value: the second attempt runs it again from the start.
func ExampleSource_Retry() {
	attempts := 0
	quotes := source.FromFunc(func(ctx context.Context, emit func(string) error) error {
		attempts++
		if err := emit("EUR 1.08"); err != nil {
			return err
		}
		if attempts == 1 {
			return errors.New("connection reset")
		}
		return emit("GBP 0.86")
	})
	got, err := quotes.Retry(retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(3)).
		RunToSlice(context.Background())
	fmt.Println(got, err, attempts)
	// Output: [EUR 1.08 EUR 1.08 GBP 0.86] <nil> 2
}

// This example switches to a backup source when the primary one fails.
func ExampleSource_RecoverWith() {
	errDown := errors.New("primary down")
	primary := source.Concat(source.Of("a", "b"), source.Failed[string](errDown))
	backup := source.Of("c", "d")
	got, err := primary.RecoverWith(func(err error) source.Source[string] {
		if errors.Is(err, errDown) {
			return backup
		}
		return source.Failed[string](err) // let any other error go on
	}).RunToSlice(context.Background())
	fmt.Println(got, err)
	// Output: [a b c d] <nil>
}

// This example ends a stream normally when its source reports that the
// peer has gone, and reports how it ended.
func ExampleSource_EndOnError() {
	errHangUp := errors.New("peer hung up")
	messages := source.Concat(source.Of("hi", "bye"), source.Failed[string](errHangUp))
	got, err := messages.
		EndOnError(func(err error) bool { return errors.Is(err, errHangUp) }).
		OnComplete(func(err error) { fmt.Println("completed:", err) }).
		RunToSlice(context.Background())
	fmt.Println(got, err)
	// Output:
	// completed: <nil>
	// [hi bye] <nil>
}

// This example folds with a function that can fail: the run stops at the
// first error and returns the sum so far.
func ExampleRunFoldErr() {
	lines := source.Of("1", "2", "x", "4")
	sum, err := source.RunFoldErr(context.Background(), lines, 0, func(acc int, s string) (int, error) {
		n, err := strconv.Atoi(s)
		return acc + n, err
	})
	fmt.Println(sum, err)
	// Output: 3 strconv.Atoi: parsing "x": invalid syntax
}

// This example keeps going past bad records: failures travel as values,
// are counted, and the run finishes.
func ExampleMapParTry() {
	records := source.Of("1", "2", "x", "4", "y")
	parsed := source.MapParTry(records, 2, func(ctx context.Context, s string) (int, error) {
		return strconv.Atoi(s)
	})
	failures := 0
	good := source.Successes(parsed, func(err error) error {
		failures++ // or log it, or send it to a dead-letter queue
		return nil
	})
	got, err := good.RunToSlice(context.Background())
	fmt.Println(got, failures, err)
	// Output: [1 2 4] 2 <nil>
}

// This example counts the words per first letter, with at most 10 groups
// live at once.
func ExampleGroupBy() {
	words := source.Of("apple", "bean", "avocado", "banana", "cherry", "apricot")
	counts := source.GroupBy(words, 10, func(w string) byte { return w[0] },
		func(letter byte, group source.Source[string]) source.Source[string] {
			n := source.Scan(group, 0, func(n int, _ string) int { return n + 1 }).TakeLast(1)
			return source.Map(n, func(n int) string { return fmt.Sprintf("%c=%d", letter, n) })
		})
	got, _ := counts.RunToSlice(context.Background())
	slices.Sort(got) // groups finish in no set order
	fmt.Println(got)
	// Output: [a=3 b=2 c=1]
}

// This example keeps the last values of a stream.
func ExampleSource_TakeLast() {
	got, _ := source.Range(0, 100, 1).TakeLast(3).RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [97 98 99]
}

// This example numbers lines within paragraphs and, at the end, emits how
// many paragraphs there were: a last value that Scan cannot give.
func ExampleMapStateful() {
	lines := source.Of("a", "b", "", "c")
	numbered := source.MapStateful(lines,
		func() [2]int { return [2]int{1, 0} }, // paragraph, line
		func(st [2]int, line string) ([2]int, string) {
			if line == "" {
				return [2]int{st[0] + 1, 0}, "--"
			}
			st[1]++
			return st, fmt.Sprintf("%d.%d %s", st[0], st[1], line)
		},
		func(st [2]int) (string, bool) { return fmt.Sprintf("%d paragraphs", st[0]), true })
	got, _ := numbered.RunToSlice(context.Background())
	fmt.Println(strings.Join(got, " | "))
	// Output: 1.1 a | 1.2 b | -- | 2.1 c | 2 paragraphs
}

// This example groups messages into batches of at least 10 bytes each.
func ExampleGroupedWeighted() {
	msgs := source.Of("hello", "world", "hi", "a", "longer message", "end")
	batches := source.GroupedWeighted(msgs, 10, func(m string) int { return len(m) })
	got, _ := batches.RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [[hello world] [hi a longer message] [end]]
}

// This example merges data with a side stream that never ends: the merged
// stream ends with the data.
func ExampleMergeUntil() {
	data := source.Of(1, 2, 3)
	heartbeats := source.Repeat(0) // never ends
	got, _ := source.MergeUntil(data, heartbeats, source.LeftEnds).
		Filter(func(v int) bool { return v != 0 }).
		RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [1 2 3]
}

// This example interleaves two sources until the shorter one runs out.
func ExampleInterleaveShortest() {
	got, _ := source.InterleaveShortest(1, source.Of("a", "b", "c"), source.Of("1", "2")).
		RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [a 1 b 2 c]
}

// This example splits a stream of tokens into statements.
func ExampleSplit() {
	tokens := source.Of("x", "=", "1", ";", "y", "=", "2", ";")
	statements := source.Split(tokens, func(t string) bool { return t == ";" })
	got, _ := statements.RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [[x = 1] [y = 2]]
}

// This example splits a byte stream on a two-byte delimiter.
func ExampleSplitOn() {
	data := source.FromSlice([]byte("GET\r\nHost\r\n\r\n"))
	parts := source.SplitOn(data, []byte("\r\n"))
	got, _ := source.Map(parts, func(b []byte) string { return string(b) }).RunToSlice(context.Background())
	fmt.Printf("%q\n", got)
	// Output: ["GET" "Host" ""]
}

// This example feeds a fast consumer from a producer that has one reading:
// the consumer gets it, then its extrapolation, as often as it asks.
func ExampleExtrapolate() {
	readings := source.Of(20)
	repeat := func(v int) iter.Seq[int] {
		return func(yield func(int) bool) {
			for yield(v) {
			}
		}
	}
	got, _ := source.Extrapolate(readings, repeat).Take(4).RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [20 20 20 20]
}

// This example passes on the first value that fails the condition too.
func ExampleSource_TakeWhileInclusive() {
	pages := source.Of("page 1", "page 2", "last page", "never read")
	got, _ := pages.TakeWhileInclusive(func(p string) bool { return p != "last page" }).
		RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [page 1 page 2 last page]
}

// This example drops repeats by key.
func ExampleDistinctAdjacentBy() {
	got, _ := source.DistinctAdjacentBy(source.Of("a", "A", "b", "B", "a"), strings.ToLower).
		RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [a b a]
}

// This example puts a time limit on a whole stream.
func ExampleSource_Timeout() {
	slow := source.FromFunc(func(ctx context.Context, emit func(int) error) error {
		if err := emit(1); err != nil {
			return err
		}
		<-ctx.Done() // waits for more that never comes
		return ctx.Err()
	})
	got, err := slow.Timeout(10 * time.Millisecond).RunToSlice(context.Background())
	fmt.Println(got, errors.Is(err, context.DeadlineExceeded))
	// Output: [1] true
}

// This example feeds two runs into one channel, which stays open for its
// owner to close.
func ExampleSource_RunSendTo() {
	ctx := context.Background()
	c := channel.New[int](channel.Unlimited)
	_ = source.Of(1, 2).RunSendTo(ctx, c)
	_ = source.Of(3).RunSendTo(ctx, c)
	_ = c.Close()
	for v, err := range c.All(ctx) {
		if err != nil {
			break
		}
		fmt.Print(v, " ")
	}
	fmt.Println()
	// Output: 1 2 3
}
