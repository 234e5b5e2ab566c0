package inspect

import (
	"path"
	"strings"
)

// A container's root is, inside its mount namespace, "/": engines
// pivot_root into it, and /proc/PID/root names it as that namespace does.
// The host-side directory is where the mount at the container's / shows in
// nsinspect's own mount namespace: the same superblock (an overlay's, or
// the disk's under a bind of /var/lib/lxc/NAME/rootfs), by device number,
// mounted from a root that contains the container's.

// mountRoot is a mount as mountinfo shows it: device, the directory of the
// file system it mounts, and where.
type mountRoot struct{ dev, root, point string }

// parseMountRoot parses fields 3 to 5 of a mountinfo line, "ID PARENT
// MAJ:MIN ROOT MOUNTPOINT ...", without its newline.
func parseMountRoot(line []byte) (mountRoot, bool) {
	f := mountFields(line)
	if len(f) < 5 {
		return mountRoot{}, false
	}
	return mountRoot{string(f[2]), unescapeMountPath(string(f[3])), unescapeMountPath(string(f[4]))}, true
}

// rootMount returns the mount at "/" of a process's mountinfo: the last
// one, as later mounts cover earlier ones.
func rootMount(mountinfo string) (mountRoot, bool) {
	var top mountRoot
	found := false
	_ = eachLine(mountinfo, func(line []byte) {
		if m, ok := parseMountRoot(line); ok && m.point == "/" {
			top, found = m, true
		}
	})
	return top, found
}

// hostPath returns where the directory root of the file system on device
// dev shows in mounts (nsinspect's own), or "" where none of them mounts
// it: the mount whose root is the longest that contains it.
func hostPath(mounts []mountRoot, dev, root string) string {
	best := -1
	for i, m := range mounts {
		if m.dev != dev || !within(root, m.root) || best >= 0 && len(m.root) <= len(mounts[best].root) {
			continue
		}
		best = i
	}
	if best < 0 {
		return ""
	}
	m := mounts[best]
	return path.Join(m.point, strings.TrimPrefix(root, m.root))
}

// within reports whether path p is dir or below it.
func within(p, dir string) bool {
	return dir == "/" || p == dir || strings.HasPrefix(p, dir+"/")
}

// ownMounts reads nsinspect's own mounts, once per snapshot.
func (s *Snapshot) ownMounts() []mountRoot {
	s.mountsOnce.Do(func() {
		_ = eachLine(DefaultRoot+"/self/mountinfo", func(line []byte) {
			if m, ok := parseMountRoot(line); ok {
				s.mounts = append(s.mounts, m)
			}
		})
	})
	return s.mounts
}

// containerRoot returns the root directory of the process whose mountinfo
// is given, in another mount namespace than nsinspect's, where it names
// its root "/": the host-side directory of its mount at "/", or "" where
// nsinspect's mount namespace does not show it.
func (s *Snapshot) containerRoot(mountinfo string) string {
	m, ok := rootMount(mountinfo)
	if !ok {
		return ""
	}
	return hostPath(s.ownMounts(), m.dev, m.root)
}
