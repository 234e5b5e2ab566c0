package inspect

import (
	"path/filepath"
	"regexp"
)

// podmanStorage is where podman keeps its containers and database, below
// the root.
const podmanStorage = "var/lib/containers/storage"

// maxPodmanDB bounds podman's bolt database, read once per snapshot.
const maxPodmanDB = 64 << 20

// podman names its containers in containers/storage's containers.json and
// its pods in its database, libpod/bolt_state.db. Its cgroups:
// libpod-ID.scope (and libpod-conmon-ID.scope, conmon's) with systemd,
// /libpod_parent/[PODID/]libpod-ID with cgroupfs.
var podman = engine{
	label:   "podman",
	cgroups: []*regexp.Regexp{regexp.MustCompile(`libpod-(?:conmon-)?([0-9a-f]{64})(?:\.scope)?(?:/|$)`)},
	name: func(e *engineState, ref containerRef, r *resolved) {
		e.podmanOnce.Do(e.readPodman)
		if name := e.podman.names[ref.id]; name != "" {
			r.container = "podman:" + name
		}
		if ref.podmanPod != "" {
			if name := podmanPodName(e.podman.db, ref.podmanPod); name != "" {
				r.pod = name
			}
		}
	},
}

// podmanPodPattern matches the cgroup of a container in a podman pod:
// "/libpod_parent/<podid>/libpod-<id>" with cgroupfs,
// "machine-libpod_pod_<podid>.slice/libpod-<id>.scope" with systemd.
var podmanPodPattern = regexp.MustCompile(`(?:/libpod_parent/|machine-libpod_pod_)([0-9a-f]{64})(?:\.slice)?/libpod-`)

// podmanState is what podman's files say, read once per snapshot.
type podmanState struct {
	names map[string]string // container id -> name
	db    []byte
}

// podmanPodName finds a pod's name in podman's bolt database, where each
// pod's configuration is a JSON value that starts with its id and name.
func podmanPodName(db []byte, podID string) string {
	re := regexp.MustCompile(`\{"id":"` + podID + `","name":"([A-Za-z0-9][A-Za-z0-9_.-]*)"`)
	if m := re.FindSubmatch(db); m != nil {
		return string(m[1])
	}
	return ""
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
	e.podman.names = make(map[string]string, len(containers))
	for _, c := range containers {
		if len(c.Names) > 0 {
			e.podman.names[c.ID] = c.Names[0]
		}
	}
	e.podman.db, _ = e.read(filepath.Join(podmanStorage, "libpod", "bolt_state.db"), maxPodmanDB)
}
