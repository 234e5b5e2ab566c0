package inspect

import (
	"errors"
	"strings"
)

var errParse = errors.New("malformed proc file")

// cgroupLine is one line of /proc/PID/cgroup: "ID:controllers:path". Paths
// are relative to the reader's cgroup namespace.
type cgroupLine struct{ id, controllers, path string }

func parseCgroup(data []byte) []cgroupLine {
	var lines []cgroupLine
	for line := range strings.Lines(string(data)) {
		id, rest, ok1 := strings.Cut(strings.TrimSuffix(line, "\n"), ":")
		controllers, path, ok2 := strings.Cut(rest, ":")
		if ok1 && ok2 {
			lines = append(lines, cgroupLine{id, controllers, path})
		}
	}
	return lines
}

// hierarchy picks the line that names a process's cgroup: the unified (v2)
// one, "0::PATH", else, on v1-only hosts, the first named hierarchy, else
// the first line.
func hierarchy(lines []cgroupLine) (cgroupLine, bool) {
	for _, l := range lines {
		if l.id == "0" && l.controllers == "" {
			return l, true
		}
	}
	for _, l := range lines {
		if strings.HasPrefix(l.controllers, "name=") {
			return l, true
		}
	}
	if len(lines) > 0 {
		return lines[0], true
	}
	return cgroupLine{}, false
}

// cgroupRoot returns the root of a cgroup namespace from the same process's
// /proc/PID/cgroup read outside it (relative to our namespace) and inside it
// (relative to its root): the outside path less the inside one. It returns
// "" where the two do not fit, as when the process was moved above its
// namespace's root (inside, its path then starts with "/..").
func cgroupRoot(outside, inside []byte) string {
	out, ok1 := hierarchy(parseCgroup(outside))
	in, ok2 := hierarchy(parseCgroup(inside))
	if !ok1 || !ok2 || out.id != in.id || strings.HasPrefix(in.path, "/..") {
		return ""
	}
	if in.path == "/" {
		return out.path
	}
	root, ok := strings.CutSuffix(out.path, in.path)
	if !ok {
		return ""
	}
	if root == "" {
		return "/"
	}
	return root
}

// containerRef is what a process's cgroup says of its container: the
// engine (nil for none of engines' patterns), the id the engine gave it
// (for lxc and nspawn, the name), the Kubernetes pod UID, and the podman
// pod id.
type containerRef struct {
	engine    *engine
	id        string
	pod       string
	podmanPod string
	// path is the cgroup path of the process in the hierarchy that names
	// it, where containerd's own containers (ctr run) have "/NAMESPACE/ID".
	path string
}

// label is how the container is shown without a name: "engine:shortid",
// the id's first 12 characters, as docker ps shows it.
func (r containerRef) label() string {
	if r.engine == nil {
		return ""
	}
	id := r.id
	if len(id) == 64 {
		id = id[:12]
	}
	return r.engine.label + ":" + id
}

// parseContainer finds the container and the Kubernetes or podman pod in a
// /proc/PID/cgroup file. Its fields are "" where the paths match no known
// engine.
func parseContainer(data []byte) containerRef {
	var ref containerRef
	lines := parseCgroup(data)
	if l, ok := hierarchy(lines); ok {
		ref.path = l.path
	}
	for _, l := range lines {
		if ref.engine == nil {
			ref.engine, ref.id = containerOf(l.path)
		}
		if m := kubernetesPod.FindStringSubmatch(l.path); ref.pod == "" && m != nil {
			ref.pod = strings.ReplaceAll(m[1], "_", "-")
		}
		if m := podmanPodPattern.FindStringSubmatch(l.path); ref.podmanPod == "" && m != nil {
			ref.podmanPod = m[1]
		}
	}
	return ref
}
