package inspect

import (
	"slices"
	"sync"
	"time"
)

// Some reads go where a process decides what answers: a path below its root
// (/proc/PID/root/...) walks its mounts, which may be a FUSE filesystem whose
// server never answers; a file it holds open may be that, or a FIFO; its
// command line is read from its memory, which it may map from such a file.
// The kernel then waits for good, and a goroutine cannot be interrupted in a
// syscall. So each such read runs on a goroutine of its own that the caller
// waits for until a deadline, and abandons after it: the goroutine stays
// blocked, with its thread, until the process exits. A guard bounds how many
// it abandons: past that, it skips such reads, so that no number of hostile
// processes can hold nsinspect up for more than a few deadlines or make the
// runtime start thread after thread.

// DefaultStallTimeout is how long a read that a process can stall may take
// before nsinspect gives up on it.
const DefaultStallTimeout = 2 * time.Second

// maxAbandoned is how many stalled reads a snapshot abandons before it skips
// the rest.
const maxAbandoned = 4

// guard runs reads that a process can stall, and remembers which it gave up.
type guard struct {
	timeout   time.Duration
	mu        sync.Mutex
	abandoned int
	skipped   []string
}

// Skipped says what was not read because it did not answer in time (or
// because earlier reads had not): one entry per thing read, such as `mount
// "/run/netns/x" of process 42`, in the order they were given up.
func (s *Snapshot) Skipped() []string {
	s.guard.mu.Lock()
	defer s.guard.mu.Unlock()
	return append([]string(nil), s.guard.skipped...)
}

// bounded returns f's result, or ok false where f did not return within the
// guard's timeout or the guard has given up on such reads; what names the
// read, and is called only where it is given up. f runs on its own
// goroutine and must only touch what it returns; release, if not nil, frees
// a result that arrives after bounded gave up on it (an fd to close).
func bounded[T any](g *guard, what func() string, f func() (T, bool), release func(T)) (v T, ok bool) {
	g.mu.Lock()
	if g.abandoned >= maxAbandoned || len(g.skipped) > 0 { // only once a read stalled
		name := what()
		if g.abandoned >= maxAbandoned || slices.Contains(g.skipped, name) {
			// Given up on, or this very read stalled before.
			if !slices.Contains(g.skipped, name) {
				g.skipped = append(g.skipped, name)
			}
			g.mu.Unlock()
			return v, false
		}
	}
	g.mu.Unlock()
	type result struct {
		v  T
		ok bool
	}
	done := make(chan result, 1)
	var late sync.Mutex // held by whichever side settles first
	gaveUp := false
	go func() {
		v, ok := f()
		late.Lock()
		defer late.Unlock()
		if gaveUp {
			if ok && release != nil {
				release(v)
			}
			return
		}
		done <- result{v, ok}
	}()
	timeout := g.timeout
	if timeout <= 0 {
		timeout = DefaultStallTimeout
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.ok
	case <-timer.C:
	}
	late.Lock()
	defer late.Unlock()
	select {
	case r := <-done: // it answered as the deadline passed
		return r.v, r.ok
	default:
	}
	gaveUp = true
	g.mu.Lock()
	g.abandoned++
	g.skipped = append(g.skipped, what())
	g.mu.Unlock()
	return v, false
}
