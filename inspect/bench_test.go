package inspect

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fakeHost lays out a proc tree of procs processes spread over groups groups
// of six fresh namespaces each (the rest shared), like a host running
// containers, for benchmarks that run anywhere.
func fakeHost(tb testing.TB, procs, groups int) string {
	tb.Helper()
	root := tb.TempDir()
	for pid := 1; pid <= procs; pid++ {
		dir := filepath.Join(root, fmt.Sprint(pid))
		if err := os.MkdirAll(filepath.Join(dir, "ns"), 0o755); err != nil {
			tb.Fatal(err)
		}
		g := uint64(pid % groups)
		for t := range NumTypes {
			id := 4026531832 + uint64(t) // the host's
			if Type(t) != User && Type(t) != Time && g != 0 {
				id = 4026532000 + g*8 + uint64(t)
			}
			if err := os.Symlink(fmt.Sprintf("%s:[%d]", Type(t), id), filepath.Join(dir, "ns", Type(t).String())); err != nil {
				tb.Fatal(err)
			}
		}
		stat := fmt.Sprintf("%d (sleep) S %d 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n", pid, max(1, pid-groups))
		for name, data := range map[string]string{"stat": stat, "cmdline": "sleep\x003600\x00", "comm": "sleep\n"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return root
}

func BenchmarkScan(b *testing.B) {
	for _, size := range []struct{ procs, groups int }{{1000, 100}, {4000, 400}} {
		root := fakeHost(b, size.procs, size.groups)
		b.Run(fmt.Sprintf("procs=%d", size.procs), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := Scan(Options{Root: root, Fixture: true})
				if err != nil {
					b.Fatal(err)
				}
				reps := make([]*Process, 0, len(s.Namespaces))
				for _, ns := range s.Namespaces {
					reps = append(reps, ns.Rep())
				}
				s.describe(reps, ReadPPID|ReadCommand)
			}
		})
	}
}
