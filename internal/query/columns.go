// Package render turns what inspect found into lsns-style tables, raw
// output, trees and JSON. It never touches /proc.
package render

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nsinspect/nsinspect/inspect"
)

// Kind is a column's JSON type.
type Kind uint8

// The JSON types of columns. Scripts depend on them: they do not change.
const (
	String Kind = iota
	Number
	Bool
	Array  // a JSON array; items joined by commas in text
	Object // a JSON object; key=value pairs joined by commas in text
)

func (k Kind) String() string {
	return [...]string{"<string>", "<integer>", "<boolean>", "<array>", "<object>"}[k]
}

// Row is one line of output: a namespace and the process shown for it (its
// representative, or in the process view one of its members).
type Row struct {
	NS       *inspect.Namespace
	Proc     *inspect.Process // nil for a namespace without processes
	Children []*Row
}

// Env is what column values need besides the row.
type Env struct {
	// Root is the scanned proc filesystem, for PATH.
	Root string
	// UserName names a uid; nil shows the number.
	UserName func(uid uint32) string
	// Snapshot answers HOST.
	Snapshot *inspect.Snapshot
}

// userName is the name of uid, else its number.
func userName(e *Env, uid uint32) string {
	if e.UserName == nil {
		return strconv.FormatUint(uint64(uid), 10)
	}
	return e.UserName(uid)
}

// Column is one entry of the column registry, which drives -o, headers,
// alignment, JSON keys and types, and -H.
type Column struct {
	Name string
	Kind Kind
	Help string
	// Hint is libsmartcols's width hint: a column whose cells outgrow its
	// header is widened to Hint, so that lsns's and our tables line up.
	Hint int
	// Trunc columns are cut to the terminal's width.
	Trunc bool
	// TableBytes, where set, is the most of the value that a table shows,
	// in bytes, cut before it is escaped. Raw and JSON output show it all.
	TableBytes int
	// right aligns a string column right, as lsns does NETNSID.
	right bool
	// Need is what inspect must read about the row's process.
	Need inspect.Detail
	// value returns the cell: nil (empty, JSON null), a bool, an integer,
	// a float, a string, a multiline, an []any or an object.
	value func(r *Row, e *Env) any
	// format overrides how text output shows the value.
	format func(v any) string
}

// Text returns the value as text outputs show it, unescaped.
func (c *Column) Text(v any) string {
	if c.format != nil && v != nil {
		return c.format(v)
	}
	return text(v)
}

// Right reports whether the column is right-aligned: numbers are.
func (c *Column) Right() bool { return c.Kind == Number || c.right }

// JSONKey is the column's key in JSON output.
func (c *Column) JSONKey() string { return strings.ToLower(c.Name) }

func withProc(f func(p *inspect.Process) any) func(*Row, *Env) any {
	return func(r *Row, _ *Env) any {
		if r.Proc == nil {
			return nil
		}
		return f(r.Proc)
	}
}

// Columns is the registry, in lsns's order.
var Columns = []*Column{
	{Name: "NS", Kind: Number, Hint: 10, Help: "namespace identifier (inode number)",
		value: func(r *Row, _ *Env) any { return uint64(r.NS.ID) }},
	{Name: "TYPE", Hint: 5, Help: "kind of namespace",
		value: func(r *Row, _ *Env) any { return r.NS.Type.String() }},
	{Name: "PATH", Help: "path to the namespace",
		value: func(r *Row, e *Env) any {
			switch {
			case r.Proc != nil:
				return filepath.Join(e.Root, strconv.Itoa(r.Proc.PID), "ns", r.NS.Type.String())
			case e.Snapshot != nil:
				return nonEmpty(e.Snapshot.Path(r.NS))
			}
			return nil
		}},
	{Name: "NPROCS", Kind: Number, Hint: 5, Help: "number of processes in the namespace",
		value: func(r *Row, e *Env) any {
			// Where processes were refused or hidden, seeing none in a
			// namespace is not seeing that it has none.
			if len(r.NS.Procs) == 0 && e.Snapshot != nil && !e.Snapshot.Complete() {
				return nil
			}
			return len(r.NS.Procs)
		}},
	{Name: "PID", Kind: Number, Hint: 5, Help: "lowest PID in the namespace",
		value: withProc(func(p *inspect.Process) any { return p.PID })},
	{Name: "PPID", Kind: Number, Hint: 5, Help: "PPID of the PID", Need: inspect.DetailPPID,
		value: withProc(func(p *inspect.Process) any { return p.PPID })},
	{Name: "COMMAND", Trunc: true, TableBytes: lsnsCommandBytes, Help: "command line of the PID", Need: inspect.DetailCommand,
		value: withProc(func(p *inspect.Process) any { return p.Command })},
	{Name: "UID", Kind: Number, Help: "UID of the PID", Need: inspect.DetailRelations,
		value: func(r *Row, _ *Env) any {
			if uid, ok := rowUID(r); ok {
				return uid
			}
			return nil
		}},
	{Name: "USER", Help: "username of the PID", Need: inspect.DetailRelations,
		value: func(r *Row, e *Env) any {
			uid, ok := rowUID(r)
			if !ok {
				return nil
			}
			return userName(e, uid)
		}},
	{Name: "NETNSID", right: true, Help: "namespace ID as used by network subsystem", Need: inspect.DetailNetNSID,
		value: func(r *Row, _ *Env) any {
			switch {
			case !r.NS.HasNetNSID:
				return nil
			case r.NS.NetNSID < 0: // NETNSA_NSID_NOT_ASSIGNED
				return "unassigned"
			}
			return strconv.Itoa(r.NS.NetNSID)
		}},
	{Name: "NSFS", Help: "nsfs mountpoint (usually used network subsystem)",
		value: func(r *Row, _ *Env) any {
			var paths multiline
			for _, h := range r.NS.Holders {
				if h.Kind == inspect.HeldByMount && !slices.Contains(paths, h.Path) {
					paths = append(paths, h.Path)
				}
			}
			if len(paths) == 0 {
				return nil
			}
			return paths
		}},
	{Name: "PNS", Kind: Number, Hint: 10, Help: "parent namespace identifier (inode number)", Need: inspect.DetailRelations,
		value: func(r *Row, _ *Env) any { return related(r.NS, r.NS.Parent) }},
	{Name: "ONS", Kind: Number, Hint: 10, Help: "owner namespace identifier (inode number)", Need: inspect.DetailRelations,
		value: func(r *Row, _ *Env) any { return related(r.NS, r.NS.Owner) }},
}

// lsnsCommandBytes is the most of a command line that lsns shows, in every
// output: it reads cmdline into a buffer of BUFSIZ (8192) bytes and ends the
// text with a NUL in its last byte (lib/procfs.c, 2.38 to 2.42). Tables cut
// COMMAND there too, so that one long command line does not make nsinspect's
// table wider than lsns's, nor every line of it with --output-all, where
// COMMAND is padded.
const lsnsCommandBytes = 8191

// multiline is a cell of several values, one per line in tables, joined by
// commas with -W and -r, one string in JSON as in lsns.
type multiline []string

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
// uid that created its owning user namespace (for a user namespace, itself),
// which is who may administer it. lsns shows 0 there for all but user
// namespaces.
func rowUID(r *Row) (uint32, bool) {
	if r.Proc != nil {
		return r.Proc.UID, true
	}
	owner := r.NS.Owner
	if r.NS.Type == inspect.User {
		owner = r.NS
	}
	if owner == nil || !owner.HasCreator {
		return 0, false
	}
	return owner.Creator, true
}

// ColumnByName returns the registry's column of that name, case-insensitively.
func ColumnByName(name string) (*Column, error) {
	for _, c := range Columns {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("unknown column: %s", name)
}

// MustColumns returns the named columns; the names must be in the registry.
func MustColumns(names ...string) []*Column {
	cols := make([]*Column, len(names))
	for i, n := range names {
		c, err := ColumnByName(n)
		if err != nil {
			panic(err)
		}
		cols[i] = c
	}
	return cols
}

// ParseColumns reads an -o list: comma-separated names, or "+names" to
// append them to defaults.
func ParseColumns(list string, defaults []*Column) ([]*Column, error) {
	var cols []*Column
	if rest, ok := strings.CutPrefix(list, "+"); ok {
		cols = append(cols, defaults...)
		list = rest
	}
	for _, name := range strings.Split(list, ",") {
		if name == "" {
			return nil, fmt.Errorf("empty column name in %q", list)
		}
		c, err := ColumnByName(name)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// Needs returns what inspect must read about the processes shown in cols.
func Needs(cols []*Column) inspect.Detail {
	var d inspect.Detail
	for _, c := range cols {
		d |= c.Need
	}
	return d
}

// object is a JSON object with its keys in order.
type object []field

type field struct {
	key   string
	value any
}

// text formats a cell value for the text outputs, unescaped.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		items := make([]string, len(v))
		for i, item := range v {
			items[i] = text(item)
		}
		return strings.Join(items, ",")
	case object:
		items := make([]string, len(v))
		for i, f := range v {
			items[i] = f.key + "=" + text(f.value)
		}
		return strings.Join(items, ",")
	case int:
		return strconv.Itoa(v)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	default:
		return fmt.Sprint(v)
	}
}
