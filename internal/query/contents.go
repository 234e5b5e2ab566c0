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
		need:  inspect.Need{Contents: inspect.ReadUTS},
		value: uts(func(u *inspect.UTSNames) string { return u.Hostname })},
	{Column: render.Column{Name: "DOMAINNAME", Help: "uts: NIS domain name"},
		need:  inspect.Need{Contents: inspect.ReadUTS},
		value: uts(func(u *inspect.UTSNames) string { return u.Domainname })},
	{Column: render.Column{Name: "UIDMAP", Kind: render.Array, Format: formatIDMap,
		Help: "user: uid map, inside:outside:count ranges (outside as nsinspect's user namespace sees it)"},
		need:  inspect.Need{Contents: inspect.ReadIDMaps},
		value: idMap(func(m *inspect.IDMaps) []inspect.IDRange { return m.UID })},
	{Column: render.Column{Name: "GIDMAP", Kind: render.Array, Format: formatIDMap,
		Help: "user: gid map, inside:outside:count ranges"},
		need:  inspect.Need{Contents: inspect.ReadIDMaps},
		value: idMap(func(m *inspect.IDMaps) []inspect.IDRange { return m.GID })},
	{Column: render.Column{Name: "CREATOR", Help: "user: the user that created it"},
		relations: true,
		value: func(r *Row, e *env) any {
			if r.NS.Type != inspect.User || !r.NS.HasCreator {
				return nil
			}
			return e.userName(r.NS.Creator)
		}},
	{Column: render.Column{Name: "LEVEL", Kind: render.Number, Help: "pid, user: nesting depth, 0 for the initial namespace"},
		relations: true,
		value: func(r *Row, _ *env) any {
			if level, known := r.NS.Level(); known {
				return level
			}
			return nil
		}},
	{Column: render.Column{Name: "IFACES", Kind: render.Array, Help: "net: network interfaces"},
		need: inspect.Need{Contents: inspect.ReadIfaces},
		value: func(r *Row, _ *env) any {
			if r.NS.Contents == nil || r.NS.Contents.Ifaces == nil {
				return nil
			}
			return strings2any(r.NS.Contents.Ifaces)
		}},
	{Column: render.Column{Name: "TIMEOFFSETS", Kind: render.Object, Format: formatOffsets,
		Help: "time: clock offsets from the host's, in seconds"},
		need: inspect.Need{Contents: inspect.ReadTimeOffsets},
		value: func(r *Row, _ *env) any {
			if r.NS.Contents == nil || r.NS.Contents.Offsets == nil {
				return nil
			}
			o := r.NS.Contents.Offsets
			return render.Fields{{Key: "monotonic", Value: seconds(o.Monotonic)}, {Key: "boottime", Value: seconds(o.Boottime)}}
		}},
	{Column: render.Column{Name: "CONTAINER", Help: "container of the PID, engine:name, else engine:shortid"},
		need:  inspect.Need{Process: inspect.ReadContainer},
		value: withProc(func(p *inspect.Process) any { return nonEmpty(p.Container) })},
	{Column: render.Column{Name: "CONTAINERID", Help: "full id of the PID's container"},
		need:  inspect.Need{Process: inspect.ReadContainer},
		value: withProc(func(p *inspect.Process) any { return nonEmpty(p.ContainerID) })},
	{Column: render.Column{Name: "POD", Help: "pod of the PID: Kubernetes namespace/name, podman pod name, else UID"},
		need:  inspect.Need{Process: inspect.ReadContainer},
		value: withProc(func(p *inspect.Process) any { return nonEmpty(p.Pod) })},
	{Column: render.Column{Name: "ROOT", Help: "mnt: root directory of the PID"},
		need:  inspect.Need{Contents: inspect.ReadRoot},
		value: contents(inspect.Mnt, func(c *inspect.Contents) any { return nonEmpty(c.Root) })},
	{Column: render.Column{Name: "MOUNTS", Kind: render.Number, Help: "mnt: number of mounts"},
		need: inspect.Need{Contents: inspect.ReadMounts},
		value: contents(inspect.Mnt, func(c *inspect.Contents) any {
			if c.Mounts == 0 {
				return nil
			}
			return c.Mounts
		})},
	{Column: render.Column{Name: "IPCOBJS", Kind: render.Object,
		Help: "ipc: System V shared memory segments, semaphore sets and message queues"},
		need: inspect.Need{Contents: inspect.ReadIPC},
		value: contents(inspect.IPC, func(c *inspect.Contents) any {
			if c.IPC == nil {
				return nil
			}
			return render.Fields{{Key: "shm", Value: c.IPC.Shm}, {Key: "sem", Value: c.IPC.Sem}, {Key: "msg", Value: c.IPC.Msg}}
		})},
	{Column: render.Column{Name: "CGROUPROOT", Help: "cgroup: the cgroup that is its root, as nsinspect's cgroup namespace names it"},
		need:  inspect.Need{Contents: inspect.ReadCgroupRoot},
		value: contents(inspect.Cgroup, func(c *inspect.Contents) any { return nonEmpty(c.CgroupRoot) })},
	{Column: render.Column{Name: "HOST", Kind: render.Bool, Help: "whether it is the host's initial namespace of its type"},
		value: func(r *Row, e *env) any {
			if host, known := e.snap.IsHost(r.NS); known {
				return host
			}
			return nil
		}},
	{Column: render.Column{Name: "NSPID", Kind: render.Array, Format: formatNSpid,
		Help: "PID of the process in each pid namespace it is in, outermost first"},
		need: inspect.Need{Process: inspect.ReadNSpid},
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
