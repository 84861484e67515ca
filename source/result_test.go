package source_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/corral-go/corral/source"
)

// oddFails fails for odd values and doubles the others.
func oddFails(v int) (int, error) {
	if v%2 == 1 {
		return 0, errBoom
	}
	return 2 * v, nil
}

func TestMapTry(t *testing.T) {
	got := collect(t, source.MapTry(source.Of(1, 2, 3, 4), oddFails))
	want := []source.Result[int]{{0, errBoom}, {4, nil}, {0, errBoom}, {8, nil}}
	equal(t, got, want)
	if got[0].Ok() || !got[1].Ok() {
		t.Errorf("Ok() of %v, %v", got[0], got[1])
	}
}

func TestMapParTry(t *testing.T) {
	f := func(_ context.Context, v int) (int, error) { return oddFails(v) }
	for name, stage := range map[string]func(source.Source[int]) source.Source[source.Result[int]]{
		"MapParTry": func(s source.Source[int]) source.Source[source.Result[int]] { return source.MapParTry(s, 4, f) },
		"MapParUnorderedTry": func(s source.Source[int]) source.Source[source.Result[int]] {
			return source.MapParUnorderedTry(s, 4, f)
		},
	} {
		t.Run(name, func(t *testing.T) {
			got := collect(t, stage(source.FromSlice(ints(1000))))
			if len(got) != 1000 {
				t.Fatalf("%d results, want 1000: a failure must not end the run", len(got))
			}
			failed := 0
			var values []int
			for _, r := range got {
				if r.Err != nil {
					failed++
					if !errors.Is(r.Err, errBoom) {
						t.Errorf("Err = %v", r.Err)
					}
				} else {
					values = append(values, r.Value)
				}
			}
			if failed != 500 {
				t.Errorf("%d failures, want 500", failed)
			}
			if name == "MapParUnorderedTry" {
				slices.Sort(values)
			}
			equal(t, values, mapSlice(ints(500), func(v int) int { return 4 * v }))

			// The upstream's failure still fails the run.
			if _, err := run(stage(failing(1, 2))); err != errBoom {
				t.Errorf("err = %v, want errBoom", err)
			}
		})
	}
}

func TestSuccesses(t *testing.T) {
	var failures []error
	got := collect(t, source.Successes(source.MapTry(source.FromSlice(ints(10)), oddFails), func(err error) error {
		failures = append(failures, err)
		return nil
	}))
	equal(t, got, []int{0, 4, 8, 12, 16})
	if len(failures) != 5 {
		t.Errorf("onErr saw %d failures, want 5", len(failures))
	}

	// onErr ends the run with its error: too many failures.
	errTooMany := errors.New("too many failures")
	n := 0
	got, err := run(source.Successes(source.MapTry(source.FromSlice(ints(10)), oddFails), func(err error) error {
		if n++; n == 3 {
			return errTooMany
		}
		return nil
	}))
	if err != errTooMany {
		t.Errorf("err = %v, want %v", err, errTooMany)
	}
	equal(t, got, []int{0, 4, 8}) // the values before the third failure (5)
}
