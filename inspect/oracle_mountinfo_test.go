package inspect

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/procfs"
)

// /proc/PID/mountinfo as ours read it: parseMountRoot (device, root and
// mount point, for ROOT), parseNSFSMount (nsfs bind mounts, for NSFS and
// the namespaces they hold), procMountOptions (the proc filesystem's
// options, for hidepid=) and countLines (MOUNTS); and as procfs's
// Proc.MountInfo does. procfs refuses the table for one line it cannot
// read, where ours leave that line out: there is then nothing to compare.
// Where procfs reads the table, ours must read every line alike.
//
// procfs leaves the kernel's escapes in the paths (fs/proc_namespace.c
// writes space, tab, newline and backslash as \040, \011, \012 and \134);
// the oracle undoes those four on procfs's side.
var mountinfoOracle = oracle[[]byte]{
	compare: func(tb testing.TB, tree *procTree, in []byte) string {
		path := tree.write(tb, "mountinfo", in)
		mounts, err := catch(tree.proc.MountInfo)
		if err != nil {
			return ""
		}
		if n, err := countLines(path); err != nil || n != len(mounts) {
			return fmt.Sprintf("ours count %d lines (%v), procfs %d", n, err, len(mounts))
		}
		lines := linesOf(in)
		for i, m := range mounts {
			line := []byte(lines[i])
			root, point := kernelUnescape.Replace(m.Root), kernelUnescape.Replace(m.MountPoint)
			if got, ok := parseMountRoot(line); !ok || got != (mountRoot{m.MajorMinorVer, root, point}) {
				return fmt.Sprintf("line %d: parseMountRoot %+v, %v; procfs %s %q %q", i+1, got, ok, m.MajorMinorVer, root, point)
			}
			var want nsfsMount
			typ, id, wantOK := refParseLink(m.Root)
			if wantOK = wantOK && m.FSType == "nsfs"; wantOK {
				want = nsfsMount{typ, id, point}
			}
			if got, ok := parseNSFSMount(line); ok != wantOK || got != want {
				return fmt.Sprintf("line %d: parseNSFSMount %+v, %v; procfs %+v, %v", i+1, got, ok, want, wantOK)
			}
		}
		for _, m := range mounts {
			got, ok := procMountOptions(in, m.MajorMinorVer)
			want, wantOK := procOptions(mounts, m.MajorMinorVer)
			if ok != wantOK || !maps.Equal(optionMap(got), want) {
				return fmt.Sprintf("device %s: procMountOptions %q, %v; procfs %v, %v", m.MajorMinorVer, got, ok, want, wantOK)
			}
		}
		return ""
	},
	exceptions: []exception[[]byte]{
		// Ours undoes any octal escape of a byte, as util-linux's
		// unmangle() does for lsns; the kernel escapes four bytes only
		// (mangle() in fs/proc_namespace.c), writing a backslash as \134,
		// so that another escape is none of its making.
		{
			name: "an octal escape the kernel does not write",
			applies: func(in []byte) bool {
				for _, e := range octalEscape.FindAllString(string(in), -1) {
					if kernelUnescape.Replace(e) == e {
						return true
					}
				}
				return false
			},
			example: []byte(`1 2 0:4 / /a\101 rw - tmpfs tmpfs rw` + "\n"),
		},
		// procfs takes the rest of the line after the source for the
		// super options; ours takes the word after it, and holds
		// options to no blank (FuzzProcMountOptions). The kernel ends the
		// line there and escapes blanks in option values
		// (seq_show_option in include/linux/seq_file.h): alike on its
		// lines.
		{
			name: "a blank in the super options",
			applies: func(in []byte) bool {
				for _, l := range linesOf(in) {
					if _, after, ok := strings.Cut(l, " - "); ok && strings.Count(after, " ") > 2 {
						return true
					}
				}
				return false
			},
			example: []byte("1 2 0:21 / /proc rw - proc proc rw,hidepid=2 gid=5\n"),
		},
		// The kernel escapes a tab in every field that could hold one
		// (mangle() for paths, file system type and source,
		// seq_show_option for options): a line with a raw tab is none of
		// its writing, and ours refuses it; procfs keeps the tab in the
		// field.
		{
			name:    "a raw tab",
			applies: func(in []byte) bool { return strings.Contains(string(in), "\t") },
			example: []byte("1 2 0:4 / /a\tb rw - tmpfs tmpfs rw\n"),
		},
		// procfs's line scanner drops a "\r" before the newline: where it
		// ends the super options, ours keeps it. The kernel writes
		// options as the file system gives them (show_options): a "\r"
		// there is its own.
		{
			name:    "procfs drops a \\r before the newline",
			applies: hasCRLF,
			example: []byte("1 2 0:21 / /proc rw - proc proc rw,hidepid=2\r\n"),
		},
	},
}

// kernelUnescape undoes the escapes the kernel writes in mountinfo paths.
var kernelUnescape = strings.NewReplacer(`\040`, " ", `\011`, "\t", `\012`, "\n", `\134`, `\`)

// octalEscape matches an octal escape of a byte, as unescapeMountPath
// undoes it.
var octalEscape = regexp.MustCompile(`\\[0-3][0-7][0-7]`)

// procOptions is what procMountOptions should find, as procfs read the
// table: the options of the first proc mount of device dev, the
// filesystem's over the mount's.
func procOptions(mounts []*procfs.MountInfo, dev string) (map[string]string, bool) {
	for _, m := range mounts {
		if m.MajorMinorVer == dev && m.FSType == "proc" {
			opts := maps.Clone(m.Options)
			maps.Copy(opts, m.SuperOptions)
			return opts, true
		}
	}
	return nil, false
}

// optionMap splits comma-separated options as procfs does, a later one
// over an earlier one of the same name.
func optionMap(opts string) map[string]string {
	if opts == "" {
		return nil
	}
	m := map[string]string{}
	for _, o := range strings.Split(opts, ",") {
		k, v, _ := strings.Cut(o, "=")
		m[k] = v
	}
	return m
}

func FuzzMountinfoOracle(f *testing.F) {
	for _, s := range hostFiles("mountinfo", 8) {
		f.Add(s)
	}
	for _, s := range fixtureFiles(f, "mountinfo") {
		f.Add(s)
	}
	f.Add([]byte(mountinfo))
	for _, s := range []string{
		`690 27 0:4 net:[4026532177] /run/netns/web rw shared:1 - nsfs nsfs rw`,
		`690 27 0:4 uts:[4026532178] /tmp/a\040b rw - nsfs nsfs rw`,
		`1 2 0:4 ipc:[4026532179] /x rw shared:1 master:2 propagate_from:3 unbindable - nsfs nsfs rw`,
		`74 49 0:39 /a\040b / rw,relatime master:3 - overlay overlay rw,upperdir=/x`,
		`1 2 0:4 / /a\134040b\011\012 rw - tmpfs tmpfs rw`,
		"1 2 0:4 net:[5] /run/netns/web\u2028x rw - nsfs nsfs rw",
		"1 2 0:4 / /a\u00a0b\rc\vd\fe rw - tmpfs tmpfs rw",
		"1 2 0:4 net:[0] /x rw - nsfs nsfs rw", "1 2 0:4 net:[5] /x rw - nsfs",
		"1 2 0:21 / /proc rw - proc proc rw,hidepid=invisible,gid=5",
		"1 2 0:21 / /proc rw shared:12 - proc proc rw\n3 4 0:21 / /p2 ro - proc proc rw,hidepid=2",
		"1 2  0:4 / /x rw - tmpfs tmpfs rw", " 1 2 0:4 / /x rw - tmpfs tmpfs rw",
		"1 2 0:4 / /" + strings.Repeat("x", 4096) + " rw - tmpfs tmpfs rw",
		"1 2 0:4 / /x rw - tmpfs tmpfs rw\n\n", "1 2 0:4 / / rw - - - - proc x y", "",
	} {
		f.Add([]byte(s + "\n"))
	}
	tree := newProcTree(f)
	f.Fuzz(func(t *testing.T, in []byte) { mountinfoOracle.check(t, tree, in) })
}
