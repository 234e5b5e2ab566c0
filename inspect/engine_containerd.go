package inspect

import (
	"path/filepath"
	"regexp"
)

// containerdTasks is where containerd's runtime v2 keeps a task's OCI
// bundle, below the root: NAMESPACE/ID/config.json.
const containerdTasks = "run/containerd/io.containerd.runtime.v2.task"

// containerdName is containerd's alphabet for namespaces and container ids
// (identifiers.Validate): no slashes, no "..", at most 76 bytes.
var containerdName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,74}[A-Za-z0-9])?$`)

// ctrCgroup is the cgroup that containerd gives a container that ctr runs
// without a cgroup of its own choosing: "/NAMESPACE/ID".
var ctrCgroup = regexp.MustCompile(`^/([^/]+)/([^/]+)$`)

// containerd's own containers (ctr run) have a cgroup of no pattern, any
// "/NAMESPACE/ID": the container is containerd's only where a bundle of
// that namespace and id says that this is its cgroup.
var containerd = engine{
	label: "containerd",
	claim: func(e *engineState, ref containerRef, r *resolved) bool {
		m := ctrCgroup.FindStringSubmatch(ref.path)
		if m == nil || !e.containerdBundle(r, m[1], m[2], ref.path) {
			return false
		}
		if r.container == "" {
			r.container, r.id = "containerd:"+m[1]+"/"+m[2], m[2]
		}
		return true
	},
}

// containerdBundle reads the OCI bundle of container id in namespace ns,
// whose cgroup must be cgroup unless that is "", and sets from the CRI's
// annotations the container's and pod's names. It reports whether the
// bundle was there.
func (e *engineState) containerdBundle(r *resolved, ns, id, cgroup string) bool {
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
