package source_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
)

// randomStreamsOp returns a random stage of issue 16 with its slice
// reference, as randomOp does for the others. Async stages are included
// where their output is deterministic.
func randomStreamsOp(r *rand.Rand) op {
	n := r.IntN(20)
	k := r.IntN(5) + 1
	weight := func(v int) int { return (v%(k+2) + k + 2) % (k + 2) }
	groupsOf := func(s source.Source[[]int]) source.Source[int] {
		return source.Map(s, func(g []int) int { return sum(g)*100 + len(g) })
	}
	refGroups := func(groups [][]int) []int {
		var out []int
		for _, g := range groups {
			out = append(out, sum(g)*100+len(g))
		}
		return out
	}
	switch r.IntN(22) {
	case 0:
		return op{fmt.Sprintf("TakeLast(%d)", n*40), func(s source.Source[int]) source.Source[int] { return s.TakeLast(n * 40) },
			func(vs []int) []int { return vs[max(0, len(vs)-n*40):] }}
	case 1:
		return op{"MapStateful", func(s source.Source[int]) source.Source[int] {
			return source.MapStateful(s, func() int { return k },
				func(st, v int) (int, int) { return (st + v) % 10007, v - st },
				func(st int) (int, bool) { return -st, st%2 == 0 })
		}, func(vs []int) []int {
			out, st := []int{}, k
			for _, v := range vs {
				out = append(out, v-st)
				st = (st + v) % 10007
			}
			if st%2 == 0 {
				out = append(out, -st)
			}
			return out
		}}
	case 2:
		minW := n*5 + 1
		return op{fmt.Sprintf("GroupedWeighted(%d)", minW), func(s source.Source[int]) source.Source[int] {
			return groupsOf(source.GroupedWeighted(s, minW, weight))
		}, func(vs []int) []int { return refGroups(refGroupedWeighted(vs, minW, weight)) }}
	case 3:
		delim := func(v int) bool { return v%(k+3) == 0 }
		return op{fmt.Sprintf("Split(%%%d)", k+3), func(s source.Source[int]) source.Source[int] {
			return groupsOf(source.Split(s, delim))
		}, func(vs []int) []int { return refGroups(refSplit(vs, delim)) }}
	case 4:
		delim := []int{k, k + 1}[:1+n%2]
		return op{fmt.Sprintf("SplitOn(%v)", delim), func(s source.Source[int]) source.Source[int] {
			return groupsOf(source.SplitOn(source.Map(s, func(v int) int { return v % 8 }), delim))
		}, func(vs []int) []int {
			return refGroups(refSplitOn(mapSlice(vs, func(v int) int { return v % 8 }), delim))
		}}
	case 5:
		key := func(v int) int { return v / (k * 50) }
		return op{"DistinctAdjacentBy", func(s source.Source[int]) source.Source[int] { return source.DistinctAdjacentBy(s, key) },
			func(vs []int) []int {
				return slices.CompactFunc(slices.Clone(vs), func(a, b int) bool { return key(a) == key(b) })
			}}
	case 6:
		limit := r.IntN(1000)
		return op{fmt.Sprintf("TakeWhileInclusive(<%d)", limit), func(s source.Source[int]) source.Source[int] {
			return s.TakeWhileInclusive(func(v int) bool { return v < limit })
		}, func(vs []int) []int {
			i := slices.IndexFunc(vs, func(v int) bool { return v >= limit })
			if i < 0 {
				return vs
			}
			return vs[:i+1]
		}}
	case 7:
		f := func(v int) ([]int, error) { return slices.Repeat([]int{v}, (v%(k+1)+k+1)%(k+1)), nil }
		return op{"MapConcatErr", func(s source.Source[int]) source.Source[int] { return source.MapConcatErr(s, f) },
			func(vs []int) []int {
				var out []int
				for _, v := range vs {
					us, _ := f(v)
					out = append(out, us...)
				}
				return out
			}}
	case 8:
		f := func(v int) (int, error) {
			if v%k == 0 {
				return 0, errBoom
			}
			return v * 3, nil
		}
		return op{"MapTry→Successes", func(s source.Source[int]) source.Source[int] {
			return source.Successes(source.MapTry(s, f), func(error) error { return nil })
		}, func(vs []int) []int {
			var out []int
			for _, v := range vs {
				if u, err := f(v); err == nil {
					out = append(out, u)
				}
			}
			return out
		}}
	case 9:
		return op{"Retry", func(s source.Source[int]) source.Source[int] { return s.Retry(retry.MaxAttempts(2)) },
			func(vs []int) []int { return vs }}
	case 10:
		return op{"RecoverWith", func(s source.Source[int]) source.Source[int] {
			return s.RecoverWith(func(err error) source.Source[int] { return source.Of(-1) })
		}, func(vs []int) []int { return vs }}
	case 11:
		return op{"RecoverErr", func(s source.Source[int]) source.Source[int] {
			return s.RecoverErr(func(err error) (int, error) { return -1, nil })
		}, func(vs []int) []int { return vs }}
	case 12:
		return op{"EndOnError+OnComplete", func(s source.Source[int]) source.Source[int] {
			return s.EndOnError(func(error) bool { return true }).OnComplete(func(error) {})
		}, func(vs []int) []int { return vs }}
	case 13:
		return op{"Timeout", func(s source.Source[int]) source.Source[int] { return s.Timeout(time.Hour) },
			func(vs []int) []int { return vs }}
	case 14:
		return op{fmt.Sprintf("InterleaveShortest(%d)", k), func(s source.Source[int]) source.Source[int] {
			return source.InterleaveShortest(k, s, source.Repeat(-1))
		}, func(vs []int) []int {
			var out []int
			for g := range slices.Chunk(vs, k) {
				out = append(out, g...)
				if len(g) < k {
					break // the next turn of s finds it ended
				}
				out = append(out, slices.Repeat([]int{-1}, k)...)
			}
			return out
		}}
	case 15:
		return op{"MergeUntil(LeftEnds)", func(s source.Source[int]) source.Source[int] {
			return source.MergeUntil(s, waitForever[int](), source.LeftEnds)
		}, func(vs []int) []int { return vs }}
	case 16:
		maxW := n*5 + 1
		return op{fmt.Sprintf("BatchWeighted(%d)", maxW), func(s source.Source[int]) source.Source[int] {
			return source.MapConcat(source.BatchWeighted(s, maxW, weight), func(g []int) []int { return g })
		}, func(vs []int) []int { return vs }}
	case 17:
		minW := n*5 + 1
		return op{fmt.Sprintf("GroupedWeightedWithin(%d)", minW), func(s source.Source[int]) source.Source[int] {
			return groupsOf(source.GroupedWeightedWithin(s, minW, time.Hour, weight))
		}, func(vs []int) []int { return refGroups(refGroupedWeighted(vs, minW, weight)) }}
	case 18:
		return op{"ConflateWithSeed", func(s source.Source[int]) source.Source[int] {
			return source.MapConcat(source.ConflateWithSeed(s, func(v int) []int { return []int{v} },
				func(acc []int, v int) []int { return append(acc, v) }), func(g []int) []int { return g })
		}, func(vs []int) []int { return vs }}
	case 19:
		return op{"Expand(once)", func(s source.Source[int]) source.Source[int] {
			return source.Expand(s, func(v int) iter.Seq[int] { return slices.Values([]int{v + k}) })
		}, func(vs []int) []int { return mapSlice(vs, func(v int) int { return v + k }) }}
	case 20:
		return op{"Extrapolate(none)", func(s source.Source[int]) source.Source[int] {
			return source.Extrapolate(s, func(int) iter.Seq[int] { return func(func(int) bool) {} })
		}, func(vs []int) []int { return vs }}
	default:
		return op{"GroupBy(one key)", func(s source.Source[int]) source.Source[int] {
			return source.GroupBy(s, k, func(int) int { return 0 }, func(_ int, g source.Source[int]) source.Source[int] {
				return source.Map(g, func(v int) int { return v * 2 })
			})
		}, func(vs []int) []int { return mapSlice(vs, func(v int) int { return v * 2 }) }}
	}
}

func refGroupedWeighted(vs []int, minW int, weight func(int) int) [][]int {
	var out [][]int
	var cur []int
	w := 0
	for _, v := range vs {
		cur = append(cur, v)
		if w += weight(v); w >= minW {
			out, cur, w = append(out, cur), nil, 0
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func refSplit(vs []int, delim func(int) bool) [][]int {
	var out [][]int
	cur := []int{}
	for _, v := range vs {
		if delim(v) {
			out, cur = append(out, cur), []int{}
		} else {
			cur = append(cur, v)
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func refSplitOn(vs, delim []int) [][]int {
	var out [][]int
	cur := []int{}
	for i := 0; i < len(vs); {
		if len(delim) > 0 && i+len(delim) <= len(vs) && slices.Equal(vs[i:i+len(delim)], delim) {
			out, cur = append(out, cur), []int{}
			i += len(delim)
			continue
		}
		cur = append(cur, vs[i])
		i++
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// TestStreamsAgainstReference runs random pipelines that mix the stages of
// issue 16 with the others over random inputs, and checks them against
// naive slice implementations, as TestAgainstReference does.
func TestStreamsAgainstReference(t *testing.T) {
	iterations := 800
	if testing.Short() {
		iterations = 200
	}
	checkAgainstReference(t, rand.New(rand.NewPCG(16, 17)), iterations, 3000, 4, func(r *rand.Rand) op {
		if o := randomStreamsOp(r); r.IntN(3) != 0 {
			return o
		}
		return randomOp(r)
	})
}
