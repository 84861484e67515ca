package source_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/corral-go/corral/source"
)

// An op is one pipeline stage together with a naive slice implementation
// of it, the reference the stage is checked against.
type op struct {
	name  string
	stage func(source.Source[int]) source.Source[int]
	ref   func([]int) []int
}

// randomOp returns a random stage with random parameters.
func randomOp(r *rand.Rand) op {
	n := r.IntN(20)
	k := r.IntN(5) + 1
	switch r.IntN(16) {
	case 0:
		f := func(v int) int { return (v*7 + k) % 1000 }
		return op{"Map", func(s source.Source[int]) source.Source[int] { return source.Map(s, f) },
			func(vs []int) []int { return mapSlice(vs, f) }}
	case 1:
		keep := func(v int) bool { return v%k != 0 }
		return op{fmt.Sprintf("Filter(%%%d)", k), func(s source.Source[int]) source.Source[int] { return s.Filter(keep) },
			func(vs []int) []int { return slices.DeleteFunc(slices.Clone(vs), func(v int) bool { return !keep(v) }) }}
	case 2:
		return op{fmt.Sprintf("Take(%d)", n*50), func(s source.Source[int]) source.Source[int] { return s.Take(n * 50) },
			func(vs []int) []int { return vs[:min(n*50, len(vs))] }}
	case 3:
		return op{fmt.Sprintf("Drop(%d)", n*30), func(s source.Source[int]) source.Source[int] { return s.Drop(n * 30) },
			func(vs []int) []int { return vs[min(n*30, len(vs)):] }}
	case 4:
		f := func(a, v int) int { return (a + v) % 10007 }
		return op{"Scan", func(s source.Source[int]) source.Source[int] { return source.Scan(s, k, f) },
			func(vs []int) []int {
				out, a := []int{}, k
				for _, v := range vs {
					a = f(a, v)
					out = append(out, a)
				}
				return out
			}}
	case 5:
		size := n + 1
		return op{fmt.Sprintf("Grouped(%d)", size), func(s source.Source[int]) source.Source[int] {
			return source.Map(source.Grouped(s, size), func(g []int) int { return sum(g)*100 + len(g) })
		}, func(vs []int) []int {
			var out []int
			for g := range slices.Chunk(vs, size) {
				out = append(out, sum(g)*100+len(g))
			}
			return out
		}}
	case 6:
		size, step := n%7+1, k
		return op{fmt.Sprintf("Sliding(%d,%d)", size, step), func(s source.Source[int]) source.Source[int] {
			return source.Map(source.Sliding(s, size, step), func(g []int) int { return sum(g)*100 + len(g) })
		}, func(vs []int) []int { return refSliding(vs, size, step) }}
	case 7:
		limit := r.IntN(1000)
		return op{fmt.Sprintf("TakeWhile(<%d)", limit), func(s source.Source[int]) source.Source[int] {
			return s.TakeWhile(func(v int) bool { return v < limit })
		}, func(vs []int) []int {
			i := slices.IndexFunc(vs, func(v int) bool { return v >= limit })
			if i < 0 {
				return vs
			}
			return vs[:i]
		}}
	case 8:
		limit := r.IntN(1000)
		return op{fmt.Sprintf("DropWhile(<%d)", limit), func(s source.Source[int]) source.Source[int] {
			return s.DropWhile(func(v int) bool { return v < limit })
		}, func(vs []int) []int {
			i := slices.IndexFunc(vs, func(v int) bool { return v >= limit })
			if i < 0 {
				return nil
			}
			return vs[i:]
		}}
	case 9:
		return op{"Intersperse", func(s source.Source[int]) source.Source[int] { return s.Intersperse(-k) },
			func(vs []int) []int {
				var out []int
				for i, v := range vs {
					if i > 0 {
						out = append(out, -k)
					}
					out = append(out, v)
				}
				return out
			}}
	case 10:
		f := func(v int) []int { return slices.Repeat([]int{v}, (v%(k+1)+k+1)%(k+1)) }
		return op{"MapConcat", func(s source.Source[int]) source.Source[int] { return source.MapConcat(s, f) },
			func(vs []int) []int {
				var out []int
				for _, v := range vs {
					out = append(out, f(v)...)
				}
				return out
			}}
	case 11:
		f := func(v int) []int { return slices.Repeat([]int{v + 1}, (v%(k+1)+k+1)%(k+1)) }
		return op{"FlatMap", func(s source.Source[int]) source.Source[int] {
			return source.FlatMap(s, func(v int) source.Source[int] { return source.Of(f(v)...) })
		}, func(vs []int) []int {
			var out []int
			for _, v := range vs {
				out = append(out, f(v)...)
			}
			return out
		}}
	case 12:
		return op{fmt.Sprintf("Sample(%d)", k), func(s source.Source[int]) source.Source[int] { return s.Sample(k) },
			func(vs []int) []int {
				var out []int
				for i := k - 1; i < len(vs); i += k {
					out = append(out, vs[i])
				}
				return out
			}}
	case 13:
		return op{"DistinctAdjacent", source.DistinctAdjacent[int], func(vs []int) []int { return slices.Compact(slices.Clone(vs)) }}
	case 14:
		f := func(v int) (int, bool) { return v / 2, v%k == 1 }
		return op{"FilterMap", func(s source.Source[int]) source.Source[int] { return source.FilterMap(s, f) },
			func(vs []int) []int {
				var out []int
				for _, v := range vs {
					if u, ok := f(v); ok {
						out = append(out, u)
					}
				}
				return out
			}}
	default:
		return op{"ZipWithIndex", func(s source.Source[int]) source.Source[int] {
			return source.Map(source.ZipWithIndex(s), func(iv source.Indexed[int]) int { return iv.Index*1000 + iv.Value })
		}, func(vs []int) []int {
			var out []int
			for i, v := range vs {
				out = append(out, i*1000+v)
			}
			return out
		}}
	}
}

func refSliding(vs []int, size, step int) []int {
	var out []int
	covered := 0 // values that some emitted window holds
	start := 0
	for ; start+size <= len(vs); start += step {
		out = append(out, sum(vs[start:start+size])*100+size)
		covered = start + size
	}
	if start < len(vs) && covered < len(vs) {
		out = append(out, sum(vs[start:])*100+len(vs)-start)
	}
	return out
}

// randomSource returns vs through a randomly chosen source, so that batch
// boundaries fall in different places.
func randomSource(r *rand.Rand, vs []int) (string, source.Source[int]) {
	switch r.IntN(5) {
	case 0:
		return "FromSlice", source.FromSlice(vs)
	case 1:
		return "FromSeq", source.FromSeq(slices.Values(vs))
	case 2:
		var parts []source.Source[int]
		for rest := vs; len(rest) > 0; {
			n := min(len(rest), r.IntN(1500)+1)
			parts = append(parts, source.FromSlice(rest[:n]))
			rest = rest[n:]
		}
		return "Concat", source.Concat(parts...)
	case 3:
		// Batches and single values in one run, by turns.
		var parts []source.Source[int]
		for rest, i := vs, 0; len(rest) > 0; i++ {
			n := min(len(rest), r.IntN(300)+1)
			if i%2 == 0 {
				parts = append(parts, source.FromSlice(rest[:n]))
			} else {
				parts = append(parts, oneByOne(rest[:n]...))
			}
			rest = rest[n:]
		}
		return "Mixed", source.Concat(parts...)
	default:
		return "Unfold", source.Unfold(vs, func(rest []int) (int, []int, bool) {
			if len(rest) == 0 {
				return 0, nil, false
			}
			return rest[0], rest[1:], true
		})
	}
}

// TestAgainstReference runs random pipelines over random inputs and checks
// them against naive slice implementations.
func TestAgainstReference(t *testing.T) {
	checkAgainstReference(t, rand.New(rand.NewPCG(1, 2)), 1500, 5000, 5, randomOp)
}

// checkAgainstReference runs n random pipelines of 1 to most stages made
// by pick over random inputs of up to size values (by RunToSlice, and by
// All, which asks for growing batches: other boundaries again), and checks
// them against the stages' references.
func checkAgainstReference(t *testing.T, r *rand.Rand, n, size, most int, pick func(*rand.Rand) op) {
	t.Helper()
	for i := range n {
		vs := make([]int, r.IntN(size))
		for j := range vs {
			vs[j] = r.IntN(1000)
		}
		name, src := randomSource(r, vs)
		names := []string{name}
		want := vs
		for range r.IntN(most) + 1 {
			o := pick(r)
			names = append(names, o.name)
			src, want = o.stage(src), o.ref(want)
		}
		pipeline := strings.Join(names, " → ")

		got, err := src.RunToSlice(context.Background())
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("#%d %s over %d values:\ngot  %v, %v\nwant %v", i, pipeline, len(vs), head(got), err, head(want))
		}
		got = got[:0]
		for v, err := range src.All(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, v)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("#%d %s over %d values, with All:\ngot  %v\nwant %v", i, pipeline, len(vs), head(got), head(want))
		}
	}
}

func head(vs []int) string {
	if len(vs) > 30 {
		return fmt.Sprintf("%v... (%d values)", vs[:30], len(vs))
	}
	return fmt.Sprint(vs)
}
