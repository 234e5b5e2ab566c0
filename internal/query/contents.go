package render

import (
	"strconv"
	"strings"

	"github.com/nsinspect/nsinspect/inspect"
)

// The columns that show what is inside a namespace. Each is read only when
// asked for, once per namespace, and is empty for other types.
func init() {
	Columns = append(Columns,
		&Column{Name: "HOSTNAME", Need: inspect.DetailUTS, Help: "uts: host name",
			value: uts(func(u *inspect.UTSNames) string { return u.Hostname })},
		&Column{Name: "DOMAINNAME", Need: inspect.DetailUTS, Help: "uts: NIS domain name",
			value: uts(func(u *inspect.UTSNames) string { return u.Domainname })},
		&Column{Name: "UIDMAP", Kind: Array, Need: inspect.DetailIDMaps, format: formatIDMap,
			Help:  "user: uid map, inside:outside:count ranges (outside as nsinspect's user namespace sees it)",
			value: idMap(func(m *inspect.IDMaps) []inspect.IDRange { return m.UID })},
		&Column{Name: "GIDMAP", Kind: Array, Need: inspect.DetailIDMaps, format: formatIDMap,
			Help:  "user: gid map, inside:outside:count ranges",
			value: idMap(func(m *inspect.IDMaps) []inspect.IDRange { return m.GID })},
		&Column{Name: "CREATOR", Need: inspect.DetailRelations, Help: "user: the user that created it",
			value: func(r *Row, e *Env) any {
				if r.NS.Type != inspect.User || !r.NS.HasCreator {
					return nil
				}
				return userName(e, r.NS.Creator)
			}},
		&Column{Name: "LEVEL", Kind: Number, Need: inspect.DetailRelations,
			Help: "pid, user: nesting depth, 0 for the initial namespace",
			value: func(r *Row, _ *Env) any {
				if r.NS.Type != inspect.PID && r.NS.Type != inspect.User {
					return nil
				}
				// Counted up to the top we can see; unknown where a
				// namespace on the way could not be asked.
				level := 0
				for ns := r.NS; ; ns = ns.Parent {
					if !ns.Related() || level > 64 {
						return nil
					}
					if ns.Parent == nil {
						return level
					}
					level++
				}
			}},
		&Column{Name: "IFACES", Kind: Array, Need: inspect.DetailIfaces, Help: "net: network interfaces",
			value: func(r *Row, _ *Env) any {
				if r.NS.Contents == nil || r.NS.Contents.Ifaces == nil {
					return nil
				}
				return strings2any(r.NS.Contents.Ifaces)
			}},
		&Column{Name: "TIMEOFFSETS", Kind: Object, Need: inspect.DetailTimeOffsets, format: formatOffsets,
			Help: "time: clock offsets from the host's, in seconds",
			value: func(r *Row, _ *Env) any {
				if r.NS.Contents == nil || r.NS.Contents.Offsets == nil {
					return nil
				}
				o := r.NS.Contents.Offsets
				return object{{"monotonic", seconds(o.Monotonic)}, {"boottime", seconds(o.Boottime)}}
			}},
		&Column{Name: "CONTAINER", Need: inspect.DetailCgroup,
			Help:  "container of the PID, engine:id, from its cgroup",
			value: withProc(func(p *inspect.Process) any { return nonEmpty(p.Container) })},
		&Column{Name: "POD", Need: inspect.DetailCgroup, Help: "Kubernetes pod UID of the PID, from its cgroup",
			value: withProc(func(p *inspect.Process) any { return nonEmpty(p.Pod) })},
		&Column{Name: "ROOT", Need: inspect.DetailRoot, Help: "mnt: root directory of the PID",
			value: contents(inspect.Mnt, func(c *inspect.Contents) any { return nonEmpty(c.Root) })},
		&Column{Name: "MOUNTS", Kind: Number, Need: inspect.DetailMounts, Help: "mnt: number of mounts",
			value: contents(inspect.Mnt, func(c *inspect.Contents) any {
				if c.Mounts == 0 {
					return nil
				}
				return c.Mounts
			})},
		&Column{Name: "IPCOBJS", Kind: Object, Need: inspect.DetailIPC,
			Help: "ipc: System V shared memory segments, semaphore sets and message queues",
			value: contents(inspect.IPC, func(c *inspect.Contents) any {
				if c.IPC == nil {
					return nil
				}
				return object{{"shm", c.IPC.Shm}, {"sem", c.IPC.Sem}, {"msg", c.IPC.Msg}}
			})},
		&Column{Name: "CGROUPROOT", Need: inspect.DetailCgroupRoot,
			Help:  "cgroup: the cgroup that is its root, as nsinspect's cgroup namespace names it",
			value: contents(inspect.Cgroup, func(c *inspect.Contents) any { return nonEmpty(c.CgroupRoot) })},
		&Column{Name: "HOST", Kind: Bool, Need: inspect.DetailHost,
			Help: "whether it is the host's initial namespace of its type",
			value: func(r *Row, e *Env) any {
				if e.Snapshot == nil {
					return nil
				}
				if host, known := e.Snapshot.IsHost(r.NS); known {
					return host
				}
				return nil
			}},
		&Column{Name: "NSPID", Kind: Array, Need: inspect.DetailNSpid, format: formatNSpid,
			Help: "PID of the process in each pid namespace it is in, outermost first",
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
	)
}

func uts(f func(*inspect.UTSNames) string) func(*Row, *Env) any {
	return contents(inspect.UTS, func(c *inspect.Contents) any {
		if c.UTS == nil {
			return nil
		}
		return f(c.UTS)
	})
}

func idMap(f func(*inspect.IDMaps) []inspect.IDRange) func(*Row, *Env) any {
	return contents(inspect.User, func(c *inspect.Contents) any {
		if c.IDMaps == nil {
			return nil
		}
		ranges := f(c.IDMaps)
		items := make([]any, len(ranges))
		for i, r := range ranges {
			items[i] = object{{"inside", r.Inside}, {"outside", r.Outside}, {"count", r.Count}}
		}
		return items
	})
}

// contents reads a namespace's contents where it is of type t.
func contents(t inspect.Type, f func(*inspect.Contents) any) func(*Row, *Env) any {
	return func(r *Row, _ *Env) any {
		if r.NS.Type != t || r.NS.Contents == nil {
			return nil
		}
		return f(r.NS.Contents)
	}
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
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
		o := item.(object)
		parts[i] = text(o[0].value) + ":" + text(o[1].value) + ":" + text(o[2].value)
	}
	return strings.Join(parts, ",")
}

// formatOffsets shows offsets as monotonic=+3600s,boottime=+0s.
func formatOffsets(v any) string {
	o := v.(object)
	parts := make([]string, len(o))
	for i, f := range o {
		s := text(f.value)
		if !strings.HasPrefix(s, "-") {
			s = "+" + s
		}
		parts[i] = f.key + "=" + s + "s"
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
