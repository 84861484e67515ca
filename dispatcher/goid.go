package dispatcher

import (
	"runtime"
	"sync"
)

// goid returns the id of the calling goroutine, as runtime.Stack prints it
// ("goroutine 42 [running]:").
//
// Go deliberately has no goroutine identity, and code should not need one.
// The dispatcher needs it for one question only: is a call that would wait
// for the dispatcher's (or an actor's) own work made from inside that work?
// Such a call (an actor's function that Asks its own actor, a task that
// calls Shutdown) can never be answered, and it must fail at once rather
// than hang. Contexts cannot answer it: the caller may pass any context, and
// an actor's function receives none. So the goroutines that run user code
// record their id once (a runner when it starts, an actor when its loop
// starts), and the rare calls that must check compare it with their own.
// runtime.Stack costs a couple of microseconds, which is why goid is never
// called per task or per message.
func goid() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	const prefix = "goroutine "
	if n <= len(prefix) {
		return 0
	}
	var id uint64
	for _, c := range buf[len(prefix):n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}

// goroutines is a set of goroutine ids.
type goroutines struct {
	mu  sync.Mutex
	ids map[uint64]struct{}
}

func (g *goroutines) add(id uint64) {
	g.mu.Lock()
	if g.ids == nil {
		g.ids = make(map[uint64]struct{})
	}
	g.ids[id] = struct{}{}
	g.mu.Unlock()
}

func (g *goroutines) remove(id uint64) {
	g.mu.Lock()
	delete(g.ids, id)
	g.mu.Unlock()
}

func (g *goroutines) has(id uint64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, ok := g.ids[id]
	return ok
}
