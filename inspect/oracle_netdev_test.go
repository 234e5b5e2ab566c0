package inspect

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// /proc/PID/net/dev as parseNetDev reads its interface names (IFACES) and
// as procfs's Proc.NetDev does. procfs refuses the table for one line it
// cannot read: there is then nothing to compare. Where it reads the table,
// ours must find the same names; procfs keeps them in a map, so they are
// compared as sets (the kernel lists a name once: names are unique in a
// network namespace).
var netDevOracle = oracle[[]byte]{
	compare: func(tb testing.TB, tree *procTree, in []byte) string {
		ours := parseNetDev(in)
		tree.write(tb, "net/dev", in)
		dev, err := catch(tree.proc.NetDev)
		switch {
		case errors.Is(err, errProcfsPanic):
			return err.Error()
		case err != nil:
			return ""
		}
		got := slices.Compact(slices.Sorted(slices.Values(ours)))
		want := slices.Sorted(func(yield func(string) bool) {
			for name := range dev {
				if !yield(name) {
					return
				}
			}
		})
		if !slices.Equal(got, want) {
			return fmt.Sprintf("ours %q, procfs %q", got, want)
		}
		return ""
	},
	exceptions: []exception[[]byte]{
		// procfs reads 16 counters a line without counting them, and
		// panics on fewer; the kernel writes 16 (dev_seq_printf_stats in
		// net/core/net-procfs.c). Ours reads the names only.
		{
			name: "procfs panics: fewer than 16 counters",
			applies: func(in []byte) bool {
				for i, l := range linesOf(in) {
					if j := strings.LastIndex(l, ":"); i >= 2 && j >= 0 && len(strings.Fields(l[j+1:])) < 16 {
						return true
					}
				}
				return false
			},
			example: []byte("Inter-|\n face |\n  eth0: 1 2 3\n"),
		},
		// procfs trims every Unicode blank off a name (strings.TrimSpace),
		// ours the spaces the kernel pads names with ("%6s:" in
		// dev_seq_printf_stats). dev_valid_name (net/core/dev.c) refuses
		// the bytes that the kernel's isspace() knows, not U+0085 or
		// U+2028 in UTF-8: those are the name's, and ours keeps them.
		{
			name: "a name that ends in a blank other than a space",
			applies: func(in []byte) bool {
				for i, l := range linesOf(in) {
					if name, _, ok := strings.Cut(l, ":"); i >= 2 && ok && strings.TrimSpace(name) != strings.Trim(name, " ") {
						return true
					}
				}
				return false
			},
			example: []byte("Inter-|\n face |\n  a\u2028: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"),
		},
		// Ours ends a name at the first ':', procfs at the last. The
		// kernel refuses a ':' in an interface's name (dev_valid_name in
		// net/core/dev.c): both read its lines alike.
		{
			name: "a ':' in a name",
			applies: func(in []byte) bool {
				for i, l := range linesOf(in) {
					if i >= 2 && strings.Count(l, ":") > 1 {
						return true
					}
				}
				return false
			},
			example: []byte("Inter-|\n face |\n  a:b: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"),
		},
	},
}

func FuzzNetDevOracle(f *testing.F) {
	for _, s := range hostFiles("net/dev", 4) {
		f.Add(s)
	}
	const header = "Inter-|   Receive                            |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
	const counters = " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	for _, s := range []string{
		header + "    lo:" + counters + "  eth0:" + counters,
		header + "verylonginterface:" + counters, header + "  a b:" + counters, header + "  a\u2028:" + counters,
		header + "  eth0:" + counters + "  eth0:" + counters, header + "     :" + counters, header + "  eth0" + counters,
		header + "  eth0: 1 2 3\n", header, "", header + "\n",
	} {
		f.Add([]byte(s))
	}
	tree := newProcTree(f)
	f.Fuzz(func(t *testing.T, in []byte) { netDevOracle.check(t, tree, in) })
}
