package inspect

import "regexp"

// Kubernetes runs its containers through the CRI: containerd's CRI plugin
// (cri-containerd-ID.scope with systemd as cgroup driver) or CRI-O
// (crio-ID.scope). With cgroupfs as driver a container's cgroup is
// /kubepods/<qos>/pod<uid>/<id>, which says nothing of the runtime: taken
// to be containerd's, tried after the other engines (an engine's container
// below a pod's cgroup is that engine's).
//
// containerd keeps Kubernetes' containers in its namespace k8s.io, with
// the CRI's annotations in the bundle: the container's name, the pod's
// namespace and name. CRI-O's state is not read: its containers show as
// crio:SHORTID.
var (
	criContainerd = engine{
		label:   "containerd",
		cgroups: []*regexp.Regexp{regexp.MustCompile(`cri-containerd-([0-9a-f]{64})\.scope(?:/|$)`)},
		name:    criName,
	}
	crio = engine{
		label:   "crio",
		cgroups: []*regexp.Regexp{regexp.MustCompile(`crio-(?:conmon-)?([0-9a-f]{64})\.scope(?:/|$)`)},
	}
	kubepodsCgroupfs = engine{
		label:   "containerd",
		cgroups: []*regexp.Regexp{regexp.MustCompile(`/kubepods[^/]*/(?:[^/]+/)?pod[0-9a-f_-]+/([0-9a-f]{64})(?:/|$)`)},
		name:    criName,
	}
)

func criName(e *engineState, ref containerRef, r *resolved) {
	e.containerdBundle(r, "k8s.io", ref.id, "")
}

// kubernetesPod matches a Kubernetes pod's cgroup: "pod<uid>" with
// cgroupfs, "kubepods-<qos>-pod<uid_with_underscores>.slice" with systemd.
var kubernetesPod = regexp.MustCompile(`kubepods[^/]*[/-](?:(?:besteffort|burstable)[/-])?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?(?:/|$)`)
