package inspect

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The namespace links, /proc/PID/ns/TYPE, as parseLink reads them and as
// procfs's Proc.Namespaces does. Where parseLink refuses a link, FuzzParseLink
// holds it to the kernel's form; where it accepts one, procfs must read the
// same type and inode.
var linkOracle = oracle[string]{
	compare: func(tb testing.TB, tree *procTree, in string) string {
		typ, id, err := parseLink(in)
		if err != nil {
			return ""
		}
		link := filepath.Join(tree.dir, "ns", "net")
		if err := os.Remove(link); err != nil && !os.IsNotExist(err) {
			tb.Fatal(err)
		}
		if err := os.Symlink(in, link); err != nil {
			tb.Fatal(err)
		}
		nss, err := catch(tree.proc.Namespaces)
		if err != nil {
			return "procfs: " + err.Error()
		}
		ns := nss["net"]
		if ns.Type != typ.String() || uint64(ns.Inode) != uint64(id) {
			return fmt.Sprintf("ours %v:%d, procfs %s:%d", typ, id, ns.Type, ns.Inode)
		}
		return ""
	},
	exceptions: []exception[string]{
		// procfs holds an inode in a uint32 and refuses a larger one. The
		// kernel agrees today (struct ns_common's inum is an unsigned
		// int, printed "%s:[%u]" by ns_get_name in fs/nsfs.c), but
		// st_ino is 64 bits wide and NSID keeps all of them, as lsns's
		// ino_t does: ours is deliberate.
		{
			name: "inode wider than 32 bits",
			applies: func(in string) bool {
				_, rest, _ := strings.Cut(in, ":[")
				v, err := strconv.ParseUint(strings.TrimSuffix(rest, "]"), 10, 64)
				return err == nil && v > math.MaxUint32
			},
			example: "net:[4294967296]",
		},
	},
}

func FuzzLinkOracle(f *testing.F) {
	for _, s := range []string{
		"net:[4026531993]", "time:[1]", "cgroup:[4294967295]", "net:[4294967296]",
		"net:[18446744073709551615]", "user:[01]", "pid_for_children:[4026531836]", "",
	} {
		f.Add(s)
	}
	for _, typ := range typeNames {
		if link, err := os.Readlink("/proc/self/ns/" + typ); err == nil {
			f.Add(link)
		}
	}
	links, _ := filepath.Glob(filepath.Join(fixtureRoot(f), "[0-9]*", "ns", "*"))
	for _, l := range links {
		target, err := os.Readlink(l)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(target)
	}
	tree := newProcTree(f)
	f.Fuzz(func(t *testing.T, in string) { linkOracle.check(t, tree, in) })
}
