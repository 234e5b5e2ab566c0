package inspect

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sync"

	"golang.org/x/sys/unix"
)

// Container engines keep their containers' names in files of their own on
// the host. nsinspect reads them below engineState.root (Options.RootFS: the
// host's root file system, "/" unless nsinspect runs in a container that
// mounts the host's elsewhere), never through a process's /proc/PID/root,
// and never writes or runs anything. Each path is resolved with openat2
// RESOLVE_IN_ROOT below that root, so that no symlink leads out of it. The
// ids in those paths come from cgroup paths, which a process in a delegated
// cgroup can choose: only ids of the engines' own alphabets make a path, and
// each file is read only if it is a regular file (a FIFO would block) of at
// most a bound.
//
// Each engine is one file, engine_NAME.go, with its test beside it: its
// cgroup patterns and what reads its names. engines lists them.

// maxStateFile bounds a JSON file of an engine: podman's containers.json
// lists every container, a few hundred bytes each.
const maxStateFile = 16 << 20

// An engine is one container engine: the cgroup paths it gives its
// containers, and how its state on the host names them.
type engine struct {
	// label is the engine as CONTAINER shows it: "docker" in "docker:web2".
	label string
	// cgroups match the cgroup paths of the engine's containers, with
	// cgroupfs and with systemd as cgroup driver (cgroup v1 and v2 alike);
	// the first submatch is the container's id.
	cgroups []*regexp.Regexp
	// id turns a matched id into the engine's own (nspawn undoes systemd's
	// escaping); nil keeps it.
	id func(string) string
	// name sets in r what the engine's state below e's root says of ref;
	// nil where the cgroup is all there is (lxc, nspawn: the id is the
	// name).
	name func(e *engineState, ref containerRef, r *resolved)
	// claim, for an engine whose cgroups follow no pattern (ctr run's
	// "/NAMESPACE/ID"), names a container that no engine's pattern
	// matched, where the engine's state says that the cgroup is its own;
	// it reports whether it did.
	claim func(e *engineState, ref containerRef, r *resolved) bool
}

// engines are tried in this order, and the first whose pattern matches a
// cgroup path names the container: where an engine runs inside another's
// container, the path matches both (kind's nodes in docker: /docker/ID/
// kubepods/...), and the outer one here names it, as before this was a
// table. A new engine is a file of its own and a line here.
var engines = []*engine{
	&docker,
	&podman,
	&criContainerd,
	&crio,
	&lxc,
	&nspawn,
	&kubepodsCgroupfs,
	&containerd,
}

// containerOf finds the engine whose pattern matches a cgroup path, and
// the container's id.
func containerOf(path string) (*engine, string) {
	for _, e := range engines {
		for _, re := range e.cgroups {
			m := re.FindStringSubmatch(path)
			if m == nil {
				continue
			}
			id := m[1]
			if e.id != nil {
				id = e.id(id)
			}
			return e, id
		}
	}
	return nil, ""
}

// openEngines returns the engines' state below opts.RootFS, or nil for a
// fixture without one. A RootFS that is no directory is an error: a typo
// would otherwise show no names, silently.
func openEngines(opts Options, fixture bool) (*engineState, error) {
	root := opts.RootFS
	if root == "" {
		if fixture {
			return nil, nil
		}
		root = "/"
	}
	if st, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("root file system %s: %w", root, unwrapPath(err))
	} else if !st.IsDir() {
		return nil, fmt.Errorf("root file system %s: not a directory", root)
	}
	return &engineState{root: root}, nil
}

// engineState reads names from the engines' files below root, each file
// once per snapshot. A nil engineState (a fixture's without a RootFS)
// knows no names.
type engineState struct {
	root string

	podmanOnce sync.Once
	podman     podmanState

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
	if ref.engine != nil {
		if ref.engine.name != nil {
			ref.engine.name(e, ref, &r)
		}
		return r
	}
	for _, en := range engines {
		if en.claim != nil && en.claim(e, ref, &r) {
			break
		}
	}
	return r
}

func (e *engineState) readJSON(rel string, v any) bool {
	data, err := e.read(rel, maxStateFile)
	return err == nil && json.Unmarshal(data, v) == nil
}

var errStateFile = errors.New("not a regular file within bounds")

// open opens the regular file at rel below root, resolved within root
// (RESOLVE_IN_ROOT: a symlink on the way, absolute or with "..", stays
// below it, as it would were root the file system's root) and not itself a
// symlink, if it has at most max bytes. O_NONBLOCK: a FIFO must not block
// the open.
func (e *engineState) open(rel string, max int64) (*os.File, int64, error) {
	rootfd, err := unix.Open(e.root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, 0, err
	}
	defer unix.Close(rootfd)
	fd, err := unix.Openat2(rootfd, rel, &unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_NOFOLLOW | unix.O_NONBLOCK | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS,
	})
	if err != nil {
		return nil, 0, err
	}
	f := os.NewFile(uintptr(fd), e.root+"/"+rel)
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !st.Mode().IsRegular() || st.Size() > max {
		f.Close()
		return nil, 0, errStateFile
	}
	return f, st.Size(), nil
}

// read reads the regular file at rel below root, as open opens it.
func (e *engineState) read(rel string, max int64) ([]byte, error) {
	f, size, err := e.open(rel, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, size)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return buf[:n], nil
}
