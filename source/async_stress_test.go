package source_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/source"
)

// TestAsyncStress runs random pipelines of async stages, with random
// Takes, failures and cancellations, and checks their results against a
// plain computation. Run it with -race.
func TestAsyncStress(t *testing.T) {
	iterations := 200
	if testing.Short() {
		iterations = 50
	}
	for i := range iterations {
		seed := uint64(i)
		r := rand.New(rand.NewPCG(seed, 42))
		if r.IntN(3) == 0 {
			stressUnordered(t, r, seed)
		} else {
			stressOrdered(t, r, seed)
		}
	}
}

// stressStage is an order-keeping stage and what it does to a slice.
type stressStage struct {
	name  string
	apply func(source.Source[int]) source.Source[int]
	ref   func([]int) []int
}

func stressStages(r *rand.Rand, failAt int) []stressStage {
	k := 1 + r.IntN(5)
	inc := func(ctx context.Context, v int) (int, error) {
		if v == failAt {
			return 0, errBoom
		}
		return v + 1, nil
	}
	all := []stressStage{
		{fmt.Sprintf("Buffer(%d)", k), func(s source.Source[int]) source.Source[int] { return s.Buffer(k) },
			func(vs []int) []int { return vs }},
		{fmt.Sprintf("MapPar(%d)", k), func(s source.Source[int]) source.Source[int] { return source.MapPar(s, k, inc) },
			func(vs []int) []int { return mapSlice(vs, func(v int) int { return v + 1 }) }},
		{"ZipWithRepeat", func(s source.Source[int]) source.Source[int] {
			return source.ZipWith(s, source.Repeat(2), func(a, b int) int { return a * b })
		}, func(vs []int) []int { return mapSlice(vs, func(v int) int { return 2 * v }) }},
		{fmt.Sprintf("Interleave(%d)", k), func(s source.Source[int]) source.Source[int] {
			return source.Interleave(k, source.Empty[int](), s)
		}, func(vs []int) []int { return vs }},
		{"AlsoTo", func(s source.Source[int]) source.Source[int] {
			return s.AlsoTo(channel.New[int](channel.Unlimited))
		}, func(vs []int) []int { return vs }},
	}
	stages := make([]stressStage, 1+r.IntN(3))
	for i := range stages {
		stages[i] = all[r.IntN(len(all))]
	}
	return stages
}

func stressInput(r *rand.Rand) source.Source[int] {
	n := r.IntN(3000)
	if r.IntN(2) == 0 {
		return source.FromSlice(ints(n))
	}
	return oneByOne(ints(n % 300)...)
}

func stressOrdered(t *testing.T, r *rand.Rand, seed uint64) {
	n := r.IntN(3000)
	in := ints(n)
	src := source.FromSlice(in)
	if r.IntN(2) == 0 {
		in = in[:n%300]
		src = oneByOne(in...)
	}
	failAt := -1
	if r.IntN(4) == 0 && n > 0 {
		failAt = r.IntN(n) // a MapPar fails on this value, if any MapPar sees it
	}
	ref, names := in, []string{}
	for _, st := range stressStages(r, failAt) {
		src, ref, names = st.apply(src), st.ref(ref), append(names, st.name)
	}
	take := -1
	if r.IntN(3) == 0 {
		take = r.IntN(len(ref) + 2)
		src = src.Take(take)
		ref = ref[:min(take, len(ref))]
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelAt := -1
	if r.IntN(5) == 0 {
		cancelAt = r.IntN(len(ref) + 1)
	}
	var got []int
	err := src.RunForEach(ctx, func(v int) error {
		if len(got) == cancelAt {
			cancel()
		}
		got = append(got, v)
		return nil
	})
	what := fmt.Sprintf("seed %d: %v take %d fail at %d cancel at %d", seed, names, take, failAt, cancelAt)
	switch {
	case errors.Is(err, errBoom) || errors.Is(err, context.Canceled):
		if !slices.Equal(got, ref[:min(len(got), len(ref))]) || len(got) > len(ref) {
			t.Fatalf("%s: err %v after %d values that are not a prefix of the %d expected", what, err, len(got), len(ref))
		}
	case err != nil:
		t.Fatalf("%s: unexpected error %v", what, err)
	case !slices.Equal(got, ref): // no error: the stream must be whole
		t.Fatalf("%s: got %d values, want %d (first difference at %d)", what, len(got), len(ref), firstDiff(got, ref))
	}
}

func firstDiff(a, b []int) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func stressUnordered(t *testing.T, r *rand.Rand, seed uint64) {
	k := 1 + r.IntN(4)
	id := func(_ context.Context, v int) (int, error) { return v, nil }
	var src source.Source[int]
	var ref []int
	var name string
	switch r.IntN(3) {
	case 0:
		parts := make([]source.Source[int], k)
		for i := range parts {
			m := r.IntN(1000)
			parts[i] = source.Map(source.FromSlice(ints(m)).Buffer(1+r.IntN(50)), func(v int) int { return v*10 + i })
			for v := range m {
				ref = append(ref, v*10+i)
			}
		}
		src, name = source.Merge(parts...), fmt.Sprintf("Merge(%d)", k)
	case 1:
		m := r.IntN(3000)
		src, ref, name = source.MapParUnordered(source.FromSlice(ints(m)), k, id), ints(m), fmt.Sprintf("MapParUnordered(%d)", k)
	case 2:
		m := r.IntN(100)
		src = source.FlatMapPar(source.FromSlice(ints(m)), k, func(v int) source.Source[int] {
			return stressInput(rand.New(rand.NewPCG(uint64(v), 7))).Take(5)
		})
		for v := range m {
			got, _ := run(stressInput(rand.New(rand.NewPCG(uint64(v), 7))).Take(5))
			ref = append(ref, got...)
		}
		name = fmt.Sprintf("FlatMapPar(%d)", k)
	}
	got, err := run(src)
	if err != nil {
		t.Fatalf("seed %d: %s: %v", seed, name, err)
	}
	slices.Sort(got)
	slices.Sort(ref)
	if !slices.Equal(got, ref) {
		t.Fatalf("seed %d: %s: got %d values, want %d", seed, name, len(got), len(ref))
	}
}
