package inspect

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// /proc/PID/stat as parseStatPPID (the PPID, field 4) and isKthreadd (a
// kernel thread whose parent is 0: fields 4 and 9) read it, and as procfs's
// Proc.Stat does. procfs reads 44 fields where ours read two: where it
// refuses a line, there is nothing to compare; where it reads one, our PPID
// (where ours reads one) and our verdict on kthreadd must be its.
var statOracle = oracle[[]byte]{
	compare: func(tb testing.TB, tree *procTree, in []byte) string {
		ppid, err := parseStatPPID(in)
		kthreadd := isKthreadd(in)
		tree.write(tb, "stat", in)
		st, perr := catch(tree.proc.Stat)
		switch {
		case errors.Is(perr, errProcfsPanic):
			return perr.Error()
		case perr != nil:
			return ""
		case err == nil && ppid != st.PPID:
			return fmt.Sprintf("PPID: ours %d, procfs %d", ppid, st.PPID)
		case kthreadd != (st.PPID == 0 && st.Flags&pfKthread != 0):
			return fmt.Sprintf("kthreadd: ours %v, procfs PPID %d, flags %#x", kthreadd, st.PPID, st.Flags)
		}
		return ""
	},
	exceptions: []exception[[]byte]{
		// procfs reads the fields with fmt.Fscan, which takes a sign, a
		// base prefix ("0x10", and "010" as octal) and underscores. The
		// kernel writes plain decimals (do_task_stat in fs/proc/array.c,
		// seq_put_decimal_ll and _ull): ours reads those only, as
		// decimals.
		{
			name: "a number the kernel does not write",
			applies: func(in []byte) bool {
				w := statWords(in)
				return len(w) > 1 && !isDecimal(w[1]) || len(w) > 6 && !isDecimal(w[6])
			},
			example: statLine("x", "010", "4194560"),
		},
		// procfs takes the fields from two bytes after the comm's last
		// ')', where the kernel writes ") " (do_task_stat). Elsewhere it
		// reads the fields shifted by one, or the state's first byte is
		// lost; ours splits the words after the ')', blanks or none.
		{
			name: "no blank after the comm",
			applies: func(in []byte) bool {
				r := bytes.LastIndexByte(in, ')')
				return r >= 0 && r+1 < len(in) && in[r+1] != ' '
			},
			example: []byte("1 (x)S 5 6 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 8 1 1 1 1 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"),
		},
		// procfs slices the comm from the first '(' to the last ')', and
		// the fields from two bytes after that ')': it panics where a line
		// ends at that ')' or has its first '(' after it. The kernel
		// writes "PID (COMM) S ..." (do_task_stat); ours refuses such
		// lines, or reads them by the last ')' alone.
		{
			name: "procfs panics: the line ends at the comm, or a '(' follows it",
			applies: func(in []byte) bool {
				r := bytes.LastIndexByte(in, ')')
				return r >= 0 && (r+1 == len(in) || bytes.IndexByte(in, '(') > r)
			},
			example: []byte("1 (x)"),
		},
		// The flags (field 9) are the task's unsigned int flags
		// (include/linux/sched.h): isKthreadd reads 32 bits and takes a
		// wider number for no kernel thread's; procfs reads a uint.
		{
			name: "flags wider than 32 bits",
			applies: func(in []byte) bool {
				w := statWords(in)
				if len(w) < 7 {
					return false
				}
				v, err := strconv.ParseUint(w[6], 10, 64)
				return err == nil && v > math.MaxUint32
			},
			example: statLine("kthreadd", "0", strconv.FormatUint(1<<32|pfKthread, 10)),
		},
	},
}

// statWords returns the words after the last ')' of a stat line: the state,
// the PPID, ... (field 3 on).
func statWords(in []byte) []string {
	r := bytes.LastIndexByte(in, ')')
	if r < 0 {
		return nil
	}
	return strings.Fields(string(in[r+1:]))
}

// statLine is a stat line of 52 fields, as Linux 6.x writes them, with the
// given comm, PPID and flags.
func statLine(comm, ppid, flags string) []byte {
	return fmt.Appendf(nil, "2 (%s) S %s 0 0 0 -1 %s 0 0 0 0 0 0 0 0 20 0 1 0 8 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", comm, ppid, flags)
}

func FuzzStatOracle(f *testing.F) {
	for _, s := range hostFiles("stat", 64) {
		f.Add(s)
	}
	for _, s := range fixtureFiles(f, "stat") {
		f.Add(s)
	}
	for _, s := range [][]byte{
		statLine("tmux: server", "1", "4194560"),
		statLine("a) b) (c", "7", "4194560"),
		statLine("x) S 99", "5", "4194560"),
		statLine(")", "0", "2129984"),
		statLine("a\nb\x00\xff\u2028", "0", "2129984"),
		statLine(strings.Repeat("x", 1<<16), "99", "4194560"),
		statLine("x", "18446744073709551616", "4194560"),
		statLine("x", "-1", "4194560"),
		statLine("x", "+1", "+2129984"),
		statLine("x", "00", "2129984"),
		statLine("x", "0", "0x200000"),
		[]byte("1 (bash) S 1\n"), []byte("1 (bash)"), []byte("1 bash S 1"), []byte(""),
	} {
		f.Add(s)
	}
	tree := newProcTree(f)
	f.Fuzz(func(t *testing.T, in []byte) { statOracle.check(t, tree, in) })
}
