package inspect

import (
	"slices"
	"testing"
	"time"
)

func TestBounded(t *testing.T) {
	t.Run("answers", func(t *testing.T) {
		g := &guard{timeout: time.Minute}
		v, ok := bounded(g, name("quick"), func() (int, bool) { return 7, true }, nil)
		if v != 7 || !ok {
			t.Errorf("got %d, %v; want 7, true", v, ok)
		}
		if _, ok := bounded(g, name("refused"), func() (int, bool) { return 0, false }, nil); ok {
			t.Error("a read that failed reported ok")
		}
		if len(g.skipped) != 0 {
			t.Errorf("skipped %q, want nothing", g.skipped)
		}
	})
	t.Run("stalls", func(t *testing.T) {
		g := &guard{timeout: time.Millisecond}
		unblock := make(chan struct{})
		released := make(chan int, maxAbandoned)
		stall := func() (int, bool) { <-unblock; return 42, true }
		release := func(v int) { released <- v }
		var want []string
		for i := range maxAbandoned {
			what := string(rune('a' + i))
			want = append(want, what)
			if v, ok := bounded(g, name(what), stall, release); ok || v != 0 {
				t.Fatalf("stalled read %s returned %d, %v", what, v, ok)
			}
		}
		// The same read again, and any read past the limit, is not tried.
		called := false
		try := func() (int, bool) { called = true; return 1, true }
		if _, ok := bounded(g, name("a"), try, nil); ok {
			t.Error("a read that stalled before was tried again")
		}
		g2 := &guard{timeout: time.Minute, abandoned: maxAbandoned}
		if _, ok := bounded(g2, name("z"), try, nil); ok || called {
			t.Errorf("past %d abandoned reads, a read ran (called %v, ok %v)", maxAbandoned, called, ok)
		}
		if !slices.Equal(g.skipped, want) || !slices.Equal(g2.skipped, []string{"z"}) {
			t.Errorf("skipped %q and %q, want %q and [z]", g.skipped, g2.skipped, want)
		}
		// Late answers are released, not leaked.
		close(unblock)
		for range maxAbandoned {
			if v := <-released; v != 42 {
				t.Errorf("released %d, want 42", v)
			}
		}
	})
}

// name is a read's description, as bounded takes it.
func name(s string) func() string { return func() string { return s } }
