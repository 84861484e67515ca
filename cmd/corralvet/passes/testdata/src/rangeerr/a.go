package rangeerr

import (
	"context"
	"errors"
	"iter"

	"github.com/corral-go/corral/channel"
	"github.com/corral-go/corral/source"
)

type total struct{ n int }

func sumChan(ctx context.Context, c *channel.Chan[int]) (int, error) {
	sum := 0
	for v := range c.All(ctx) { // want `range over Chan.All with one variable drops the error`
		sum += v
	}
	return sum, nil
}

func count(ctx context.Context, src source.Source[string]) error {
	n := 0
	for range src.All(ctx) { // want `range over Source.All with no variables drops the error`
		n++
	}
	_ = n
	return nil
}

func viaVariable(ctx context.Context, src source.Source[string]) (*total, []string, error) {
	seq := src.All(ctx)
	var out []string
	for s := range seq { // want `range over Source.All with one variable`
		out = append(out, s)
	}
	return nil, out, nil
}

func named(ctx context.Context, c *channel.Chan[int]) (t total, err error) {
	for v := range c.All(ctx) { // want `range over Chan.All with one variable`
		t.n += v
	}
	return t, nil
}

func inClosure(ctx context.Context, c *channel.Chan[int]) func() error {
	return func() error {
		for v := range c.All(ctx) { // want `range over Chan.All with one variable`
			_ = v
		}
		return nil
	}
}

func noErrorResult(ctx context.Context, c *channel.Chan[int]) {
	for v := range c.All(ctx) { // want `range over Chan.All with one variable`
		println(v)
	}
}

func assigned(ctx context.Context, c *channel.Chan[int]) error {
	var v int
	for v = range c.All(ctx) { // want `range over Chan.All with one variable`
	}
	_ = v
	return nil
}

func outerErr(ctx context.Context, c *channel.Chan[int]) error {
	var err error
	for v := range c.All(ctx) { // want `range over Chan.All with one variable`
		if v < 0 {
			err = errors.New("negative")
		}
	}
	return err
}

// Negative cases.

func twoVariables(ctx context.Context, c *channel.Chan[int]) error {
	for v, err := range c.All(ctx) {
		if err != nil {
			return err
		}
		_ = v
	}
	return nil
}

func blankOnPurpose(ctx context.Context, src source.Source[int]) {
	for v, _ := range src.All(ctx) {
		_ = v
	}
}

func notAnErrorSeq(ctx context.Context, src source.Source[string]) {
	for i := range src.Indexed(ctx) {
		_ = i
	}
	for v := range src.Values(ctx) {
		_ = v
	}
}

// mine is not corral's: its iterators are its author's business.
func mine() iter.Seq2[int, error] { return nil }

func notCorral() {
	for v := range mine() {
		_ = v
	}
}

func reassigned(ctx context.Context, src source.Source[string], other iter.Seq2[string, error]) {
	seq := src.All(ctx)
	if other != nil {
		seq = other
	}
	for v := range seq {
		_ = v
	}
}
