package metrics_test

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/fixture"
	"github.com/nsinspect/nsinspect/internal/metrics"
)

var (
	types   = []string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"}
	heldBys = []string{"mount", "fd", "socket", "none"}
	// families are the metrics Write writes, every one a gauge.
	families = []string{
		"nsinspect_incomplete",
		"nsinspect_namespace_processes",
		"nsinspect_namespaces",
		"nsinspect_namespaces_processes_unknown",
		"nsinspect_namespaces_without_processes",
		"nsinspect_processes",
		"nsinspect_scan_duration_seconds",
		"nsinspect_unreadable_processes",
	}
)

// byType is a value per namespace type; byHolder per "type/held_by".
type (
	byType   map[string]float64
	byHolder map[string]float64
)

// scrape is Write's output, as text and parsed back.
type scrape struct {
	text string
	mfs  map[string]*dto.MetricFamily
}

func write(t *testing.T, s *inspect.Snapshot, scan time.Duration) scrape {
	t.Helper()
	var b bytes.Buffer
	if err := metrics.Write(&b, s, scan); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return parse(t, b.String())
}

func parse(t *testing.T, text string) scrape {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse the output: %v\n%s", err, text)
	}
	return scrape{text, mfs}
}

// checkShape checks what every output has, whatever the host: the eight gauges
// with HELP and TYPE lines, and every series for every type and holder kind,
// zeros included.
func (sc scrape) checkShape(t *testing.T) {
	t.Helper()
	var got []string
	for name, mf := range sc.mfs {
		got = append(got, name)
		if mf.GetType() != dto.MetricType_GAUGE {
			t.Errorf("%s is a %v, want a gauge", name, mf.GetType())
		}
		if mf.GetHelp() == "" {
			t.Errorf("%s has no help", name)
		}
		for _, line := range []string{"# HELP " + name + " ", "# TYPE " + name + " gauge\n"} {
			if !strings.Contains(sc.text, line) {
				t.Errorf("output lacks %q", line)
			}
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(families, got); diff != "" {
		t.Errorf("metric families (-want +got):\n%s", diff)
	}
	for _, name := range []string{"nsinspect_namespaces", "nsinspect_namespace_processes"} {
		if got := keys(sc.series(t, name, "type")); !slices.Equal(got, sorted(types)) {
			t.Errorf("%s: type labels %v, want %v", name, got, sorted(types))
		}
	}
	var want []string
	for _, typ := range types {
		for _, h := range heldBys {
			want = append(want, typ+"/"+h)
		}
	}
	for _, name := range []string{"nsinspect_namespaces_without_processes", "nsinspect_namespaces_processes_unknown"} {
		got = keys(sc.series(t, name, "type", "held_by"))
		if diff := cmp.Diff(sorted(want), got); diff != "" {
			t.Errorf("%s: series (-want +got):\n%s", name, diff)
		}
	}
	for _, name := range []string{"nsinspect_processes", "nsinspect_unreadable_processes", "nsinspect_incomplete", "nsinspect_scan_duration_seconds"} {
		sc.series(t, name)
	}
}

// series returns the values of the metric name by the values of labels,
// joined with "/" in that order; each series must have exactly those labels.
func (sc scrape) series(t *testing.T, name string, labels ...string) map[string]float64 {
	t.Helper()
	mf := sc.mfs[name]
	if mf == nil {
		t.Fatalf("no metric %s in\n%s", name, sc.text)
	}
	out := map[string]float64{}
	for _, m := range mf.GetMetric() {
		got := map[string]string{}
		for _, lp := range m.GetLabel() {
			got[lp.GetName()] = lp.GetValue()
		}
		values := make([]string, len(labels))
		for i, l := range labels {
			values[i] = got[l]
		}
		if len(got) != len(labels) || slices.Contains(values, "") {
			t.Fatalf("%s has labels %v, want %v", name, got, labels)
		}
		key := strings.Join(values, "/")
		if _, dup := out[key]; dup {
			t.Fatalf("%s{%s} appears twice", name, key)
		}
		out[key] = m.GetGauge().GetValue()
	}
	return out
}

// value is the one value of an unlabelled metric.
func (sc scrape) value(t *testing.T, name string) float64 {
	t.Helper()
	s := sc.series(t, name)
	if len(s) != 1 {
		t.Fatalf("%s has %d series, want 1", name, len(s))
	}
	return s[""]
}

// nonZero drops the zeros, which checkShape has seen.
func nonZero(m map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func keys(m map[string]float64) []string { return slices.Sorted(maps.Keys(m)) }

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func scan(t *testing.T, root string) *inspect.Snapshot {
	t.Helper()
	s, err := inspect.Scan(inspect.Options{Root: root, FindHolders: true})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return s
}

// TestWriteHost checks the counts for the fixture host of the golden tests,
// testdata/host.txtar: 19 processes, a Kubernetes pod of two containers, a
// rootless unshare, and cron without a time namespace.
func TestWriteHost(t *testing.T) {
	s := scan(t, fixture.Build(t, filepath.Join("..", "..", "testdata", "host.txtar")))
	sc := write(t, s, 1500*time.Millisecond)
	sc.checkShape(t)

	// Two of the net namespaces have no process: one bind-mounted, one
	// held by an fd.
	wantNS := byType{"mnt": 4, "net": 4, "pid": 4, "uts": 3, "ipc": 3, "user": 2, "cgroup": 3, "time": 1}
	if diff := cmp.Diff(wantNS, byType(sc.series(t, "nsinspect_namespaces", "type"))); diff != "" {
		t.Errorf("nsinspect_namespaces (-want +got):\n%s", diff)
	}
	// Every process is in one namespace of each type; cron has no
	// ns/time link.
	wantProcs := byType{"mnt": 19, "net": 19, "pid": 19, "uts": 19, "ipc": 19, "user": 19, "cgroup": 19, "time": 18}
	if diff := cmp.Diff(wantProcs, byType(sc.series(t, "nsinspect_namespace_processes", "type"))); diff != "" {
		t.Errorf("nsinspect_namespace_processes (-want +got):\n%s", diff)
	}
	wantEmpty := map[string]float64{"net/mount": 1, "net/fd": 1}
	if diff := cmp.Diff(wantEmpty, nonZero(sc.series(t, "nsinspect_namespaces_without_processes", "type", "held_by"))); diff != "" {
		t.Errorf("nsinspect_namespaces_without_processes (-want +got):\n%s", diff)
	}
	for name, want := range map[string]float64{
		"nsinspect_processes":             19,
		"nsinspect_unreadable_processes":  0,
		"nsinspect_incomplete":            0,
		"nsinspect_scan_duration_seconds": 1.5,
	} {
		if got := sc.value(t, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

// holders is a host whose namespaces without processes are kept alive by an
// fd, a bind mount or both. PID 1 is in the initial namespaces; PIDs 10 and
// 11 share a network namespace, and 11 has a uts namespace of its own.
const holders = `
-- 1/mountinfo --
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:4 net:[4026532300] /run/netns/leaked rw shared:5 - nsfs nsfs rw
41 22 0:4 net:[4026532200] /run/netns/both rw shared:6 - nsfs nsfs rw
-- symlinks --
1/ns/mnt mnt:[4026531832]
1/ns/net net:[4026531833]
1/ns/time time:[4026531834]
1/ns/cgroup cgroup:[4026531835]
1/ns/pid pid:[4026531836]
1/ns/user user:[4026531837]
1/ns/uts uts:[4026531838]
1/ns/ipc ipc:[4026531839]
1/fd/0 /dev/null
1/fd/7 net:[4026531833]
10/ns/mnt mnt:[4026531832]
10/ns/net net:[4026532001]
10/ns/time time:[4026531834]
10/ns/cgroup cgroup:[4026531835]
10/ns/pid pid:[4026531836]
10/ns/user user:[4026531837]
10/ns/uts uts:[4026531838]
10/ns/ipc ipc:[4026531839]
10/fd/3 net:[4026532100]
10/fd/4 net:[4026532200]
11/ns/mnt mnt:[4026531832]
11/ns/net net:[4026532001]
11/ns/time time:[4026531834]
11/ns/cgroup cgroup:[4026531835]
11/ns/pid pid:[4026531836]
11/ns/user user:[4026531837]
11/ns/uts uts:[4026532002]
11/ns/ipc ipc:[4026531839]
11/fd/5 ipc:[4026532400]
`

func TestWriteHolders(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "holders.txtar")
	if err := os.WriteFile(archive, []byte(holders), 0o644); err != nil {
		t.Fatal(err)
	}
	s := scan(t, fixture.Build(t, archive))
	sc := write(t, s, 0)
	sc.checkShape(t)

	// net: the initial one, 10 and 11's, and three without processes.
	wantNS := byType{"mnt": 1, "net": 5, "pid": 1, "uts": 2, "ipc": 2, "user": 1, "cgroup": 1, "time": 1}
	if diff := cmp.Diff(wantNS, byType(sc.series(t, "nsinspect_namespaces", "type"))); diff != "" {
		t.Errorf("nsinspect_namespaces (-want +got):\n%s", diff)
	}
	wantProcs := byType{"mnt": 3, "net": 3, "pid": 3, "uts": 3, "ipc": 3, "user": 3, "cgroup": 3, "time": 3}
	if diff := cmp.Diff(wantProcs, byType(sc.series(t, "nsinspect_namespace_processes", "type"))); diff != "" {
		t.Errorf("nsinspect_namespace_processes (-want +got):\n%s", diff)
	}
	// 4026532200 is held by an fd and a mount: it counts once, under the
	// fd, found first. The fd on the initial network namespace holds a
	// namespace with processes: it is not counted.
	want := byHolder{"net/fd": 2, "net/mount": 1, "ipc/fd": 1}
	got := nonZero(sc.series(t, "nsinspect_namespaces_without_processes", "type", "held_by"))
	if diff := cmp.Diff(want, byHolder(got)); diff != "" {
		t.Errorf("nsinspect_namespaces_without_processes, but the zeros (-want +got):\n%s", diff)
	}
	if got := sc.value(t, "nsinspect_processes"); got != 3 {
		t.Errorf("nsinspect_processes = %v, want 3", got)
	}
	if got := nonZero(sc.series(t, "nsinspect_namespaces_processes_unknown", "type", "held_by")); len(got) != 0 {
		t.Errorf("nsinspect_namespaces_processes_unknown: got %v in a complete view, want all 0", got)
	}
}

// TestWriteIncomplete counts the holders host as different views would have
// scanned it: where processes were refused or hidden, a namespace in which
// none was seen is not counted as without processes, and the view is flagged
// incomplete; root with CAP_SYS_PTRACE on the host counts what it was
// refused but keeps its view.
func TestWriteIncomplete(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "holders.txtar")
	if err := os.WriteFile(archive, []byte(holders), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := byHolder{"net/fd": 2, "net/mount": 1, "ipc/fd": 1}
	tests := []struct {
		name                   string
		denied                 int
		view                   inspect.View
		without, unknown       byHolder
		unreadable, incomplete float64
	}{
		{"nobody", 7, inspect.View{InitialUserNS: true}, byHolder{}, seen, 7, 1},
		{"root of a user namespace", 146, inspect.View{SysPtrace: true}, byHolder{}, seen, 146, 1},
		// hidepid=invisible: nothing refused, and still nothing known.
		{"hidepid", 0, inspect.View{InitialUserNS: true, Hidepid: inspect.HidepidInvisible}, byHolder{}, seen, 0, 1},
		{"nobody, nothing refused", 0, inspect.View{InitialUserNS: true}, seen, byHolder{}, 0, 0},
		// PID 1 of a sandbox refuses even root.
		{"root refused anyway", 1, inspect.View{InitialUserNS: true, SysPtrace: true}, seen, byHolder{}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scan(t, fixture.Build(t, archive))
			s.Denied, s.View = tt.denied, tt.view
			sc := write(t, s, 0)
			sc.checkShape(t)
			if diff := cmp.Diff(tt.without, byHolder(nonZero(sc.series(t, "nsinspect_namespaces_without_processes", "type", "held_by")))); diff != "" {
				t.Errorf("nsinspect_namespaces_without_processes, but the zeros (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.unknown, byHolder(nonZero(sc.series(t, "nsinspect_namespaces_processes_unknown", "type", "held_by")))); diff != "" {
				t.Errorf("nsinspect_namespaces_processes_unknown, but the zeros (-want +got):\n%s", diff)
			}
			for name, want := range map[string]float64{
				"nsinspect_unreadable_processes": tt.unreadable,
				"nsinspect_incomplete":           tt.incomplete,
				// What was seen is counted as before: lower bounds.
				"nsinspect_processes": 3,
			} {
				if got := sc.value(t, name); got != want {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}
			wantNS := byType{"mnt": 1, "net": 5, "pid": 1, "uts": 2, "ipc": 2, "user": 1, "cgroup": 1, "time": 1}
			if diff := cmp.Diff(wantNS, byType(sc.series(t, "nsinspect_namespaces", "type"))); diff != "" {
				t.Errorf("nsinspect_namespaces (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriteFile checks that WriteFile leaves what Write writes, readable by
// node_exporter, and no temporary file.
func TestWriteFile(t *testing.T) {
	s := scan(t, fixture.Build(t, filepath.Join("..", "..", "testdata", "host.txtar")))
	dir := t.TempDir()
	path := filepath.Join(dir, "nsinspect.prom")
	// A previous scan's file is replaced.
	if err := os.WriteFile(path, []byte("stale\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := metrics.WriteFile(path, s, time.Second); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	var want bytes.Buffer
	if err := metrics.Write(&want, s, time.Second); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.String(), string(got)); diff != "" {
		t.Errorf("file differs from Write's output (-want +got):\n%s", diff)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o644 {
		t.Errorf("mode %v, want 0644: node_exporter runs as another user", mode)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only nsinspect.prom", len(entries))
	}
	// Errors name the file asked for, never the temporary one.
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing", "nsinspect.prom"), "write " + filepath.Join(dir, "missing", "nsinspect.prom") + ": no such file or directory"},
		{dir, dir + " is a directory: name a file in it, such as " + path},
	} {
		err := metrics.WriteFile(tc.path, s, 0)
		if err == nil || err.Error() != tc.want {
			t.Errorf("WriteFile(%s): %v, want %q", tc.path, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("after the errors, the directory holds %d entries, want only nsinspect.prom", len(entries))
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteError(t *testing.T) {
	s := scan(t, fixture.Build(t, filepath.Join("..", "..", "testdata", "host.txtar")))
	if err := metrics.Write(failingWriter{}, s, 0); !errors.Is(err, errWrite) {
		t.Errorf("Write to a failing writer: %v, want %v", err, errWrite)
	}
}
