package inspect

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// /proc/PID/cgroup as parseCgroup reads it (for CONTAINER, POD and
// CGROUPROOT) and as procfs's Proc.Cgroups does. procfs refuses the file
// for one line it cannot read, where ours leaves that line out and reads
// the others: the kernel writes none such, and there is then nothing to
// compare. Where procfs reads the file, ours must read the same lines.
var cgroupOracle = oracle[[]byte]{
	compare: func(tb testing.TB, tree *procTree, in []byte) string {
		ours := parseCgroup(in)
		tree.write(tb, "cgroup", in)
		cgs, err := catch(tree.proc.Cgroups)
		if err != nil {
			return ""
		}
		if len(ours) != len(cgs) {
			return fmt.Sprintf("ours %d lines, procfs %d", len(ours), len(cgs))
		}
		for i, c := range cgs {
			want := cgroupLine{strconv.Itoa(c.HierarchyID), strings.Join(c.Controllers, ","), c.Path}
			if ours[i] != want {
				return fmt.Sprintf("line %d: ours %q, procfs %q", i+1, ours[i], want)
			}
		}
		return ""
	},
	exceptions: []exception[[]byte]{
		// procfs reads the hierarchy id with strconv.Atoi, which takes a
		// sign and leading zeros; the kernel writes it with "%d"
		// (proc_cgroup_show in kernel/cgroup/cgroup.c). Ours keeps the
		// text and knows the unified hierarchy by "0" itself.
		{
			name: "a hierarchy id the kernel does not write",
			applies: func(in []byte) bool {
				for _, l := range linesOf(in) {
					if id, _, _ := strings.Cut(l, ":"); !isDecimal(id) {
						return true
					}
				}
				return false
			},
			example: []byte("00::/init.scope\n"),
		},
		// procfs's line scanner drops a "\r" before the newline. The
		// kernel writes the cgroup's path as it is (seq_puts in
		// proc_cgroup_show), and a cgroup may be named "a\r" (only '/'
		// and '\n' are refused): ours keeps it.
		{
			name:    "procfs drops a \\r before the newline",
			applies: hasCRLF,
			example: []byte("0::/a\r\n"),
		},
	},
}

func FuzzCgroupOracle(f *testing.F) {
	for _, s := range hostFiles("cgroup", 64) {
		f.Add(s)
	}
	for _, s := range []string{
		"0::/system.slice/docker-" + strings.Repeat("ab", 32) + ".scope\n",
		"12:memory:/kubepods/burstable/pod0f3a9b2c-1d4e-4f5a-8b6c-7d8e9f0a1b2c/x\n11:cpu,cpuacct:/x\n1:name=systemd:/x\n0::/\n",
		"0::/machine.slice/machine-a\\x2d.scope\n", "0::/../..\n", "0::/a:b:c\n", "0::/a b\t\x00\xff\n",
		"0:,:/\n", "1:name=systemd:/\n\n", "0::/" + strings.Repeat("x", 4096) + "\n", "x::/\n", "0:/\n", "",
		"+0::/\n", "-1::/\n",
	} {
		f.Add([]byte(s))
	}
	tree := newProcTree(f)
	f.Fuzz(func(t *testing.T, in []byte) { cgroupOracle.check(t, tree, in) })
}
