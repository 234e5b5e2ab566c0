package inspect

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"golang.org/x/sys/unix"
)

// Container engines keep their containers' names in files of their own on
// the host. nsinspect reads them from its own mount namespace, by fixed
// paths below engineState.root, never through a process's /proc/PID/root,
// and never writes or runs anything. The ids in those paths come from
// cgroup paths, which a process in a delegated cgroup can choose: only ids
// of the engines' own alphabets make a path, and each file is read only if
// it is a regular file (a FIFO would block) of at most a bound.
const (
	// maxStateFile bounds a JSON file of an engine: podman's
	// containers.json lists every container, a few hundred bytes each.
	maxStateFile = 16 << 20
	// maxPodmanDB bounds podman's bolt database, read once per snapshot.
	maxPodmanDB = 64 << 20
)

// The engines' state, below engineState.root.
const (
	dockerContainers = "var/lib/docker/containers"                    // ID/config.v2.json
	podmanStorage    = "var/lib/containers/storage"                   // overlay-containers/containers.json
	containerdTasks  = "run/containerd/io.containerd.runtime.v2.task" // NAMESPACE/ID/config.json
)

// containerdName is containerd's alphabet for namespaces and container ids
// (identifiers.Validate): no slashes, no "..", at most 76 bytes.
var containerdName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,74}[A-Za-z0-9])?$`)

// ctrCgroup is the cgroup that containerd gives a container that ctr runs
// without a cgroup of its own choosing: "/NAMESPACE/ID".
var ctrCgroup = regexp.MustCompile(`^/([^/]+)/([^/]+)$`)

// podmanPodName finds a pod's name in podman's bolt database, where each
// pod's configuration is a JSON value that starts with its id and name.
func podmanPodName(db []byte, podID string) string {
	re := regexp.MustCompile(`\{"id":"` + podID + `","name":"([A-Za-z0-9][A-Za-z0-9_.-]*)"`)
	if m := re.FindSubmatch(db); m != nil {
		return string(m[1])
	}
	return ""
}

// engineState reads names from the engines' files below root, each file
// once per snapshot. A nil engineState (a fixture's) knows no names.
type engineState struct {
	root string

	podmanOnce  sync.Once
	podmanNames map[string]string // container id -> name
	podmanDB    []byte

	mu    sync.Mutex
	names map[containerRef]resolved
}

type resolved struct{ container, id, pod string }

// resolve returns how a container is shown, its full id and its pod: by
// name where the engine's files name it, else by engine and short id.
func (e *engineState) resolve(ref containerRef) (container, id, pod string) {
	if e == nil {
		r := ref.fallback()
		return r.container, r.id, r.pod
	}
	e.mu.Lock()
	r, ok := e.names[ref]
	e.mu.Unlock()
	if ok {
		return r.container, r.id, r.pod
	}
	r = e.lookup(ref)
	e.mu.Lock()
	if e.names == nil {
		e.names = map[containerRef]resolved{}
	}
	e.names[ref] = r
	e.mu.Unlock()
	return r.container, r.id, r.pod
}

// fallback is what the cgroup alone tells: the engine and short id, the
// Kubernetes pod UID, a podman pod's short id.
func (ref containerRef) fallback() resolved {
	r := resolved{container: ref.label(), id: ref.id, pod: ref.pod}
	if r.pod == "" && ref.podmanPod != "" {
		r.pod = ref.podmanPod[:12]
	}
	return r
}

func (e *engineState) lookup(ref containerRef) resolved {
	r := ref.fallback()
	switch ref.engine {
	case "docker":
		var cfg struct{ Name string }
		if e.readJSON(filepath.Join(dockerContainers, ref.id, "config.v2.json"), &cfg) && len(cfg.Name) > 1 {
			// Docker keeps the name with a leading slash.
			r.container = "docker:" + cfg.Name[1:]
		}
	case "podman":
		e.podmanOnce.Do(e.readPodman)
		if name := e.podmanNames[ref.id]; name != "" {
			r.container = "podman:" + name
		}
		if ref.podmanPod != "" {
			if name := podmanPodName(e.podmanDB, ref.podmanPod); name != "" {
				r.pod = name
			}
		}
	case "containerd":
		// Kubernetes' containers, in containerd's k8s.io namespace.
		e.containerd(&r, "k8s.io", ref.id, "")
	case "":
		if m := ctrCgroup.FindStringSubmatch(ref.path); m != nil &&
			e.containerd(&r, m[1], m[2], ref.path) && r.container == "" {
			r.container, r.id = "containerd:"+m[1]+"/"+m[2], m[2]
		}
	}
	return r
}

// containerd reads the OCI bundle of container id in namespace ns, whose
// cgroup must be cgroup unless that is "", and sets from the CRI's
// annotations the container's and pod's names. It reports whether the
// bundle was there.
func (e *engineState) containerd(r *resolved, ns, id, cgroup string) bool {
	if !containerdName.MatchString(ns) || !containerdName.MatchString(id) {
		return false
	}
	var spec struct {
		Annotations map[string]string `json:"annotations"`
		Linux       struct {
			CgroupsPath string `json:"cgroupsPath"`
		} `json:"linux"`
	}
	if !e.readJSON(filepath.Join(containerdTasks, ns, id, "config.json"), &spec) ||
		cgroup != "" && spec.Linux.CgroupsPath != cgroup {
		return false
	}
	a := spec.Annotations
	if name := a["io.kubernetes.cri.container-name"]; name != "" {
		r.container, r.id = "containerd:"+name, id
	}
	if podNS, podName := a["io.kubernetes.cri.sandbox-namespace"], a["io.kubernetes.cri.sandbox-name"]; podNS != "" && podName != "" {
		r.pod = podNS + "/" + podName
	}
	return true
}

// readPodman reads podman's container names and its database, where its
// pods are.
func (e *engineState) readPodman() {
	var containers []struct {
		ID    string   `json:"id"`
		Names []string `json:"names"`
	}
	for _, driver := range []string{"overlay", "vfs", "btrfs", "zfs"} {
		if e.readJSON(filepath.Join(podmanStorage, driver+"-containers", "containers.json"), &containers) {
			break
		}
	}
	e.podmanNames = make(map[string]string, len(containers))
	for _, c := range containers {
		if len(c.Names) > 0 {
			e.podmanNames[c.ID] = c.Names[0]
		}
	}
	e.podmanDB, _ = e.read(filepath.Join(podmanStorage, "libpod", "bolt_state.db"), maxPodmanDB)
}

func (e *engineState) readJSON(rel string, v any) bool {
	data, err := e.read(rel, maxStateFile)
	return err == nil && json.Unmarshal(data, v) == nil
}

var errStateFile = errors.New("not a regular file within bounds")

// read reads the regular file at rel below root, if it has at most max
// bytes.
func (e *engineState) read(rel string, max int64) ([]byte, error) {
	path := filepath.Join(e.root, rel)
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), path)
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > max {
		return nil, errStateFile
	}
	buf := make([]byte, st.Size())
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return buf[:n], nil
}
