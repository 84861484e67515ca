package source_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/corral-go/corral/source"
)

// failAt returns an error for the value bad, and v otherwise.
func failAt(bad int) func(v int) error {
	return func(v int) error {
		if v == bad {
			return fmt.Errorf("value %d: %w", v, errBoom)
		}
		return nil
	}
}

func TestMapConcatErr(t *testing.T) {
	check := failAt(3)
	f := func(v int) ([]int, error) {
		if err := check(v); err != nil {
			return nil, err
		}
		return []int{v, v}, nil
	}
	got, err := run(source.MapConcatErr(source.Of(1, 2, 3, 4), f))
	if !errors.Is(err, errBoom) {
		t.Errorf("err = %v, want errBoom", err)
	}
	equal(t, got, []int{1, 1, 2, 2}) // what came before the failure
	equal(t, collect(t, source.MapConcatErr(source.Of(1, 2), f)), []int{1, 1, 2, 2})

	// Large slices are passed on in batches, within the demand.
	big := func(v int) ([]int, error) { return ints(3000), nil }
	if got := collect(t, source.MapConcatErr(source.Of(1, 2), big)); len(got) != 6000 {
		t.Errorf("got %d values, want 6000", len(got))
	}
	equal(t, collect(t, source.MapConcatErr(source.Of(1, 2), big).Drop(2998).Take(4)), []int{2998, 2999, 0, 1})
}

func TestRunFoldErr(t *testing.T) {
	ctx := context.Background()
	check := failAt(4)
	add := func(acc, v int) (int, error) { return acc + v, check(v) }
	acc, err := source.RunFoldErr(ctx, source.Of(1, 2, 3, 4, 5), 0, add)
	if !errors.Is(err, errBoom) || acc != 6 {
		t.Errorf("RunFoldErr = %d, %v; want 6 (the sum before 4), errBoom", acc, err)
	}
	acc, err = source.RunFoldErr(ctx, source.Of(1, 2, 3), 10, add)
	if err != nil || acc != 16 {
		t.Errorf("RunFoldErr = %d, %v; want 16, nil", acc, err)
	}
	acc, err = source.RunFoldErr(ctx, failing(1, 2), 0, add)
	if err != errBoom || acc != 3 {
		t.Errorf("RunFoldErr of a failing source = %d, %v; want 3, errBoom", acc, err)
	}
}

func TestRunReduceErr(t *testing.T) {
	ctx := context.Background()
	check := failAt(3)
	maxErr := func(a, b int) (int, error) { return max(a, b), check(b) }
	v, err := source.Of(1, 5, 2).RunReduceErr(ctx, maxErr)
	if err != nil || v != 5 {
		t.Errorf("RunReduceErr = %d, %v; want 5, nil", v, err)
	}
	v, err = source.Of(1, 5, 3, 2).RunReduceErr(ctx, maxErr)
	if !errors.Is(err, errBoom) || v != 0 {
		t.Errorf("RunReduceErr = %d, %v; want 0, errBoom", v, err)
	}
	if _, err = source.Empty[int]().RunReduceErr(ctx, maxErr); err != source.ErrEmpty {
		t.Errorf("RunReduceErr of nothing: err = %v, want ErrEmpty", err)
	}
}

func TestConflateErr(t *testing.T) {
	plus := func(acc, v int) (int, error) { return acc + v, nil }
	if got := collect(t, source.FromSlice(ints(100)).ConflateErr(plus)); sum(got) != 4950 {
		t.Errorf("ConflateErr passed %v, whose sum is not 4950", got)
	}
	check := failAt(50)
	_, err := run(source.FromSlice(ints(100)).ConflateErr(func(acc, v int) (int, error) { return acc + v, check(v) }))
	if !errors.Is(err, errBoom) {
		t.Errorf("err = %v, want errBoom", err)
	}
}
