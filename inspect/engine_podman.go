package inspect

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"go.etcd.io/bbolt"
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
		if name := e.podman.pods[ref.podmanPod]; ref.podmanPod != "" && name != "" {
			r.pod = name
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
	pods  map[string]string // pod id -> name
}

// Podman's bolt database (libpod/boltdb_state.go) keeps in its bucket
// "allPods" each pod's id and name.
var podmanAllPods = []byte("allPods")

// podmanLockTimeout bounds the wait for podman's lock on its database:
// podman holds it exclusively while it changes the database (and waits
// for it without a bound itself); a scan then shows the pods' short ids
// rather than wait.
const podmanLockTimeout = 100 * time.Millisecond

// readPodman reads podman's container names and its pods' names.
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
	e.podman.pods, _ = e.podmanPods()
}

// podmanPods reads the pods' names from podman's bolt database, as a
// database: opened below the root as every engine's file is, and handed to
// bbolt, which maps it read-only, takes a shared lock (waiting at most
// podmanLockTimeout for podman's) and writes nothing. A database that
// bbolt finds corrupt, or panics on, names no pod.
func (e *engineState) podmanPods() (pods map[string]string, err error) {
	f, size, err := e.open(filepath.Join(podmanStorage, "libpod", "bolt_state.db"), maxPodmanDB)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			f.Close() // bbolt may not have
			pods, err = nil, fmt.Errorf("podman's database: %v", r)
		}
	}()
	// An empty file bbolt would initialize, and a read-only fd refuse.
	if size == 0 {
		f.Close()
		return nil, errStateFile
	}
	db, err := bbolt.Open(f.Name(), 0, &bbolt.Options{
		ReadOnly: true,
		Timeout:  podmanLockTimeout,
		// The file opened, checked, below the root: bbolt opens no
		// path itself.
		OpenFile: func(string, int, os.FileMode) (*os.File, error) { return f, nil },
	})
	if err != nil {
		// bbolt closed f.
		return nil, err
	}
	defer db.Close()
	pods = map[string]string{}
	err = db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(podmanAllPods)
		if b == nil {
			return nil
		}
		return b.ForEach(func(id, name []byte) error {
			pods[string(id)] = string(name)
			return nil
		})
	})
	return pods, err
}
