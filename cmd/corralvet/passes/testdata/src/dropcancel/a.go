package dropcancel

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/corral-go/corral/dispatcher"
	"github.com/corral-go/corral/source"
)

// A callback library.

type Reply struct{}

type Subscription struct{ ID int }

func (s *Subscription) Cancel() {}

func Request(msg string, cb func(Reply, error)) (cancel func())   { return func() {} }
func Subscribe(topic string, cb func(int)) (*Subscription, error) { return nil, nil }
func Fire(msg string, cb func(Reply, error))                      {}
func Watch(ctx context.Context, cb func(Reply, error))            {}
func logID(int)                                                   {}
func newTimer(d time.Duration, f func()) *time.Timer              { return time.AfterFunc(d, f) }

func dropped(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		Request("ping", complete) // want `register function passed to dispatcher.Await returns a nil cancel func, yet it holds a func\(\) from dropcancel.Request`
		return nil
	})
}

func oneLine(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() { Request("ping", complete); return nil }) // want `holds a func\(\) from dropcancel.Request`
}

func afterTimer(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		time.AfterFunc(time.Second, func() { complete(Reply{}, nil) }) // want `holds a \*time.Timer from time.AfterFunc`
		return nil
	})
}

func kept(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		cancel := Request("ping", complete) // want `holds a func\(\) from dropcancel.Request`
		if cancel == nil {
			return nil
		}
		return nil
	})
}

func timer(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		t := time.AfterFunc(time.Second, func() { complete(Reply{}, nil) }) // want `holds a \*time.Timer from time.AfterFunc`
		_ = t
		return nil
	})
}

func withCancel(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		wctx, cancel := context.WithCancel(context.Background()) // want `holds a context.CancelFunc from context.WithCancel`
		Watch(wctx, complete)
		_ = cancel
		return nil
	})
}

func callback(topic string) source.Source[int] {
	return source.FromCallback(16, 0, func(ctx context.Context, e *source.Emitter[int]) (func(), error) {
		sub, err := Subscribe(topic, func(v int) { _ = e.Emit(v) }) // want `register function passed to source.FromCallback returns a nil cancel func, yet it holds a \*Subscription from dropcancel.Subscribe`
		if err != nil {
			return nil, err
		}
		logID(sub.ID)
		return nil, nil
	})
}

// Negative cases.

func returned(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		return Request("ping", complete)
	})
}

func returnedTimer(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		t := newTimer(time.Second, func() { complete(Reply{}, nil) })
		return func() { t.Stop() }
	})
}

func cannotCancel(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		Fire("ping", complete)
		return nil
	})
}

func droppedOnPurpose(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		_ = Request("ping", complete)
		return nil
	})
}

func onceIsNotACanceller(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		done := sync.OnceFunc(func() { complete(Reply{}, errors.New("late")) })
		Fire("ping", func(Reply, error) { done() })
		return nil
	})
}

func synchronous(ctx context.Context) (Reply, error) {
	return dispatcher.Await(ctx, func(complete func(Reply, error)) func() {
		wctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		Watch(wctx, complete)
		return nil
	})
}
