package query

import (
	"strconv"
	"strings"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/render"
)

// contentColumns show what is inside a namespace. Each is read only when
// asked for, once per namespace, and is empty for other types.
var contentColumns = []*column{
	{Column: render.Column{Name: "HOSTNAME", Help: "uts: host name"},
		need: inspect.Need{Contents: inspect.ReadUTS},
		doc: Doc{
			For:    "uts",
			Readme: "the host name `uname` gives inside",
			Man: `uts: the host name that
.BR uname (1)
gives inside.`,
			Schema: "uts: the host name inside.",
		},
		value: uts(func(u *inspect.UTSNames) string { return u.Hostname })},
	{Column: render.Column{Name: "DOMAINNAME", Help: "uts: NIS domain name"},
		need: inspect.Need{Contents: inspect.ReadUTS},
		doc: Doc{
			For:    "uts",
			Readme: "the NIS domain name `uname` gives inside",
			Man:    `uts: the NIS domain name inside.`,
			Schema: "uts: the NIS domain name inside.",
		},
		value: uts(func(u *inspect.UTSNames) string { return u.Domainname })},
	{Column: render.Column{Name: "UIDMAP", Kind: render.Array, Format: formatIDMap,
		Help: "user: uid map, inside:outside:count ranges (outside as nsinspect's user namespace sees it)"},
		need: inspect.Need{Contents: inspect.ReadIDMaps},
		doc: Doc{
			For:    "user",
			JSON:   "array of `{\"inside\",\"outside\",\"count\"}`",
			Readme: "the uid map, `inside:outside:count` ranges in text; outside ids are as nsinspect's own user namespace sees them",
			Man: `user: the user ID map, an array of
.B {"inside","outside","count"}
objects; in text,
.IB inside : outside : count
ranges joined with commas.
Outside IDs are as
.BR nsinspect 's
own user namespace sees them.`,
			Schema:     "user: the uid map; outside ids as nsinspect's user namespace sees them.",
			SchemaMore: `"items": {"$ref": "#/$defs/idRange"}`,
		},
		value: idMap(func(m *inspect.IDMaps) []inspect.IDRange { return m.UID })},
	{Column: render.Column{Name: "GIDMAP", Kind: render.Array, Format: formatIDMap,
		Help: "user: gid map, inside:outside:count ranges"},
		need: inspect.Need{Contents: inspect.ReadIDMaps},
		doc: Doc{
			For:        "user",
			JSON:       "array of `{\"inside\",\"outside\",\"count\"}`",
			Readme:     "the gid map, as UIDMAP",
			Man:        `user: the group ID map, as UIDMAP.`,
			Schema:     "user: the gid map.",
			SchemaMore: `"items": {"$ref": "#/$defs/idRange"}`,
		},
		value: idMap(func(m *inspect.IDMaps) []inspect.IDRange { return m.GID })},
	{Column: render.Column{Name: "CREATOR", Help: "user: the user that created it"},
		relations: true,
		doc: Doc{
			For:    "user",
			Readme: "the user that created it (NS_GET_OWNER_UID)",
			Man:    `user: the user that created it (NS_GET_OWNER_UID).`,
			Schema: "user: the user that created it (NS_GET_OWNER_UID), by name, else the number as a string.",
		},
		value: func(r *Row, e *env) any {
			if r.NS.Type != inspect.User || !r.NS.HasCreator {
				return nil
			}
			return e.userName(r.NS.Creator)
		}},
	{Column: render.Column{Name: "LEVEL", Kind: render.Number, Help: "pid, user: nesting depth, 0 for the initial namespace"},
		relations: true,
		doc: Doc{
			For:    "pid, user",
			Readme: "nesting depth, 0 for the initial namespace (the top nsinspect can see)",
			Man: `pid, user: the nesting depth, 0 for the initial namespace (the top that
.B nsinspect
can see); empty where a namespace on the way could not be asked.`,
			Schema:     "pid, user: nesting depth, 0 for the initial namespace (the top nsinspect can see).",
			SchemaMore: `"minimum": 0`,
		},
		value: func(r *Row, _ *env) any {
			if level, known := r.NS.Level(); known {
				return level
			}
			return nil
		}},
	{Column: render.Column{Name: "IFACES", Kind: render.Array, Help: "net: network interfaces"},
		need: inspect.Need{Contents: inspect.ReadIfaces},
		doc: Doc{
			For:        "net",
			JSON:       "array of strings",
			Readme:     "interface names",
			Man:        `net: the names of the network interfaces.`,
			Schema:     "net: interface names.",
			SchemaMore: `"items": {"type": "string"}`,
		},
		value: func(r *Row, _ *env) any {
			if r.NS.Contents == nil || r.NS.Contents.Ifaces == nil {
				return nil
			}
			return strings2any(r.NS.Contents.Ifaces)
		}},
	{Column: render.Column{Name: "TIMEOFFSETS", Kind: render.Object, Format: formatOffsets,
		Help: "time: clock offsets from the host's, in seconds"},
		need: inspect.Need{Contents: inspect.ReadTimeOffsets},
		doc: Doc{
			For:    "time",
			JSON:   "object `{\"monotonic\",\"boottime\"}`",
			Readme: "clock offsets in seconds, `monotonic=+3600s,boottime=+0s` in text",
			Man: `time: the clock offsets from the host's in seconds, an object
.BR {"monotonic","boottime"} ;
in text
.BR monotonic=+3600s,boottime=+0s .`,
			Schema: "time: clock offsets from the host's, in seconds; fractional where nanoseconds are set.",
			SchemaMore: `"required": ["monotonic", "boottime"],
"additionalProperties": false,
"properties": {
  "monotonic": {"type": "number"},
  "boottime": {"type": "number"}
}`,
		},
		value: func(r *Row, _ *env) any {
			if r.NS.Contents == nil || r.NS.Contents.Offsets == nil {
				return nil
			}
			o := r.NS.Contents.Offsets
			return render.Fields{{Key: "monotonic", Value: seconds(o.Monotonic)}, {Key: "boottime", Value: seconds(o.Boottime)}}
		}},
	{Column: render.Column{Name: "CONTAINER", Help: "container of the PID, engine:name, else engine:shortid"},
		need: inspect.Need{Process: inspect.ReadContainer},
		doc: Doc{
			For:    "any",
			Readme: "the representative's container, `engine:name` where the engine's files name it (`docker:web2`, `podman:web1`, `containerd:default/web3`, `lxc:web6`, `nspawn:web7`), else `engine:shortid`; see Containers",
			Man: `The representative's container, from its cgroup path:
.IB engine : name
where the engine's files on the host name it (docker's
.IR containers/ID/config.v2.json ,
podman's
.IR containers.json ,
containerd's OCI bundle:
.BR containerd: \fInamespace\fP/\fIid\fP
for
.BR "ctr run" ,
the CRI container name in Kubernetes), else
.IB engine : id
(docker, podman, containerd, crio: the first 12 characters of the ID; lxc,
nspawn: the name).
These files are read only, from nsinspect's own mount namespace.`,
			Schema: "The representative's container, engine:name where the engine's files on the host name it, else engine:shortid, from its cgroup path.",
		},
		value: withProc(func(p *inspect.Process) any { return nonEmpty(p.Container) })},
	{Column: render.Column{Name: "CONTAINERID", Help: "full id of the PID's container"},
		need: inspect.Need{Process: inspect.ReadContainer},
		doc: Doc{
			For:    "any",
			Readme: "the full id of the representative's container (lxc, nspawn: the name)",
			Man:    `The full ID of the representative's container (lxc, nspawn: the name).`,
			Schema: "The full id of the representative's container (lxc, nspawn: the name).",
		},
		value: withProc(func(p *inspect.Process) any { return nonEmpty(p.ContainerID) })},
	{Column: render.Column{Name: "POD", Help: "pod of the PID: Kubernetes namespace/name, podman pod name, else UID"},
		need: inspect.Need{Process: inspect.ReadContainer},
		doc: Doc{
			For:    "any",
			Readme: "the representative's pod: `namespace/name` of a Kubernetes pod (CRI annotations), a podman pod's name, else the Kubernetes pod UID or podman pod's short id",
			Man: `The representative's pod:
.IB namespace / name
of a Kubernetes pod where the CRI's annotations in the container's OCI bundle
give them, else its UID from a kubepods cgroup path; a podman pod's name from
podman's database, else its first 12 characters.`,
			Schema: "The representative's pod: namespace/name of a Kubernetes pod, a podman pod's name, else the Kubernetes pod UID or the podman pod's short id.",
		},
		value: withProc(func(p *inspect.Process) any { return nonEmpty(p.Pod) })},
	{Column: render.Column{Name: "ROOT", Help: "mnt: root directory of the PID"},
		need: inspect.Need{Contents: inspect.ReadRoot},
		doc: Doc{
			For:    "mnt",
			Readme: "the representative's root directory as nsinspect's mount namespace sees it: a chroot; a container's root on the host side (overlay's merged directory)",
			Man: `mnt: the representative's root directory as nsinspect's own mount namespace
sees it: a chroot; for a container, the host-side directory of its root
file system (for overlay, the merged directory), found by the device and
root of the mount at its /; empty where no mount of nsinspect's shows it.`,
			Schema: "mnt: the representative's root directory as nsinspect's mount namespace sees it.",
		},
		value: contents(inspect.Mnt, func(c *inspect.Contents) any { return nonEmpty(c.Root) })},
	{Column: render.Column{Name: "MOUNTS", Kind: render.Number, Help: "mnt: number of mounts"},
		need: inspect.Need{Contents: inspect.ReadMounts},
		doc: Doc{
			For:        "mnt",
			Readme:     "mounts in the namespace",
			Man:        `mnt: the number of mounts.`,
			Schema:     "mnt: mounts in the namespace.",
			SchemaMore: `"minimum": 0`,
		},
		value: contents(inspect.Mnt, func(c *inspect.Contents) any {
			if c.Mounts == 0 {
				return nil
			}
			return c.Mounts
		})},
	{Column: render.Column{Name: "IPCOBJS", Kind: render.Object,
		Help: "ipc: System V shared memory segments, semaphore sets and message queues"},
		need: inspect.Need{Contents: inspect.ReadIPC},
		doc: Doc{
			For:    "ipc",
			JSON:   "object `{\"shm\",\"sem\",\"msg\"}`",
			Readme: "System V IPC objects, `shm=1,sem=0,msg=2` in text",
			Man: `ipc: the System V IPC objects, an object
.BR {"shm","sem","msg"} ;
in text
.BR shm=1,sem=0,msg=2 .`,
			Schema: "ipc: System V shared memory segments, semaphore sets and message queues.",
			SchemaMore: `"required": ["shm", "sem", "msg"],
"additionalProperties": false,
"properties": {
  "shm": {"type": "integer", "minimum": 0},
  "sem": {"type": "integer", "minimum": 0},
  "msg": {"type": "integer", "minimum": 0}
}`,
		},
		value: contents(inspect.IPC, func(c *inspect.Contents) any {
			if c.IPC == nil {
				return nil
			}
			return render.Fields{{Key: "shm", Value: c.IPC.Shm}, {Key: "sem", Value: c.IPC.Sem}, {Key: "msg", Value: c.IPC.Msg}}
		})},
	{Column: render.Column{Name: "CGROUPROOT", Help: "cgroup: the cgroup that is its root, as nsinspect's cgroup namespace names it"},
		need: inspect.Need{Contents: inspect.ReadCgroupRoot},
		doc: Doc{
			For:    "cgroup",
			Readme: "the cgroup that is the namespace's root (the unified hierarchy; on v1-only hosts the first named one)",
			Man: `cgroup: the cgroup that is the namespace's root (in the unified hierarchy; on
hosts with cgroup v1 only, the first named one).`,
			Schema: "cgroup: the cgroup that is the namespace's root, as nsinspect's cgroup namespace names it.",
		},
		value: contents(inspect.Cgroup, func(c *inspect.Contents) any { return nonEmpty(c.CgroupRoot) })},
	{Column: render.Column{Name: "HOST", Kind: render.Bool, Help: "whether it is the host's initial namespace of its type"},
		doc: Doc{
			For:    "any",
			Readme: "whether it is the host's initial namespace of its type",
			Man: `Whether it is the host's initial namespace of its type.
The initial user, pid, uts, ipc, cgroup and time namespaces are known by the
inode numbers the kernel fixes for them; the initial network and mount
namespaces are those of kthreadd (PID 2 when it is a kernel thread, not a
process exec'd into a container) or, failing that, of PID 1 when it
is in the initial pid namespace.
Where neither can be read, HOST is empty for net and mnt rather than a guess.`,
			Schema: "Whether it is the host's initial namespace of its type; null where that cannot be told.",
		},
		value: func(r *Row, e *env) any {
			if host, known := e.snap.IsHost(r.NS); known {
				return host
			}
			return nil
		}},
	{Column: render.Column{Name: "NSPID", Kind: render.Array, Format: formatNSpid,
		Help: "PID of the process in each pid namespace it is in, outermost first"},
		need: inspect.Need{Process: inspect.ReadNSpid},
		doc: Doc{
			For:    "process rows",
			JSON:   "array of numbers",
			Readme: "the process's PID in each pid namespace it is in, outermost first, `4711/12/1` in text",
			Man: `The process's PID in each pid namespace it is in, outermost first;
.B 4711/12/1
in text.`,
			Schema: "The process's PID in each pid namespace it is in, outermost first.",
			SchemaMore: `"minItems": 1,
"items": {"type": "integer", "minimum": 1}`,
		},
		value: withProc(func(p *inspect.Process) any {
			if len(p.NSpid) == 0 {
				return nil
			}
			pids := make([]any, len(p.NSpid))
			for i, pid := range p.NSpid {
				pids[i] = pid
			}
			return pids
		})},
}

func uts(f func(*inspect.UTSNames) string) func(*Row, *env) any {
	return contents(inspect.UTS, func(c *inspect.Contents) any {
		if c.UTS == nil {
			return nil
		}
		return f(c.UTS)
	})
}

func idMap(f func(*inspect.IDMaps) []inspect.IDRange) func(*Row, *env) any {
	return contents(inspect.User, func(c *inspect.Contents) any {
		if c.IDMaps == nil {
			return nil
		}
		ranges := f(c.IDMaps)
		items := make([]any, len(ranges))
		for i, r := range ranges {
			items[i] = render.Fields{{Key: "inside", Value: r.Inside}, {Key: "outside", Value: r.Outside}, {Key: "count", Value: r.Count}}
		}
		return items
	})
}

// contents reads a namespace's contents where it is of type t.
func contents(t inspect.Type, f func(*inspect.Contents) any) func(*Row, *env) any {
	return func(r *Row, _ *env) any {
		if r.NS.Type != t || r.NS.Contents == nil {
			return nil
		}
		return f(r.NS.Contents)
	}
}

func strings2any(ss []string) []any {
	items := make([]any, len(ss))
	for i, s := range ss {
		items[i] = s
	}
	return items
}

// seconds is an offset in seconds: an integer, or a float where
// nanoseconds are set.
func seconds(o inspect.Offset) any {
	if o.Nsec == 0 {
		return o.Sec
	}
	return float64(o.Sec) + float64(o.Nsec)/1e9
}

// formatIDMap shows ranges as inside:outside:count, comma-separated.
func formatIDMap(v any) string {
	items := v.([]any)
	parts := make([]string, len(items))
	for i, item := range items {
		o := item.(render.Fields)
		parts[i] = render.Text(o[0].Value) + ":" + render.Text(o[1].Value) + ":" + render.Text(o[2].Value)
	}
	return strings.Join(parts, ",")
}

// formatOffsets shows offsets as monotonic=+3600s,boottime=+0s.
func formatOffsets(v any) string {
	o := v.(render.Fields)
	parts := make([]string, len(o))
	for i, f := range o {
		s := render.Text(f.Value)
		if !strings.HasPrefix(s, "-") {
			s = "+" + s
		}
		parts[i] = f.Key + "=" + s + "s"
	}
	return strings.Join(parts, ",")
}

// formatNSpid shows PIDs outermost first, 4711/12/1.
func formatNSpid(v any) string {
	items := v.([]any)
	parts := make([]string, len(items))
	for i, item := range items {
		parts[i] = strconv.FormatUint(item.(uint64), 10)
	}
	return strings.Join(parts, "/")
}
