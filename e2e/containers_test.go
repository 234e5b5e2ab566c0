//go:build privileged

package e2e

// Tests against real container engines: docker, podman (a container and a
// pod), containerd (ctr) and lxc each run a named container of a busybox
// root file system the test builds, and CONTAINER, CONTAINERID, POD, ROOT,
// HOST, HOSTNAME and NPROCS must agree with what the engine itself reports.
// Then nsinspect runs inside a container. The test starts containerd and
// dockerd only where they do not run, and then stops them when it ends; it
// removes the containers, pods and images it made (names with its PID), and
// nothing else. .ci/run installs the engines. Each engine's cases first
// probe the pieces it needs (ctrMissing) and skip, naming the missing
// piece, where one lacks: a machine may have podman without catatonit, or
// docker without dockerd; where CI requires the privileged tests
// (testenv.RequireVar), that skip is a failure.

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// ctrOwn are the namespace types that every engine here gives a container
// of its own (the network too: --network none, lxc.net.0.type = empty).
var ctrOwn = []string{"mnt", "uts", "ipc", "pid", "net"}

// ctrWant is what the engine reports of a container.
type ctrWant struct {
	pid                      int
	container, id, pod, root string
	hostname                 string
	nprocs                   int // 0: not checked
}

// containerdTasks is where containerd's runtime v2 keeps its bundles.
const containerdTasks = "/run/containerd/io.containerd.runtime.v2.task"

func TestContainers(t *testing.T) {
	testenv.RequireRoot(t)
	tag := fmt.Sprintf("nsi%d", os.Getpid())
	rootfs := ctrRootfs(t)
	image := "localhost/" + tag + "-bb:1"
	// Engines run as daemons or leave conmon and shims behind: docker's
	// and containerd's cases need the daemons and the image that docker
	// imports here, which the test (not a case) owns. A daemon that is
	// not running is started where it is installed.
	const docker = "/usr/bin/docker"
	// (docker.io's: /usr/local/bin/docker may be another program.)
	dockerMissing := ctrMissing(docker,
		ctrDaemonPiece(exec.Command(docker, "version", "--format", "{{.Server.Version}}"), "dockerd"),
		"ctr", ctrDaemonPiece(ctrContainerdReady(), "containerd"), "runc")
	if dockerMissing == "" {
		ctrContainerd(t)
		ctrDocker(t, docker)
		t.Cleanup(func() { ctrQuiet(docker, "rmi", image) })
		ctrRun(t, docker, "import", rootfs, image)
	}
	needDocker := func(t *testing.T) {
		t.Helper()
		if dockerMissing != "" {
			testenv.Skip(t, "docker: "+dockerMissing)
		}
	}

	t.Run("docker", func(t *testing.T) {
		needDocker(t)
		name := tag + "-web2"
		// Registered first: a run that fails may leave a container.
		t.Cleanup(func() { ctrQuiet(docker, "rm", "-f", name) })
		ctrRun(t, docker, "run", "-d", "--name", name, "--network", "none", image, "/bin/sleep", "infinity")
		info := ctrInspect(t, docker, name)
		want := ctrWant{
			pid: ctrInt(t, info, "State", "Pid"), container: "docker:" + name, id: ctrStr(t, info, "Id"),
			root: ctrStr(t, info, "GraphDriver", "Data", "MergedDir"), hostname: ctrStr(t, info, "Config", "Hostname"),
			nprocs: ctrCount(t, docker, "top", name, "-o", "pid"),
		}
		ctrCheck(t, want)

		// Inside: exec'd into the container, nsinspect is PID 2 there
		// with parent 0, and no namespace of the container's is the
		// host's.
		bin := ctrStatic(t)
		ctrRun(t, docker, "cp", bin, name+":/nsinspect")
		out := ctrRun(t, docker, "exec", name, "/nsinspect", "-J", "-o", "NS,TYPE,PID,HOST")
		ctrCheckInside(t, out, want.pid)
	})

	t.Run("daemonset", func(t *testing.T) {
		needDocker(t)
		// deploy/daemonset.yaml's command, in the Containerfile's image, run
		// as the DaemonSet runs it: host PID namespace, a read-only root,
		// the node's /proc at /host/proc and its / at /host/root, read-only,
		// and the capabilities of the
		// manifest's least-privilege alternative (privileged: true asks
		// for every capability, and runc fails where the bounding set
		// lacks one, as CAP_SYS_RESOURCE here).
		dir := t.TempDir()
		ctrCopy(t, ctrStatic(t), filepath.Join(dir, "nsinspect"), 0o755)
		ctrCopy(t, "../Containerfile", filepath.Join(dir, "Containerfile"), 0o644)
		dsImage := "localhost/" + tag + "-nsinspect:1"
		t.Cleanup(func() { ctrQuiet(docker, "rmi", dsImage) })
		ctrRun(t, docker, "build", "-q", "-f", filepath.Join(dir, "Containerfile"), "-t", dsImage, dir)
		command := ctrDaemonSetCommand(t)
		out := t.TempDir()
		name := tag + "-ds"
		t.Cleanup(func() { ctrQuiet(docker, "rm", "-f", name) })
		run := append([]string{"run", "-d", "--name", name, "--pid", "host", "--read-only", "--network", "none", "--user", "0",
			"--cap-drop", "ALL", "--cap-add", "SYS_PTRACE", "--cap-add", "DAC_READ_SEARCH", "--cap-add", "NET_ADMIN",
			"--security-opt", "apparmor=unconfined",
			"-v", "/proc:/host/proc:ro", "-v", "/:/host/root:ro", "-v", out + ":/textfile", "--entrypoint", command[0], dsImage}, command[1:]...)
		ctrRun(t, docker, run...)
		prom := filepath.Join(out, "nsinspect.prom")
		var metrics []byte
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			var err error
			if metrics, err = os.ReadFile(prom); err == nil && bytes.Contains(metrics, []byte("\nnsinspect_incomplete ")) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no metrics in %s after 30 s: %q; logs:\n%s", prom, metrics, ctrRun(t, docker, "logs", name))
			}
		}
		if !bytes.Contains(metrics, []byte("\nnsinspect_incomplete 0\n")) {
			t.Errorf("the DaemonSet's scan is incomplete:\n%s", metrics)
		}
		// nsinspect ends on SIGTERM with 0; were the signal lost, docker
		// would kill it after 30 s: 137.
		ctrRun(t, docker, "stop", "-t", "30", name)
		if code := strings.TrimSpace(ctrRun(t, docker, "inspect", "-f", "{{.State.ExitCode}}", name)); code != "0" {
			t.Errorf("the DaemonSet's nsinspect exited %s on SIGTERM, want 0", code)
		}
	})

	t.Run("podman", func(t *testing.T) {
		// podman's defaults need crun and rlimits above this host's hard
		// limits: runc it is; it runs containers under conmon.
		if missing := ctrMissing("podman", "conmon", "runc"); missing != "" {
			testenv.Skip(t, "podman: "+missing)
		}
		podman, _ := exec.LookPath("podman")
		conf := filepath.Join(t.TempDir(), "containers.conf")
		if err := os.WriteFile(conf, []byte("[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n[engine]\nruntime = \"runc\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Setenv("CONTAINERS_CONF", conf)
		// A pod's infra container runs a pause image that podman builds
		// on first use: removed after if it was not there before.
		pauses := func() []string {
			return strings.Fields(ctrRun(t, podman, "images", "--filter", "reference=localhost/podman-pause", "--format", "{{.ID}}"))
		}
		before := pauses()
		t.Cleanup(func() {
			ctrQuiet(podman, "rmi", image)
			for _, id := range pauses() {
				if !slices.Contains(before, id) {
					ctrQuiet(podman, "rmi", id)
				}
			}
		})
		ctrRun(t, podman, "import", rootfs, image)
		name, pod, inPod := tag+"-web1", tag+"-pod1", tag+"-web4"
		check := func(t *testing.T, c struct{ name, pod string }) {
			t.Helper()
			info := ctrInspect(t, podman, c.name)
			want := ctrWant{
				pid: ctrInt(t, info, "State", "Pid"), container: "podman:" + c.name, id: ctrStr(t, info, "Id"),
				root: ctrStr(t, info, "GraphDriver", "Data", "MergedDir"), hostname: ctrStr(t, info, "Config", "Hostname"),
				nprocs: ctrCount(t, podman, "top", c.name, "pid"),
			}
			if c.pod != "" {
				// The pod's name as podman names it, by the id it gives.
				podInfo := ctrInspectAs(t, podman, "pod", "inspect", c.pod)
				if ctrStr(t, info, "Pod") != ctrStr(t, podInfo, "Id") {
					t.Fatalf("%s is in pod %v, want %v", c.name, info["Pod"], podInfo["Id"])
				}
				want.pod = ctrStr(t, podInfo, "Name")
				// The pod's infra container holds the net, uts and ipc
				// namespaces: it is their first process.
				want.nprocs = 0
			}
			ctrCheck(t, want)
		}
		t.Run("container", func(t *testing.T) {
			t.Cleanup(func() { ctrQuiet(podman, "rm", "-f", "-t", "0", name) })
			ctrRun(t, podman, "run", "-d", "--name", name, "--network", "none", image, "/bin/sleep", "infinity")
			check(t, struct{ name, pod string }{name, ""})
		})
		t.Run("pod", func(t *testing.T) {
			// A pod's infra container runs the pause image that podman
			// builds on first use around catatonit, which it looks for
			// in its helper directories and on PATH.
			if _, ok := ctrPodmanHelper("catatonit"); !ok {
				testenv.Skip(t, "podman pods: catatonit is not installed (podman's helper directories, PATH)")
			}
			t.Cleanup(func() { ctrQuiet(podman, "pod", "rm", "-f", "-t", "0", pod) })
			ctrRun(t, podman, "pod", "create", "--name", pod, "--network", "none")
			ctrRun(t, podman, "run", "-d", "--pod", pod, "--name", inPod, image, "/bin/sleep", "infinity")
			check(t, struct{ name, pod string }{inPod, pod})
		})
	})

	t.Run("containerd", func(t *testing.T) {
		// Its image is the one docker imported, saved for ctr.
		needDocker(t)
		ctr, _ := exec.LookPath("ctr")
		ns, name := tag, "web3"
		archive := filepath.Join(t.TempDir(), "bb.tar")
		ctrRun(t, docker, "save", "-o", archive, image)
		ref := image
		t.Cleanup(func() {
			ctrQuiet(ctr, "-n", ns, "task", "kill", "-s", "KILL", name)
			// The task ends after the kill: a few tries to delete it.
			for range 50 {
				if ctrQuiet(ctr, "-n", ns, "task", "delete", name) == nil {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			ctrQuiet(ctr, "-n", ns, "container", "delete", name)
			ctrQuiet(ctr, "-n", ns, "image", "rm", ref)
			ctrQuiet(ctr, "namespace", "remove", ns)
			// containerd leaves the namespace's parent cgroup, and its
			// runtime the namespace's directory: empty, they go.
			dirs, _ := filepath.Glob("/sys/fs/cgroup/*/" + ns)
			for _, d := range append(dirs, "/sys/fs/cgroup/"+ns, filepath.Join(containerdTasks, ns)) {
				_ = os.Remove(d)
			}
		})
		ctrRun(t, ctr, "-n", ns, "image", "import", archive)
		ctrRun(t, ctr, "-n", ns, "run", "-d", ref, name, "/bin/sleep", "infinity")
		var info struct {
			Spec struct {
				Hostname string `json:"hostname"`
				Root     struct {
					Path string `json:"path"`
				} `json:"root"`
			}
		}
		if err := json.Unmarshal([]byte(ctrRun(t, ctr, "-n", ns, "container", "info", name)), &info); err != nil {
			t.Fatal(err)
		}
		// ctr task ps: a header, then a PID a line.
		tasks := strings.Split(strings.TrimSpace(ctrRun(t, ctr, "-n", ns, "task", "ps", name)), "\n")
		pid, err := strconv.Atoi(strings.Fields(tasks[1])[0])
		if err != nil {
			t.Fatal(err)
		}
		hostname := info.Spec.Hostname
		if hostname == "" {
			// runc leaves the new uts namespace with the host's name.
			hostname, _ = os.Hostname()
		}
		ctrCheck(t, ctrWant{
			pid: pid, container: "containerd:" + ns + "/" + name, id: name,
			// The bundle is where containerd's runtime v2 keeps it.
			root:     filepath.Join(containerdTasks, ns, name, info.Spec.Root.Path),
			hostname: hostname, nprocs: len(tasks) - 1,
		})
	})

	t.Run("lxc", func(t *testing.T) {
		// lxc-create's busybox template copies /bin/busybox.
		if missing := ctrMissing("lxc-create", "lxc-start", "lxc-info", "lxc-stop", "lxc-destroy"); missing != "" {
			testenv.Skip(t, "lxc: "+missing)
		}
		name := tag + "-web6"
		conf := filepath.Join(t.TempDir(), "lxc.conf")
		if err := os.WriteFile(conf, []byte("lxc.net.0.type = empty\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ctrQuiet("lxc-destroy", "-f", "-n", name) })
		ctrRun(t, "lxc-create", "-n", name, "-t", "busybox", "-f", conf)
		t.Cleanup(func() { ctrQuiet("lxc-stop", "-k", "-n", name) })
		ctrRun(t, "lxc-start", "-n", name)
		pid, err := strconv.Atoi(strings.TrimSpace(ctrRun(t, "lxc-info", "-n", name, "-pH")))
		if err != nil {
			t.Fatal(err)
		}
		cfg := func(key string) string {
			_, v, _ := strings.Cut(ctrRun(t, "lxc-info", "-n", name, "-c", key), " = ")
			v = strings.TrimSpace(v)
			return strings.TrimPrefix(v, "dir:")
		}
		// busybox's init starts and respawns processes of its own:
		// NPROCS is not checked.
		ctrCheck(t, ctrWant{pid: pid, container: "lxc:" + name, id: name, root: cfg("lxc.rootfs.path"), hostname: cfg("lxc.uts.name")})
	})

	t.Run("inside unshare", func(t *testing.T) {
		// A container made by unshare: nsinspect entered into all its
		// namespaces with nsenter is PID 2 there, parent 0.
		unshare := testenv.RequireCommand(t, "unshare")
		nsenter := testenv.RequireCommand(t, "nsenter")
		cmd := exec.Command(unshare, "--fork", "--pid", "--mount-proc", "--net", "--mount", "--uts", "--ipc", "/bin/sh", "-c", "echo ready; exec sleep 600")
		testenv.Start(t, cmd)
		child := insideChild(t, cmd.Process.Pid, "sleep")
		out := ctrRun(t, nsenter, "-t", strconv.Itoa(child), "-a", ctrStatic(t), "-J", "-o", "NS,TYPE,PID,HOST")
		ctrCheckInside(t, out, child)
	})
}

// ctrCheck runs nsinspect on the container's first process and compares
// the rows of the namespaces the container has of its own with want.
func ctrCheck(t *testing.T, want ctrWant) {
	t.Helper()
	rows := jsonRows(t, "-J", "-p", strconv.Itoa(want.pid), "-o", "NS,TYPE,PID,CONTAINER,CONTAINERID,POD,ROOT,HOST,HOSTNAME,NPROCS")
	seen := map[string]bool{}
	for _, r := range rows {
		typ := r["type"].(string)
		if !slices.Contains(ctrOwn, typ) {
			if typ == "user" && r["host"] != true {
				t.Errorf("user namespace %v: host %v, want true (no engine here maps users)", r["ns"], r["host"])
			}
			continue
		}
		if int(r["ns"].(float64)) != int(nsOf(t, want.pid, typ)) {
			continue
		}
		seen[typ] = true
		t.Logf("%s: %v", typ, r)
		// In a podman pod the infra container holds net, uts and ipc.
		if want.pod != "" && typ != "mnt" && typ != "pid" {
			if r["pod"] != want.pod || r["host"] != false {
				t.Errorf("%s %v: pod %v, host %v, want %q, false", typ, r["ns"], r["pod"], r["host"], want.pod)
			}
			continue
		}
		check := func(key string, wantV any) {
			if r[key] != wantV {
				t.Errorf("%s %v: %s = %#v, want %#v (from the engine)", typ, r["ns"], key, r[key], wantV)
			}
		}
		check("pid", float64(want.pid))
		check("container", want.container)
		check("containerid", want.id)
		check("host", false)
		if want.pod != "" {
			check("pod", want.pod)
		} else {
			check("pod", nil)
		}
		if want.nprocs != 0 && (typ == "pid" || typ == "mnt") {
			check("nprocs", float64(want.nprocs))
		}
		switch typ {
		case "mnt":
			check("root", want.root)
		case "uts":
			check("hostname", want.hostname)
		}
	}
	for _, typ := range ctrOwn {
		if !seen[typ] {
			t.Errorf("no row for the container's %s namespace: %v", typ, rows)
		}
	}
}

// ctrCheckInside checks nsinspect's JSON from inside a container whose
// namespaces are those of process pid: none of them is the host's, and
// the initial ones that the kernel numbers are.
func ctrCheckInside(t *testing.T, out string, pid int) {
	t.Helper()
	var doc struct{ Namespaces []map[string]any }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	seen := 0
	for _, r := range doc.Namespaces {
		typ := r["type"].(string)
		own := int(r["ns"].(float64)) == int(nsOf(t, pid, typ))
		if slices.Contains(ctrOwn, typ) && own {
			seen++
			if r["host"] == true {
				t.Errorf("inside: the container's %s namespace %v has host true", typ, r["ns"])
			}
		}
		if typ == "user" && r["host"] != true {
			t.Errorf("inside: user namespace %v has host %v, want true", r["ns"], r["host"])
		}
	}
	if seen != len(ctrOwn) {
		t.Errorf("inside: %d of the container's namespaces shown, want %d:\n%s", seen, len(ctrOwn), out)
	}
}

// ctrRootfs writes a tar of a root file system with busybox (static) as
// /bin/sh and /bin/sleep, for the engines to import.
func ctrRootfs(t *testing.T) string {
	t.Helper()
	busybox, err := os.ReadFile("/bin/busybox")
	if err != nil {
		testenv.Skip(t, "busybox-static is not installed: "+err.Error())
	}
	var buf bytes.Buffer
	w := tar.NewWriter(&buf)
	add := func(h *tar.Header, data []byte) {
		h.ModTime = time.Unix(0, 0)
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"bin/", "proc/", "sys/", "dev/", "etc/", "tmp/"} {
		add(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755}, nil)
	}
	add(&tar.Header{Name: "bin/busybox", Typeflag: tar.TypeReg, Mode: 0o755, Size: int64(len(busybox))}, busybox)
	for _, l := range []string{"sh", "sleep"} {
		add(&tar.Header{Name: "bin/" + l, Typeflag: tar.TypeSymlink, Linkname: "busybox", Mode: 0o777}, nil)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rootfs.tar")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ctrDaemonSetCommand returns the command that deploy/daemonset.yaml runs:
// the list under "command:".
func ctrDaemonSetCommand(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../deploy/daemonset.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var command []string
	in := false
	for line := range strings.Lines(string(data)) {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "command:":
			in = true
		case in && strings.HasPrefix(trimmed, "- "):
			command = append(command, strings.TrimPrefix(trimmed, "- "))
		case in && (trimmed == "" || strings.HasPrefix(trimmed, "#") || !strings.HasPrefix(trimmed, "- ")):
			if len(command) == 0 {
				t.Fatal("deploy/daemonset.yaml: empty command")
			}
			return command
		}
	}
	t.Fatal("deploy/daemonset.yaml: no command")
	return nil
}

func ctrCopy(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}

// ctrStatic builds nsinspect without cgo, to run in a container's root.
func ctrStatic(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nsinspect")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/nsinspect/nsinspect")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// ctrDaemon starts a daemon unless ready already succeeds, waits until it
// does, and stops the daemon when the test ends, if the test started it.
func ctrDaemon(t *testing.T, ready *exec.Cmd, name string, args ...string) {
	t.Helper()
	probe := func() bool {
		c := exec.Command(ready.Path, ready.Args[1:]...)
		return c.Run() == nil
	}
	if probe() {
		return
	}
	path := testenv.RequireCommand(t, name)
	log, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		// SIGTERM lets it stop cleanly; its process group (a containerd
		// that dockerd started) goes with it, by force if need be.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		log.Close()
	})
	for deadline := time.Now().Add(60 * time.Second); !probe(); {
		select {
		case <-exited:
			out, _ := os.ReadFile(log.Name())
			t.Fatalf("%s exited: %s", name, out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready in 60 s", name)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// ctrContainerdReady is the command that succeeds once containerd answers.
// Without a timeout, ctr waits 10 s for a containerd that is not there.
func ctrContainerdReady() *exec.Cmd {
	return exec.Command("ctr", "--connect-timeout", "2s", "version")
}

func ctrContainerd(t *testing.T) {
	t.Helper()
	ctrDaemon(t, ctrContainerdReady(), "containerd")
}

// ctrDocker makes sure dockerd runs, with no network of its own to set
// up.
func ctrDocker(t *testing.T, docker string) {
	t.Helper()
	ctrDaemon(t, exec.Command(docker, "version", "--format", "{{.Server.Version}}"), "dockerd",
		"--iptables=false", "--ip6tables=false", "--ip-forward=false", "--bridge=none")
}

// ctrMissing returns what of pieces this machine lacks, "" if nothing: a
// piece is a program on PATH, an absolute path, or what ctrDaemonPiece
// found ("" if there).
func ctrMissing(pieces ...string) string {
	var missing []string
	for _, p := range pieces {
		switch {
		case p == "":
		case strings.HasPrefix(p, "/"):
			if _, err := os.Stat(p); err != nil {
				missing = append(missing, p+" is not installed")
			}
		case strings.Contains(p, " "):
			missing = append(missing, p)
		default:
			if _, err := exec.LookPath(p); err != nil {
				missing = append(missing, p+" is not installed")
			}
		}
	}
	return strings.Join(missing, "; ")
}

// ctrDaemonPiece returns "" where the daemon name answers ready or can be
// started (it is installed), else why not. A client that is not installed
// (ready's program) is said by its own piece.
func ctrDaemonPiece(ready *exec.Cmd, name string) string {
	if ready.Err == nil && ready.Run() == nil {
		return ""
	}
	if _, err := exec.LookPath(name); err != nil {
		return name + " neither runs nor is installed"
	}
	return ""
}

// ctrPodmanHelper finds a helper program as podman does
// (containers/common's FindHelperBinary): in its default helper
// directories, then on PATH.
func ctrPodmanHelper(name string) (string, bool) {
	for _, dir := range []string{"/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman", "/usr/lib/podman"} {
		path := filepath.Join(dir, name)
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return path, true
		}
	}
	path, err := exec.LookPath(name)
	return path, err == nil
}

// ctrRun runs a command and returns its stdout, failing the test with its
// stderr on an error.
func ctrRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// ctrQuiet runs a cleanup command, whose failure (nothing left to remove)
// is no error of the test.
func ctrQuiet(name string, args ...string) error {
	return exec.Command(name, args...).Run()
}

func ctrInspect(t *testing.T, engine, name string) map[string]any {
	t.Helper()
	return ctrInspectAs(t, engine, "inspect", "--type", "container", name)
}

func ctrInspectAs(t *testing.T, engine string, args ...string) map[string]any {
	t.Helper()
	out := ctrRun(t, engine, args...)
	var one map[string]any
	if err := json.Unmarshal([]byte(out), &one); err == nil {
		return one
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("%s %v: %v\n%s", engine, args, err, out)
	}
	return list[0]
}

func ctrField(t *testing.T, m map[string]any, keys ...string) any {
	t.Helper()
	var v any = m
	for _, k := range keys {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no %v in the engine's answer", keys)
		}
		v = obj[k]
	}
	return v
}

func ctrStr(t *testing.T, m map[string]any, keys ...string) string {
	t.Helper()
	s, ok := ctrField(t, m, keys...).(string)
	if !ok || s == "" {
		t.Fatalf("no %v in the engine's answer", keys)
	}
	return s
}

func ctrInt(t *testing.T, m map[string]any, keys ...string) int {
	t.Helper()
	f, ok := ctrField(t, m, keys...).(float64)
	if !ok || f <= 0 {
		t.Fatalf("no %v in the engine's answer", keys)
	}
	return int(f)
}

// ctrCount counts the processes that `engine top` lists after its header.
func ctrCount(t *testing.T, engine string, args ...string) int {
	t.Helper()
	return len(strings.Split(strings.TrimSpace(ctrRun(t, engine, args...)), "\n")) - 1
}
