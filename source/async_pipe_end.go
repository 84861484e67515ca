package source

import "context"

// wakeLocked wakes the consumer if it waits. recv has room for one signal,
// and one pending signal is as good as several.
func (p *pipe[T]) wakeLocked() {
	if p.waiting {
		p.waiting = false
		select {
		case p.recv <- struct{}{}:
		default:
		}
	}
}

func (p *pipe[T]) wakeSendersLocked() {
	for _, w := range p.senders {
		select {
		case w <- struct{}{}:
		default:
		}
	}
	clear(p.senders)
	p.senders = p.senders[:0]
}

// endLocked ends the pipe with err, unless it has ended already; with drop,
// the consumer gets the end at once, without the values still queued, and
// the buffers are let go: callbacks may keep an Emitter, and so the pipe,
// long after the run.
func (p *pipe[T]) endLocked(err error, drop bool) {
	if p.end == nil {
		p.end = err
	}
	if drop {
		p.drop = true
		clear(p.bufs)
		p.bufs, p.free, p.head, p.off, p.n = nil, nil, 0, 0, 0
	}
	p.wakeLocked()
	p.wakeSendersLocked()
}

func (p *pipe[T]) finish(err error, drop bool) {
	p.mu.Lock()
	p.endLocked(err, drop)
	p.mu.Unlock()
}

// close ends the stream after the queued values.
func (p *pipe[T]) close() { p.finish(errDrained, false) }

// fail ends the stream with err after the queued values.
func (p *pipe[T]) fail(err error) { p.finish(err, false) }

// abort ends the stream with err at once: queued values are dropped.
func (p *pipe[T]) abort(err error) { p.finish(err, true) }

// stop is called by the consumer when it leaves: every later put returns
// channel.ErrClosed, and producers waiting for room wake up.
func (p *pipe[T]) stop() { p.finish(errDrained, true) }

// done records that a producer has finished; the last one closes the pipe.
func (p *pipe[T]) done() {
	p.mu.Lock()
	if p.live--; p.live == 0 {
		p.endLocked(errDrained, false)
	}
	p.mu.Unlock()
}

// add records that k more producers will call done.
func (p *pipe[T]) add(k int) {
	p.mu.Lock()
	p.live += k
	p.mu.Unlock()
}

// take hands back prev (the buffer from the last take, or nil) and returns
// the oldest queued buffer b: its values are b[lo:]. It waits until there
// is one, the pipe ends (errDrained, or the failure), or ctx is done.
func (p *pipe[T]) take(ctx context.Context, prev []T) (b []T, lo int, err error) {
	for {
		if b, lo, err = p.poll(prev); b != nil || err != nil {
			return b, lo, err
		}
		prev = nil
		select {
		case <-p.recv:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
}

// poll is take without the wait: when there is nothing to take it returns
// nil, 0, nil, and the next value or end signals p.recv.
func (p *pipe[T]) poll(prev []T) (b []T, lo int, err error) {
	p.mu.Lock()
	if prev != nil {
		p.recycleLocked(prev)
	}
	switch {
	case p.drop:
		err = p.end
	case p.n > 0:
		b, lo = p.popLocked()
		p.waiting = false
		p.wakeSendersLocked()
	case p.end != nil:
		err = p.end
	default:
		p.waiting = true
	}
	p.mu.Unlock()
	return b, lo, err
}
