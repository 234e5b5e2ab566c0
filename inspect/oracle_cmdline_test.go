package inspect

import (
	"fmt"
	"strings"
	"testing"
)

// cmdlineInput is a process's cmdline and comm files.
type cmdlineInput struct{ cmdline, comm []byte }

// /proc/PID/cmdline and comm as command (COMMAND: the arguments joined by
// blanks, or the comm where there are none, as lsns shows them) and comm
// read them, and as procfs's Proc.CmdLine and Proc.Comm do.
var cmdlineOracle = oracle[cmdlineInput]{
	compare: func(tb testing.TB, tree *procTree, in cmdlineInput) string {
		tree.write(tb, "cmdline", in.cmdline)
		tree.write(tb, "comm", in.comm)
		args, err := catch(tree.proc.CmdLine)
		if err != nil {
			return "procfs: " + err.Error()
		}
		name, err := catch(tree.proc.Comm)
		if err != nil {
			return "procfs: " + err.Error()
		}
		want := strings.Join(args, " ")
		if want == "" {
			want = name
		}
		if got := comm(tree.dir); got != name {
			return fmt.Sprintf("comm: ours %q, procfs %q", got, name)
		}
		if got := command(tree.dir); got != want {
			return fmt.Sprintf("command: ours %q, procfs %q", got, want)
		}
		return ""
	},
	exceptions: []exception[cmdlineInput]{
		// Ours reads at most MaxCommand bytes of a command line, procfs 1
		// MiB: a process sets how much there is (up to 6 MB of
		// arguments, or any of its memory with PR_SET_MM_ARG_START), and
		// must not set how much nsinspect reads, keeps and prints.
		{
			name:    "a command line longer than MaxCommand",
			applies: func(in cmdlineInput) bool { return len(in.cmdline) > MaxCommand },
			example: cmdlineInput{[]byte(strings.Repeat("x", MaxCommand+1)), []byte("x\n")},
		},
		// procfs trims blanks off both ends of the comm. The kernel writes
		// the task's name and a newline (comm_show in fs/proc/base.c),
		// and the name is what the process gave itself (prctl
		// PR_SET_NAME, the executable's name), blanks and all: ours cuts
		// the newline only.
		{
			name: "blanks at the ends of the comm",
			applies: func(in cmdlineInput) bool {
				name := strings.TrimSuffix(string(in.comm), "\n")
				return strings.TrimSpace(name) != name
			},
			example: cmdlineInput{[]byte("sleep\x00"), []byte(" x \n")},
		},
	},
}

func FuzzCmdlineOracle(f *testing.F) {
	cmdlines, comms := hostFiles("cmdline", 64), hostFiles("comm", 64)
	for i := range min(len(cmdlines), len(comms)) {
		f.Add(cmdlines[i], comms[i])
	}
	cmdlines, comms = fixtureFiles(f, "cmdline"), fixtureFiles(f, "comm")
	for i := range cmdlines {
		f.Add(cmdlines[i], comms[i])
	}
	for _, s := range [][2]string{
		{"", "kthreadd\n"}, {"\x00\x00", "x\n"}, {"a\x00\x00b\x00", "a\n"}, {"\x00a", "a\n"},
		{"a b\x00", "my) S 77 (app\n"}, {"", ""}, {"", "\n\n"}, {"\x1b]0;pwned\a\x00\xff\xfe", "evil\n"},
		{"", "a\rb\n"},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	tree := newProcTree(f)
	f.Fuzz(func(t *testing.T, cmdline, name []byte) { cmdlineOracle.check(t, tree, cmdlineInput{cmdline, name}) })
}
