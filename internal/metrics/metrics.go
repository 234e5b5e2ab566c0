// Package metrics turns a scan into Prometheus metrics in the text
// exposition format, for node_exporter's textfile collector: a fleet-wide
// view of namespaces, and above all of the namespaces that no process is in
// any more.
//
// Every series is written on every scan, zeros included: for each of the
// eight types, and for each type and holder kind. An alert on a series that
// is absent until the first leak would need absent() around it.
package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nsinspect/nsinspect/inspect"
)

// The values of the held_by label, indexed by inspect.HolderKind, and the
// one for a namespace that nothing but a related namespace keeps alive.
var holderKinds = [...]string{
	inspect.HeldByMount:  "mount",
	inspect.HeldByFD:     "fd",
	inspect.HeldBySocket: "socket",
}

const heldByNone = "none"

// heldBy names what keeps a namespace without processes alive: its first
// holder. With none, it is a ghost: the kernel keeps a user or pid namespace
// as long as a namespace it owns or parents lives. A holder kind added to
// inspect but not to holderKinds counts as none: add it there.
func heldBy(ns *inspect.Namespace) string {
	if len(ns.Holders) == 0 || int(ns.Holders[0].Kind) >= len(holderKinds) {
		return heldByNone
	}
	return holderKinds[ns.Holders[0].Kind]
}

// Write writes the metrics of s in the Prometheus text format; scan is how
// long the scan took. s should be a scan of every type with
// inspect.Options.FindHolders set, or namespaces without processes are missing;
// ghosts (held_by="none") are counted only where the caller related the
// namespaces first (Snapshot.Relate), since only that finds them.
//
// With inspect.Options.Threads, the processes counted are tasks.
func Write(w io.Writer, s *inspect.Snapshot, scan time.Duration) error {
	var b bytes.Buffer
	for _, f := range families(s, scan) {
		f.write(&b)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	return nil
}

// WriteFile writes the metrics of s, as Write does, to path, which should end
// in ".prom" and be in node_exporter's --collector.textfile.directory. It
// writes a temporary file next to path and renames it, so that
// node_exporter never reads a half-written file.
func WriteFile(path string, s *inspect.Snapshot, scan time.Duration) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory: name a file in it, such as %s",
			path, filepath.Join(path, "nsinspect.prom"))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	defer os.Remove(tmp.Name()) // after a rename, there is nothing to remove
	if err := Write(tmp, s, scan); err != nil {
		tmp.Close()
		return err
	}
	// The textfile collector runs as another user: readable by all, as
	// client_golang's WriteToTextfile made it.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the temporary file's name from an error: the user named
// the target.
func unwrapPath(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// family is one metric: its series by label values, written as gauges in
// the text exposition format.
type family struct {
	name, help string
	labels     []string
	series     map[string]*series // by label values joined with NUL
}

type series struct {
	values []string
	value  float64
}

// newFamily makes a family with the given labels, which must be in
// lexical order, as the text format's writers put them.
func newFamily(name, help string, labels ...string) *family {
	return &family{name: name, help: help, labels: labels, series: map[string]*series{}}
}

// with returns the series of the label values, made at 0 if new.
func (f *family) with(values ...string) *series {
	key := strings.Join(values, "\x00")
	s := f.series[key]
	if s == nil {
		s = &series{values: values}
		f.series[key] = s
	}
	return s
}

// write writes f as the text format has it, series sorted by label values.
func (f *family) write(b *bytes.Buffer) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s gauge\n", f.name, helpEscaper.Replace(f.help), f.name)
	for _, key := range slices.Sorted(maps.Keys(f.series)) {
		s := f.series[key]
		b.WriteString(f.name)
		if len(f.labels) > 0 {
			b.WriteByte('{')
			for i, l := range f.labels {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(b, "%s=\"%s\"", l, valueEscaper.Replace(s.values[i]))
			}
			b.WriteByte('}')
		}
		b.WriteByte(' ')
		b.WriteString(strconv.FormatFloat(s.value, 'g', -1, 64))
		b.WriteByte('\n')
	}
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// families are s's metrics, sorted by name.
func families(s *inspect.Snapshot, scan time.Duration) []*family {
	namespaces := newFamily("nsinspect_namespaces",
		"Namespaces by type, with or without processes.", "type")
	members := newFamily("nsinspect_namespace_processes",
		"Processes in the namespaces of a type, summed over them: the processes whose link of that type could be read.", "type")
	empty := newFamily("nsinspect_namespaces_without_processes",
		"Namespaces that no process is in, by type and by what keeps them alive, the first holder found: "+
			"mount (an nsfs bind mount such as ip netns add makes), fd (an open file descriptor), "+
			"socket (a socket created in it), none (only a namespace it parents or owns; counted when relations are read). "+
			"Network namespaces leaked on Kubernetes nodes, left behind when a CNI plugin or runtime fails to "+
			"tear a pod down, are a known operational problem: they show here as net held by mount or socket.",
		"held_by", "type")
	unknown := newFamily("nsinspect_namespaces_processes_unknown",
		"Namespaces in which no process was seen while processes were refused or hidden (nsinspect_incomplete 1), "+
			"by type and by what keeps them alive, as nsinspect_namespaces_without_processes: they may have processes "+
			"or not, and are not counted there.",
		"held_by", "type")
	incomplete := newFamily("nsinspect_incomplete",
		"1 where the scan may have missed processes: some were refused (nsinspect_unreadable_processes) or hidden "+
			"by the hidepid= of the proc filesystem (counted nowhere), and nsinspect lacks CAP_SYS_PTRACE in the initial "+
			"user namespace. The process counts are then lower bounds. 0 for root with that capability, "+
			"whom only processes that refuse even root (PID 1 of some sandboxes) are refused.")
	processes := newFamily("nsinspect_processes", "Processes scanned (tasks, with --threads).")
	unreadable := newFamily("nsinspect_unreadable_processes",
		"Processes whose namespace links were refused, in whole or in part (EACCES, EPERM). Processes that hidepid= "+
			"keeps out of the listing are not counted: nsinspect_incomplete says whether the view is complete.")
	duration := newFamily("nsinspect_scan_duration_seconds", "How long the scan took, in seconds.")

	// Every series exists from the start, at 0, so that it is written on
	// every scan.
	for t := range inspect.NumTypes {
		typ := inspect.Type(t).String()
		namespaces.with(typ)
		members.with(typ)
		for _, h := range append(holderKinds[:], heldByNone) {
			empty.with(h, typ)
			unknown.with(h, typ)
		}
	}
	// Where processes were refused or hidden, seeing none in a namespace
	// is not seeing that it has none.
	withoutProcs := empty
	if !s.Complete() {
		withoutProcs = unknown
		incomplete.with().value = 1
	} else {
		incomplete.with()
	}
	for _, ns := range s.Namespaces {
		typ := ns.Type.String()
		namespaces.with(typ).value++
		members.with(typ).value += float64(len(ns.Procs))
		if len(ns.Procs) == 0 {
			withoutProcs.with(heldBy(ns), typ).value++
		}
	}
	processes.with().value = float64(len(s.Processes))
	unreadable.with().value = float64(s.Denied)
	duration.with().value = scan.Seconds()

	all := []*family{namespaces, members, empty, unknown, incomplete, processes, unreadable, duration}
	slices.SortFunc(all, func(a, b *family) int { return strings.Compare(a.name, b.name) })
	return all
}
