package inspect

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/prometheus/procfs"
)

// scanMounts finds nsfs bind mounts: `ip netns add NAME` mounts a network
// namespace's nsfs file on /run/netns/NAME, and `unshare --net=FILE` on FILE;
// the mount keeps the namespace alive with no process in it. Mounts are per
// mount namespace, so it reads the mountinfo of one process in each.
func (s *Snapshot) scanMounts(fs procfs.FS, types TypeSet) {
	var mntns []*Namespace
	for _, ns := range s.Namespaces {
		if ns.Type == Mnt && len(ns.Procs) > 0 {
			mntns = append(mntns, ns)
		}
	}
	// Most mount tables hold no nsfs mount; don't parse those.
	hasNSFS := make([]bool, len(mntns))
	parallel(len(mntns), func(i int) {
		data, err := readFile(s.Root + "/" + strconv.Itoa(mntns[i].Rep().PID) + "/mountinfo")
		hasNSFS[i] = err == nil && bytes.Contains(data, []byte(" - nsfs "))
	})
	for i, m := range mntns {
		if !hasNSFS[i] {
			continue
		}
		rep := m.Rep()
		mounts, err := fs.GetProcMounts(rep.PID)
		if err != nil {
			continue
		}
		for _, mi := range mounts {
			if mi.FSType != "nsfs" {
				continue
			}
			t, id, err := parseLink(mi.Root)
			if err != nil || !types.Has(t) {
				continue
			}
			ns := s.byID[id]
			if ns == nil {
				ns = s.add(t, id)
			}
			ns.Holders = append(ns.Holders, Holder{
				Kind: HeldByMount, PID: rep.PID, Path: unescapeMountPath(mi.MountPoint), MountNS: m.ID,
			})
		}
	}
}

// unescapeMountPath undoes the kernel's escaping of mountinfo paths: space,
// tab, newline and backslash are written as \040, \011, \012 and \134.
func unescapeMountPath(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			v := (s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0')
			if s[i+1] <= '3' {
				b.WriteByte(v)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
