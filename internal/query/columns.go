package query

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/render"
)

// Row is a line of output before it is printed: a namespace and the process
// shown for it (its representative, or in the process view one of its
// members), and the rows nested under it.
type Row struct {
	NS       *inspect.Namespace
	Proc     *inspect.Process // nil for a namespace without processes
	Children []*Row
}

// env is what column values need besides the row.
type env struct {
	snap     *inspect.Snapshot
	userName func(uid uint32) string
	// lsns shows values as lsns 2.42.2 does where nsinspect says more.
	lsns bool
}

// column is an entry of the registry: how it prints, what inspect must read
// for it (what Fill reads, and whether it shows relations, which Relate
// reads), what the documentation says of it, and its value for a row.
type column struct {
	render.Column
	need      inspect.Need
	relations bool
	doc       Doc
	// value returns the cell: nil (empty, JSON null), a bool, an integer,
	// a float, a string, render.Lines, an []any or render.Fields.
	value func(r *Row, e *env) any
}

func withProc(f func(p *inspect.Process) any) func(*Row, *env) any {
	return func(r *Row, _ *env) any {
		if r.Proc == nil {
			return nil
		}
		return f(r.Proc)
	}
}

// The columns the planner refers to by handle.
var (
	colNS = &column{Column: render.Column{Name: "NS", Kind: render.Number, Hint: 10, Help: "namespace identifier (inode number)"},
		doc: Doc{
			Readme:     "the namespace's inode number",
			Man:        `The namespace's inode number.`,
			Schema:     "The namespace's inode number, the number in net:[4026531993].",
			SchemaMore: `"minimum": 0`,
		},
		value: func(r *Row, _ *env) any { return uint64(r.NS.ID) }}
	colCommand = &column{
		Column: render.Column{Name: "COMMAND", Trunc: true, TableBytes: lsnsCommandBytes, Help: "command line of the PID"},
		need:   inspect.Need{Process: inspect.ReadCommand},
		doc: Doc{
			Readme: "the representative's command line (at most its first 128 KiB; tables show 8191 bytes, as lsns), or its comm name when that is empty",
			Man:    `The representative's command line, or its command name when that is empty.`,
			Schema: "The representative's command line, or its comm name when that is empty; the process's exact text, but bytes that are not UTF-8 become U+FFFD.",
		},
		value: func(r *Row, e *env) any {
			switch {
			case r.Proc == nil:
				return nil
			case e.lsns && len(r.Proc.Command) > lsnsCommandBytes:
				return r.Proc.Command[:lsnsCommandBytes] // in every output
			}
			return r.Proc.Command
		}}
	colNSFS = &column{Column: render.Column{Name: "NSFS", Help: "nsfs mountpoint (usually used network subsystem)"},
		doc: Doc{
			Readme: "nsfs bind mounts of the namespace (`/run/netns/NAME`), in every mount namespace, as seen inside it; one per line (commas with `-W`, `-r`)",
			Man: `The nsfs bind mounts of the namespace (such as
.IR /run/netns/ name ),
in every mount namespace, as seen inside it; one per line, joined with commas
with
.B \-\-nowrap
and
.BR \-\-raw .`,
			Schema: "nsfs bind mounts of the namespace (/run/netns/NAME), as seen inside their mount namespaces; several are joined by a newline (a comma with -W).",
		},
		value: func(r *Row, _ *env) any {
			var paths render.Lines
			for _, h := range r.NS.Holders {
				if h.Kind == inspect.HeldByMount && !slices.Contains(paths, h.Path) {
					paths = append(paths, h.Path)
				}
			}
			if len(paths) == 0 {
				return nil
			}
			return paths
		}}
)

// lsnsColumns are lsns's columns, in its order.
var lsnsColumns = []*column{
	colNS,
	{Column: render.Column{Name: "TYPE", Hint: 5, Help: "kind of namespace"},
		doc: Doc{
			Readme:     "mnt, net, pid, uts, ipc, user, cgroup, time",
			Man:        `The kind of namespace: mnt, net, pid, uts, ipc, user, cgroup or time.`,
			Schema:     "The kind of namespace.",
			SchemaMore: `"enum": ["mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time", null]`,
		},
		value: func(r *Row, _ *env) any { return r.NS.Type.String() }},
	{Column: render.Column{Name: "PATH", Help: "path to the namespace"},
		doc: Doc{
			Readme: "`/proc/PID/ns/TYPE` of the representative process",
			Man: `.IR /proc/ pid /ns/ type
of the representative process.`,
			Schema: "/proc/PID/ns/TYPE of the representative; for a namespace without processes, a path that holds it (a bind mount, or /proc/PID/fd/N of an fd); null where none does (only a socket or a relation keeps it).",
		},
		value: func(r *Row, e *env) any {
			switch {
			case r.Proc != nil:
				return filepath.Join(e.snap.Root, strconv.Itoa(r.Proc.PID), "ns", r.NS.Type.String())
			case e.lsns:
				return nil // lsns names no path to open it by
			}
			return nonEmpty(e.snap.Path(r.NS))
		}},
	{Column: render.Column{Name: "NPROCS", Kind: render.Number, Hint: 5, Help: "number of processes in the namespace"},
		doc: Doc{
			Readme: "processes in the namespace; where processes could not be read, a lower bound, and empty (null) for a namespace in which none was seen (see Partial views)",
			Man: `The number of processes in the namespace.
Where processes could not be read (see
.BR "Partial views" ),
a lower bound, and empty (null in JSON) for a namespace in which no process
was seen.`,
			Schema:     "Processes in the namespace (tasks, with --threads). Where processes could not be read, a lower bound, and null where none was seen.",
			SchemaMore: `"minimum": 0`,
		},
		value: func(r *Row, e *env) any {
			// Where processes were refused or hidden, seeing none in a
			// namespace is not seeing that it has none.
			if len(r.NS.Procs) == 0 && !e.snap.Complete() && !e.lsns {
				return nil
			}
			return len(r.NS.Procs)
		}},
	{Column: render.Column{Name: "PID", Kind: render.Number, Hint: 5, Help: "lowest PID in the namespace"},
		doc: Doc{
			Readme:     "the lowest PID in the namespace, its representative",
			Man:        `The lowest PID in the namespace: its representative.`,
			Schema:     "The representative: the lowest PID in the namespace.",
			SchemaMore: `"minimum": 0`,
		},
		value: withProc(func(p *inspect.Process) any { return p.PID })},
	{Column: render.Column{Name: "PPID", Kind: render.Number, Hint: 5, Help: "PPID of the PID"},
		need: inspect.Need{Process: inspect.ReadPPID},
		doc: Doc{
			Readme:     "the representative's parent",
			Man:        `The representative's parent.`,
			Schema:     "The representative's parent.",
			SchemaMore: `"minimum": 0`,
		},
		value: withProc(func(p *inspect.Process) any { return p.PPID })},
	colCommand,
	// A namespace without processes has its owner's creator as UID; the
	// owners of such namespaces are always related (rows).
	{Column: render.Column{Name: "UID", Kind: render.Number, Help: "UID of the PID"},
		doc: Doc{
			Readme: "owner of `/proc/PID`: the process's effective uid (root for non-dumpable processes); for a namespace without processes, the uid that created its owning user namespace (lsns shows 0)",
			Man: `The owner of
.IR /proc/ pid :
the process's effective user ID (root for a process that is not dumpable).
For a namespace without processes, the user ID that created its owning user
namespace
.RB ( lsns
shows 0).`,
			Schema: "Owner of /proc/PID; for a namespace without processes, the uid that created its owning user namespace.",
			SchemaMore: `"minimum": 0,
"maximum": 4294967295`,
		},
		value: func(r *Row, _ *env) any {
			if uid, ok := rowUID(r); ok {
				return uid
			}
			return nil
		}},
	{Column: render.Column{Name: "USER", Help: "username of the PID"},
		doc: Doc{
			Readme: "the UID's name, else the number",
			Man:    `The name of UID, or else the number.`,
			Schema: "The uid's name, else the number as a string.",
		},
		value: func(r *Row, e *env) any {
			if uid, ok := rowUID(r); ok {
				return e.userName(uid)
			}
			return nil
		}},
	{Column: render.Column{Name: "NETNSID", AlignRight: true, Help: "namespace ID as used by network subsystem"},
		need: inspect.Need{NetNSID: true},
		doc: Doc{
			Readme: "the id nsinspect's network namespace gives this network namespace (`ip link`'s link-netnsid), `unassigned` if none",
			Man: `The ID that
.BR nsinspect 's
network namespace gives this network namespace (the link-netnsid of
.BR "ip link" ),
.B unassigned
if none.`,
			Schema:     "net: the id that nsinspect's network namespace gives this one (ip link's link-netnsid), a string as in lsns; \"unassigned\" if none.",
			SchemaMore: `"pattern": "^(unassigned|[0-9]+)$"`,
		},
		value: func(r *Row, _ *env) any {
			switch {
			case !r.NS.HasNetNSID:
				return nil
			case r.NS.NetNSID == inspect.NetNSIDUnassigned:
				return "unassigned"
			}
			return strconv.Itoa(r.NS.NetNSID)
		}},
	colNSFS,
	{Column: render.Column{Name: "PNS", Kind: render.Number, Hint: 10, Help: "parent namespace identifier (inode number)"},
		relations: true,
		doc: Doc{
			Readme: "parent namespace (pid and user), 0 if none or not visible",
			Man: `The parent namespace (pid and user namespaces), 0 if none or not visible;
empty where the kernel could not be asked (the namespace went away during
the scan).`,
			Schema:     "pid, user: the parent namespace's inode, 0 if none or not visible.",
			SchemaMore: `"minimum": 0`,
		},
		value: func(r *Row, _ *env) any { return related(r.NS, r.NS.Parent) }},
	{Column: render.Column{Name: "ONS", Kind: render.Number, Hint: 10, Help: "owner namespace identifier (inode number)"},
		relations: true,
		doc: Doc{
			Readme: "owning user namespace, 0 if not visible",
			Man: `The owning user namespace, 0 if not visible; empty where the kernel could
not be asked.`,
			Schema:     "The owning user namespace's inode, 0 if not visible.",
			SchemaMore: `"minimum": 0`,
		},
		value: func(r *Row, _ *env) any { return related(r.NS, r.NS.Owner) }},
}

// registry is every column: lsns's, then what is inside namespaces.
var registry = slices.Concat(lsnsColumns, contentColumns)

// lsnsCommandBytes is the most of a command line that lsns shows, in every
// output: it reads cmdline into a buffer of BUFSIZ (8192) bytes and ends the
// text with a NUL in its last byte (lib/procfs.c, 2.38 to 2.42). Tables cut
// COMMAND there too, so that one long command line does not make nsinspect's
// table wider than lsns's, nor every line of it with --output-all, where
// COMMAND is padded.
const lsnsCommandBytes = 8191

// related is the inode of ns's relative rel, 0 for none, as lsns prints it,
// and empty where the kernel could not be asked (ns gone since the scan).
func related(ns, rel *inspect.Namespace) any {
	switch {
	case !ns.Related():
		return nil
	case rel == nil:
		return uint64(0)
	}
	return uint64(rel.ID)
}

// rowUID is the row process's uid; for a namespace without processes, the
// uid that may administer it.
func rowUID(r *Row) (uint32, bool) {
	if r.Proc != nil {
		return r.Proc.UID, true
	}
	return r.NS.AdminUID()
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Columns returns how every column prints, in the registry's order: for -H,
// the manual page and the schema.
func Columns() []*render.Column { return printed(registry) }

// LsnsColumns returns how lsns's columns print, in its order: for -H as
// lsns.
func LsnsColumns() []*render.Column { return printed(lsnsColumns) }

// InsideColumns names the columns read only from inside a namespace, by
// entering it: empty where it cannot be entered.
func InsideColumns() []string {
	var names []string
	for _, c := range registry {
		if c.need.Contents&inspect.ReadInside != 0 {
			names = append(names, c.Name)
		}
	}
	return names
}

func printed(cols []*column) []*render.Column {
	out := make([]*render.Column, len(cols))
	for i, c := range cols {
		out[i] = &c.Column
	}
	return out
}

// columnByName returns the registry's column of that name, case-insensitively.
func columnByName(name string) (*column, error) {
	for _, c := range registry {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("unknown column: %s", name)
}

// parseColumns reads an -o list: comma-separated names, or "+names" to
// append them to defaults.
func parseColumns(list string, defaults []*column) ([]*column, error) {
	var cols []*column
	if rest, ok := strings.CutPrefix(list, "+"); ok {
		cols = append(cols, defaults...)
		list = rest
	}
	for _, name := range strings.Split(list, ",") {
		if name == "" {
			return nil, fmt.Errorf("empty column name in %q", list)
		}
		c, err := columnByName(name)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// needOf returns what Fill must read for cols.
func needOf(cols []*column) inspect.Need {
	var n inspect.Need
	for _, c := range cols {
		n = n.Union(c.need)
	}
	return n
}

// relationsOf reports whether any of cols shows relations.
func relationsOf(cols []*column) bool {
	return slices.ContainsFunc(cols, func(c *column) bool { return c.relations })
}
