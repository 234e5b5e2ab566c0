package inspect

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// /proc/PID/status as parseNSpid reads its NSpid line and as procfs's
// Proc.NewStatus does. procfs reads every line and refuses the file for one
// it cannot read: there is then nothing to compare. Where it reads the
// file, its NSpids must be ours, found or not found alike.
var statusOracle = oracle[[]byte]{
	compare: func(tb testing.TB, tree *procTree, in []byte) string {
		if cpusAllowedTooMany(in) {
			return "not given to procfs: it would list billions of CPUs"
		}
		ours := parseNSpid(in)
		tree.write(tb, "status", in)
		st, perr := catch(tree.proc.NewStatus)
		switch {
		case errors.Is(perr, errProcfsPanic):
			return perr.Error()
		case perr != nil:
			return ""
		case !slices.Equal(ours, st.NSpids):
			return fmt.Sprintf("NSpid: ours %v, procfs %v", ours, st.NSpids)
		}
		return ""
	},
	exceptions: []exception[[]byte]{
		// procfs takes any line whose text before the first ':' is the
		// key once blanks are trimmed, " NSpid :" too; the kernel writes
		// "NSpid:" at the start of its line (task_state in
		// fs/proc/array.c), which is what ours looks for.
		{
			name: "blanks around the key",
			applies: func(in []byte) bool {
				for _, l := range statusLines(in, "NSpid") {
					if !strings.HasPrefix(l, "NSpid:") {
						return true
					}
				}
				return false
			},
			example: []byte(" NSpid:\t7\n"),
		},
		// procfs keeps the last NSpid line, ours the first; the kernel
		// writes one (task_state).
		{
			name:    "several NSpid lines",
			applies: func(in []byte) bool { return len(statusLines(in, "NSpid")) > 1 },
			example: []byte("NSpid:\t7\nNSpid:\t8\n"),
		},
		// procfs cuts " kB" off every value, meant for the Vm* lines; the
		// kernel writes no unit after the NSpid numbers (task_state), and
		// ours reads "kB" as what it is, no number.
		{
			name: `" kB" after the numbers`,
			applies: func(in []byte) bool {
				for _, l := range statusLines(in, "NSpid") {
					_, v, _ := strings.Cut(l, ":")
					if strings.HasSuffix(strings.TrimSpace(v), " kB") {
						return true
					}
				}
				return false
			},
			example: []byte("NSpid:\t7 kB\n"),
		},
		// procfs reads the Uid and Gid lines into arrays of four and
		// panics on a fifth value; the kernel writes four (real,
		// effective, saved, filesystem: task_state). Ours reads neither.
		{
			name: "procfs panics: more than four Uid or Gid values",
			applies: func(in []byte) bool {
				for _, key := range []string{"Uid", "Gid"} {
					for _, l := range statusLines(in, key) {
						_, v, _ := strings.Cut(l, ":")
						if len(strings.Split(strings.TrimSuffix(strings.TrimSpace(v), " kB"), "\t")) > 4 {
							return true
						}
					}
				}
				return false
			},
			example: []byte("Uid:\t0\t0\t0\t0\t0\nNSpid:\t7\n"),
		},
		// procfs expands Cpus_allowed_list into a slice of every CPU it
		// names: "0-18446744073709551615" would run until memory runs out,
		// so such a file is not given to it. The kernel lists the CPUs
		// there are (at most NR_CPUS, 8192 on x86-64); ours reads no such
		// line.
		{
			name:    "procfs not asked: a Cpus_allowed_list of billions of CPUs",
			applies: cpusAllowedTooMany,
			example: []byte("Cpus_allowed_list:\t0-18446744073709551615\nNSpid:\t7\n"),
		},
	},
}

// statusLines returns the lines of a status file whose key, as procfs finds
// it (the text before the first ':', blanks trimmed), is key.
func statusLines(in []byte, key string) []string {
	var lines []string
	for _, l := range strings.Split(string(in), "\n") {
		if k, _, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == key {
			lines = append(lines, l)
		}
	}
	return lines
}

// cpusAllowedTooMany reports whether procfs would list more than 65536
// CPUs for the Cpus_allowed_list lines of a status file, as its
// calcCpusAllowedList reads them.
func cpusAllowedTooMany(in []byte) bool {
	n := uint64(0)
	for _, l := range statusLines(in, "Cpus_allowed_list") {
		_, v, _ := strings.Cut(l, ":")
		for _, cpu := range strings.Split(strings.TrimSuffix(strings.TrimSpace(v), " kB"), ",") {
			r := strings.Split(strings.TrimSpace(cpu), "-")
			if len(r) < 2 {
				n++
				continue
			}
			lo, _ := strconv.ParseUint(r[0], 10, 64)
			hi, _ := strconv.ParseUint(r[1], 10, 64)
			if hi >= lo {
				if hi-lo >= 1<<16 {
					return true
				}
				n += hi - lo + 1
			}
		}
	}
	return n > 1<<16
}

func FuzzStatusOracle(f *testing.F) {
	for _, s := range hostFiles("status", 64) {
		f.Add(s)
	}
	for _, s := range []string{
		"Name:\tsleep\nUid:\t0\t0\t0\t0\nNSpid:\t4711\t12\t1\nNSpgid:\t1\nCpus_allowed_list:\t0-3\n",
		"Name:\tmy) S 77 (app\nNSpid:\t1\n", "NSpid:\n", "NSpid:\t12\tx\n", "NSpid:\t1 2\n", "NSpid:\t1\t\t2\n",
		"NSpid:\t" + strings.Repeat("1\t", 1<<12) + "1\n", "NSpid:\t18446744073709551616\n", "Name:\tx\n",
		"NSpid:\t1\r\n", "nspid:\t1\n", "NSpid:\t007\n",
	} {
		f.Add([]byte(s))
	}
	tree := newProcTree(f)
	f.Fuzz(func(t *testing.T, in []byte) { statusOracle.check(t, tree, in) })
}
