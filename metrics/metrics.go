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
	"fmt"
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

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
// inspect.Options.Holders set, or namespaces without processes are missing;
// ghosts (held_by="none") are counted only where the caller related the
// namespaces first (Snapshot.Relate), since only that finds them.
//
// With inspect.Options.Threads, the processes counted are tasks.
func Write(w io.Writer, s *inspect.Snapshot, scan time.Duration) error {
	mfs, err := registry(s, scan).Gather()
	if err != nil {
		return fmt.Errorf("gather metrics: %w", err)
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return fmt.Errorf("write metrics: %w", err)
		}
	}
	return nil
}

// WriteFile writes the metrics of s, as Write does, to path, which should end
// in ".prom" and be in node_exporter's --collector.textfile.directory. It
// writes a temporary file next to path and renames it, so that
// node_exporter never reads a half-written file.
func WriteFile(path string, s *inspect.Snapshot, scan time.Duration) error {
	return prometheus.WriteToTextfile(path, registry(s, scan))
}

// registry is a fresh registry holding s's metrics: no global state, and none
// of the Go runtime or process collectors, which describe nsinspect and not
// the host.
func registry(s *inspect.Snapshot, scan time.Duration) *prometheus.Registry {
	namespaces := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "nsinspect_namespaces",
		Help: "Namespaces by type, with or without processes.",
	}, []string{"type"})
	members := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "nsinspect_namespace_processes",
		Help: "Processes in the namespaces of a type, summed over them: the processes whose link of that type could be read.",
	}, []string{"type"})
	empty := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "nsinspect_namespaces_without_processes",
		Help: "Namespaces that no process is in, by type and by what keeps them alive, the first holder found: " +
			"mount (an nsfs bind mount such as ip netns add makes), fd (an open file descriptor), " +
			"socket (a socket created in it), none (only a namespace it parents or owns; counted when relations are read). " +
			"Network namespaces leaked on Kubernetes nodes, left behind when a CNI plugin or runtime fails to " +
			"tear a pod down, are a known operational problem: they show here as net held by mount or socket.",
	}, []string{"type", "held_by"})
	unknown := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "nsinspect_namespaces_processes_unknown",
		Help: "Namespaces in which no process was seen while processes were refused or hidden (nsinspect_incomplete 1), " +
			"by type and by what keeps them alive, as nsinspect_namespaces_without_processes: they may have processes " +
			"or not, and are not counted there.",
	}, []string{"type", "held_by"})
	incomplete := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "nsinspect_incomplete",
		Help: "1 where the scan may have missed processes: some were refused (nsinspect_unreadable_processes) or hidden " +
			"by the hidepid= of the proc filesystem (counted nowhere), and nsinspect lacks CAP_SYS_PTRACE in the initial " +
			"user namespace. The process counts are then lower bounds. 0 for root with that capability, " +
			"whom only processes that refuse even root (PID 1 of some sandboxes) are refused.",
	})
	processes := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "nsinspect_processes",
		Help: "Processes scanned (tasks, with --threads).",
	})
	unreadable := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "nsinspect_unreadable_processes",
		Help: "Processes whose namespace links were refused, in whole or in part (EACCES, EPERM). Processes that hidepid= " +
			"keeps out of the listing are not counted: nsinspect_incomplete says whether the view is complete.",
	})
	duration := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "nsinspect_scan_duration_seconds",
		Help: "How long the scan took, in seconds.",
	})

	// Set every series to 0 first, so that it is written on every scan.
	for t := range inspect.NumTypes {
		typ := inspect.Type(t).String()
		namespaces.WithLabelValues(typ)
		members.WithLabelValues(typ)
		for _, h := range append(holderKinds[:], heldByNone) {
			empty.WithLabelValues(typ, h)
			unknown.WithLabelValues(typ, h)
		}
	}
	// Where processes were refused or hidden, seeing none in a namespace
	// is not seeing that it has none.
	withoutProcs := empty
	if !s.Complete() {
		withoutProcs = unknown
		incomplete.Set(1)
	}
	for _, ns := range s.Namespaces {
		typ := ns.Type.String()
		namespaces.WithLabelValues(typ).Inc()
		members.WithLabelValues(typ).Add(float64(len(ns.Procs)))
		if len(ns.Procs) == 0 {
			withoutProcs.WithLabelValues(typ, heldBy(ns)).Inc()
		}
	}
	processes.Set(float64(len(s.Processes)))
	unreadable.Set(float64(s.Denied))
	duration.Set(scan.Seconds())

	reg := prometheus.NewRegistry()
	reg.MustRegister(namespaces, members, empty, unknown, incomplete, processes, unreadable, duration)
	return reg
}
