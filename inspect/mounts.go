package inspect

import (
	"bytes"
	"strconv"
	"strings"
)

// scanMounts finds nsfs bind mounts: `ip netns add NAME` mounts a network
// namespace's nsfs file on /run/netns/NAME, and `unshare --net=FILE` on FILE;
// the mount keeps the namespace alive with no process in it. Mounts are per
// mount namespace, so it reads the mountinfo of one process in each, line by
// line: a namespace may hold a hundred thousand mounts.
func (s *Snapshot) scanMounts(types TypeSet) {
	var mntns []*Namespace
	for _, ns := range s.Namespaces {
		if ns.Type == Mnt && len(ns.Procs) > 0 {
			mntns = append(mntns, ns)
		}
	}
	found := make([][]nsfsMount, len(mntns))
	parallel(len(mntns), func(i int) {
		_ = eachLine(s.Root+"/"+strconv.Itoa(mntns[i].Rep().PID)+"/mountinfo", func(line []byte) {
			if m, ok := parseNSFSMount(line); ok {
				found[i] = append(found[i], m)
			}
		})
	})
	for i, m := range mntns {
		rep := m.Rep()
		for _, mount := range found[i] {
			if !types.Has(mount.typ) {
				continue
			}
			ns := s.byID[mount.id]
			if ns == nil {
				ns = s.add(mount.typ, mount.id)
			}
			ns.Holders = append(ns.Holders, Holder{
				Kind: HeldByMount, PID: rep.PID, Path: mount.path, MountNS: m.ID,
			})
		}
	}
}

// nsfsMount is a namespace bind-mounted on path.
type nsfsMount struct {
	typ  Type
	id   NSID
	path string
}

var nsfsSeparator = []byte(" - nsfs ")

// parseNSFSMount parses a mountinfo line, "ID PARENT MAJ:MIN ROOT MOUNTPOINT
// OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS", where it is an nsfs
// mount, whose root names the namespace ("net:[4026532177]").
func parseNSFSMount(line []byte) (nsfsMount, bool) {
	sep := bytes.Index(line, nsfsSeparator)
	if sep < 0 {
		return nsfsMount{}, false
	}
	fields := mountFields(line[:sep])
	if len(fields) < 6 {
		return nsfsMount{}, false
	}
	t, id, err := parseLink(string(fields[3]))
	if err != nil {
		return nsfsMount{}, false
	}
	return nsfsMount{typ: t, id: id, path: unescapeMountPath(string(fields[4]))}, true
}

// mountFields splits a mountinfo line, without its newline, into its
// fields. The kernel separates them with one space and escapes space, tab,
// newline and backslash in every field that could hold one (mangle() in
// fs/proc_namespace.c for paths, type and source, seq_show_option for
// options): any other byte is the field's, "\r", "\v", a UTF-8 no-break
// space or line separator too. Split at those, as bytes.Fields does, a
// mount point such as "/run/netns/web\u2028x", which anyone may make in a
// mount namespace of their own, would read as "/run/netns/web". A line with
// a raw tab is none of the kernel's writing: nil.
func mountFields(line []byte) [][]byte {
	if bytes.IndexByte(line, '\t') >= 0 {
		return nil
	}
	return bytes.Split(line, space)
}

var space = []byte{' '}

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
