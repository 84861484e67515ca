package source_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/corral-go/corral/scope"
	"github.com/corral-go/corral/source"
)

// This example builds a pipeline, which runs nothing, and then runs it.
func Example() {
	squares := source.Map(source.Range(1, 100, 1), func(v int) int { return v * v })
	odd := squares.Filter(func(v int) bool { return v%2 == 1 }).Take(4)

	got, err := odd.RunToSlice(context.Background())
	fmt.Println(got, err)
	// Output: [1 9 25 49] <nil>
}

// This example is the stream example of the Scala Native talk: read lines,
// split them into words, write one word per line. With os.Stdin as the
// reader, it is a stdin-to-stdout filter in three lines.
func Example_lines() {
	stdin := strings.NewReader("the quick brown\nfox  jumps\n")
	ctx := context.Background()

	lines := source.Lines(stdin)
	words := source.MapConcat(lines, strings.Fields)
	err := source.RunToWriter(ctx, words, os.Stdout, "\n")

	fmt.Println(err)
	// Output:
	// the
	// quick
	// brown
	// fox
	// jumps
	// <nil>
}

// This example shows that a Take stops the upstream: f is called exactly
// as many times as there are values taken.
func ExampleSource_Take() {
	calls := 0
	next := source.RepeatFunc(func() int { calls++; return calls })

	got, _ := next.Take(3).RunToSlice(context.Background())
	fmt.Println(got, "calls:", calls)
	// Output: [1 2 3] calls: 3
}

// This example loops over a pipeline; break stops it.
func ExampleSource_All() {
	fib := source.Unfold([2]int{0, 1}, func(s [2]int) (int, [2]int, bool) {
		return s[0], [2]int{s[1], s[0] + s[1]}, true
	})
	for v, err := range fib.All(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if v > 50 {
			break
		}
		fmt.Print(v, " ")
	}
	fmt.Println()
	// Output: 0 1 1 2 3 5 8 13 21 34
}

// This example adapts a producer that pushes values from a loop. When the
// downstream has enough, emit returns ErrStop, and returning it ends the
// run cleanly.
func ExampleFromFunc() {
	pages := source.FromFunc(func(ctx context.Context, emit func(string) error) error {
		for page := 1; ; page++ {
			if err := emit("page " + strconv.Itoa(page)); err != nil {
				return err // source.ErrStop once Take has two
			}
		}
	})
	got, err := pages.Take(2).RunToSlice(context.Background())
	fmt.Println(got, err)
	// Output: [page 1 page 2] <nil>
}

// This example shows that errors flow downstream: the run ends with the
// first error, after the values before it.
func ExampleMapErr() {
	nums := source.MapErr(source.Of("1", "2", "x", "4"), strconv.Atoi)
	got, err := nums.RunToSlice(context.Background())
	fmt.Println(got, err)
	// Output: [1 2] strconv.Atoi: parsing "x": invalid syntax
}

func ExampleGrouped() {
	got, _ := source.Grouped(source.Range(1, 8, 1), 3).RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [[1 2 3] [4 5 6] [7]]
}

func ExampleSliding() {
	got, _ := source.Sliding(source.Of(1, 2, 3, 4, 5), 3, 1).RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [[1 2 3] [2 3 4] [3 4 5]]
}

func ExampleScan() {
	totals := source.Scan(source.Of(5, 10, 20), 0, func(acc, v int) int { return acc + v })
	got, _ := totals.RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [5 15 35]
}

func ExampleFlatMap() {
	countdown := func(n int) source.Source[int] { return source.Range(n, 0, -1) }
	got, _ := source.FlatMap(source.Of(2, 3), countdown).RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [2 1 3 2 1]
}

func ExampleSource_Intersperse() {
	csv := source.Concat(source.Of("["), source.Of("a", "b", "c").Intersperse(","), source.Of("]"))
	var b strings.Builder
	_ = source.RunToWriter(context.Background(), csv, &b, "")
	fmt.Println(b.String())
	// Output: [a,b,c]
}

func ExampleZipWithIndex() {
	got, _ := source.ZipWithIndex(source.Of("a", "b")).RunToSlice(context.Background())
	fmt.Printf("%+v\n", got)
	// Output: [{Index:0 Value:a} {Index:1 Value:b}]
}

func ExampleSource_Recover() {
	errDown := errors.New("sensor down")
	readings := source.Concat(source.Of(20, 21), source.Failed[int](errDown))
	safe := readings.Recover(func(err error) (int, bool) { return -1, errors.Is(err, errDown) })

	got, err := safe.RunToSlice(context.Background())
	fmt.Println(got, err)
	// Output: [20 21 -1] <nil>
}

func ExampleSource_OrElse() {
	found := source.Of(3, 5).Filter(func(v int) bool { return v > 10 })
	got, _ := found.OrElse(source.Of(0)).RunToSlice(context.Background())
	fmt.Println(got)
	// Output: [0]
}

func ExampleSource_RunReduce() {
	ctx := context.Background()
	maxOf := func(a, b int) int { return max(a, b) }
	fmt.Println(source.Of(3, 9, 4).RunReduce(ctx, maxOf))
	fmt.Println(source.Empty[int]().RunReduce(ctx, maxOf))
	// Output:
	// 9 <nil>
	// 0 source: empty stream
}

// This example runs a pipeline in a fork of a scope and receives its values
// from a channel, as a long-lived consumer would.
func ExampleSource_RunToChannel() {
	err := scope.Supervised(context.Background(), func(s *scope.Scope) error {
		c := source.Range(1, 4, 1).RunToChannel(s, 16)
		for v, err := range c.All(s.Context()) {
			if err != nil {
				return err
			}
			fmt.Println("received", v)
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// received 1
	// received 2
	// received 3
	// <nil>
}
