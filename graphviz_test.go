//go:build privileged

package main

// Graphviz reads what --graph writes: the golden graphs, the README's
// example, hostile labels (which must come out as Safe shows them), and the
// graph of a zoo of real namespaces, which must hold every namespace that
// the listing shows. They need dot (Debian's graphviz, which .ci/run
// installs) and, for the zoo, root; where NSINSPECT_REQUIRE_PRIVILEGED is
// set (CI) a skip is a failure.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/internal/testenv"
	"github.com/nsinspect/nsinspect/render"
)

// runDot runs Graphviz's dot on a graph and returns what it writes in
// format (svg, json); a warning on stderr fails t, as an error does.
func runDot(t *testing.T, dot, format string, graph []byte) []byte {
	t.Helper()
	cmd := exec.Command(dot, "-T"+format)
	cmd.Stdin = bytes.NewReader(graph)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -T%s: %v\n%s", format, err, stderr.String())
	}
	return out
}

// TestGraphvizReadsGraphs: every DOT graph of the golden tests, and the
// README's example, is a graph that dot lays out without a word.
func TestGraphvizReadsGraphs(t *testing.T) {
	dot := testenv.RequireCommand(t, "dot")
	files := []string{filepath.Join("docs", "graph-example.dot")}
	for _, tc := range goldenCases {
		if slices.Contains(tc.args, "--graph") || slices.Contains(tc.args, "--graph=dot") {
			files = append(files, filepath.Join("testdata", "golden", tc.name+".txt"))
		}
	}
	if len(files) < 3 {
		t.Fatalf("found only %v: the golden cases of --graph were renamed?", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if svg := runDot(t, dot, "svg", data); !bytes.Contains(svg, []byte("</svg>")) {
			t.Errorf("%s: dot wrote no SVG", f)
		}
	}
}

// TestGraphvizLabels: labels that try to leave their string, give Graphviz
// commands (\N, \l, entities) or write to a terminal are drawn as Safe
// shows them, each on its own line: Graphviz's own parser reads back what
// DOTText wrote.
func TestGraphvizLabels(t *testing.T) {
	dot := testenv.RequireCommand(t, "dot")
	hostile := []string{
		`"]; evil [label="x`, "a\"\nb", `\N \G \E \T \H \L \l \r \n`, `\`, `\\x41`, `\x41`, "&amp; &lt; &#65; &",
		"\x1b]0;pwned\x07", "tab\there", "\u202eevil", "\xff\xfebytes", "日本語🐧", "<b>html</b>", "{a|b}",
	}
	g := &render.Graph{Clusters: []*render.Cluster{{ID: "cluster_1", Label: hostile[0],
		Nodes: []*render.Node{{ID: "in_cluster", Lines: []string{"inside"}}}}}}
	for i, s := range hostile {
		g.Nodes = append(g.Nodes, &render.Node{ID: "n_" + strconv.Itoa(i), Lines: []string{"x" + s + "x", "second"}})
	}
	var b bytes.Buffer
	if err := render.WriteGraph(&b, g, render.GraphDOT); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Objects []struct {
			Name  string                      `json:"name"`
			LDraw []struct{ Op, Text string } `json:"_ldraw_"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(runDot(t, dot, "json", b.Bytes()), &doc); err != nil {
		t.Fatal(err)
	}
	drawn := map[string][]string{}
	for _, o := range doc.Objects {
		for _, d := range o.LDraw {
			if d.Op == "T" {
				drawn[o.Name] = append(drawn[o.Name], d.Text)
			}
		}
	}
	for i, s := range hostile {
		// Graphviz draws a label's lines; the x's keep its blanks.
		want := []string{render.Safe("x" + s + "x"), "second"}
		if got := drawn["n_"+strconv.Itoa(i)]; !slices.Equal(got, want) {
			t.Errorf("label %q is drawn as %q, want %q", s, got, want)
		}
	}
	if got, want := drawn["cluster_1"], []string{render.Safe(hostile[0])}; !slices.Equal(got, want) {
		t.Errorf("cluster label %q is drawn as %q, want %q", hostile[0], got, want)
	}
	if len(drawn) != len(hostile)+2 {
		t.Errorf("dot drew %d labels, want %d: a label made an object", len(drawn), len(hostile)+2)
	}
}

var (
	dotNode = regexp.MustCompile(`(?m)^\t+([a-z]+_[0-9a-f_]+) \[label="((?:[^"\\]|\\.)*)"(.*)\];$`)
	dotEdge = regexp.MustCompile(`(?m)^\t(\w+) -> (\w+)(?: \[(.*)\])?;$`)
)

// TestGraphZoo draws a zoo of real namespaces: a process in fresh uts, ipc,
// net, pid, mnt and cgroup namespaces; `unshare --user --pid --fork`, whose
// pid namespace is nested and owned by its user namespace; a user namespace
// without processes between the host's and a child's; a network namespace
// that only a bind mount holds. Every namespace that the listing shows is a
// node, the relations are edges, and dot lays the whole host out.
func TestGraphZoo(t *testing.T) {
	testenv.RequireRoot(t)
	dot := testenv.RequireCommand(t, "dot")
	testenv.RequireCommand(t, "unshare")
	sleeper := startSleeper(t, newNamespaces)
	nested := exec.Command("unshare", "--user", "--map-root-user", "--pid", "--mount-proc", "--fork",
		"/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, nested)
	child := onlyChildOf(t, nested.Process.Pid)
	ghostly := exec.Command("unshare", "--user", "--map-root-user", "unshare", "--user",
		"/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, ghostly)
	bound := testenv.BoundNetNS(t)
	var st syscall.Stat_t
	if err := syscall.Stat(bound, &st); err != nil {
		t.Fatal(err)
	}

	id := func(typ string, ns float64) string { return typ + "_" + strconv.FormatFloat(ns, 'f', 0, 64) }
	hostUser, hostPID := nsOf(t, os.Getpid(), "user"), nsOf(t, os.Getpid(), "pid")
	childUser, childPID := nsOf(t, child, "user"), nsOf(t, child, "pid")
	u2 := nsOf(t, ghostly.Process.Pid, "user")
	u1 := parentNS(t, fmt.Sprintf("/proc/%d/ns/user", ghostly.Process.Pid))
	zoo := []string{id("user", childUser), id("pid", childPID), id("user", u1), id("user", u2), id("net", float64(st.Ino))}
	for _, typ := range []string{"uts", "ipc", "net", "pid", "mnt", "cgroup"} {
		zoo = append(zoo, id(typ, nsOf(t, sleeper.Process.Pid, typ)))
	}

	// Other tests make and drop namespaces meanwhile: a namespace that
	// the listings before and after the graph both show lived through it.
	// PNS lists the namespaces that only relations reveal, as the graph
	// draws them.
	listed := func() map[string]bool {
		ids := map[string]bool{}
		for _, r := range jsonRows(t, "-J", "-l", "-o", "NS,TYPE,PNS") {
			ids[id(r["type"].(string), r["ns"].(float64))] = true
		}
		return ids
	}
	before := listed()
	var out, errOut bytes.Buffer
	start := time.Now()
	if code := run([]string{"--graph"}, &out, &errOut); code != 0 || errOut.Len() > 0 {
		t.Fatalf("nsinspect --graph: exit %d: %s", code, errOut.String())
	}
	// Not a benchmark: a bound that says it does not hang.
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("drawing the host took %v", elapsed)
	}
	var mermaid bytes.Buffer
	if code := run([]string{"--graph=mermaid"}, &mermaid, &errOut); code != 0 {
		t.Fatalf("nsinspect --graph=mermaid: exit %d: %s", code, errOut.String())
	}
	after := listed()

	nodes := map[string]string{} // label, then attributes
	for _, m := range dotNode.FindAllStringSubmatch(out.String(), -1) {
		nodes[m[1]] = m[2] + "|" + m[3]
	}
	edges := map[string]string{}
	for _, m := range dotEdge.FindAllStringSubmatch(out.String(), -1) {
		edges[m[1]+" -> "+m[2]] = m[3]
	}
	for ns := range before {
		if !after[ns] {
			continue
		}
		if _, ok := nodes[ns]; !ok {
			t.Errorf("%s is listed but not drawn", ns)
		}
		if !regexp.MustCompile(`(?m)^ +` + ns + `\["`).Match(mermaid.Bytes()) {
			t.Errorf("%s is listed but not in the Mermaid graph", ns)
		}
	}
	for _, ns := range zoo {
		if !before[ns] || !after[ns] {
			t.Errorf("the zoo's %s is not listed", ns)
		}
	}
	for edge, attrs := range map[string]string{
		id("user", hostUser) + " -> " + id("user", childUser): "bold",
		id("pid", hostPID) + " -> " + id("pid", childPID):     "bold",
		id("user", childUser) + " -> " + id("pid", childPID):  "",
		id("user", hostUser) + " -> " + id("user", u1):        "bold",
		id("user", u1) + " -> " + id("user", u2):              "bold",
	} {
		got, ok := edges[edge]
		if !ok || (attrs == "bold") != strings.Contains(got, "penwidth=2") {
			t.Errorf("edge %s: drawn %v with [%s], want it drawn (%s)", edge, ok, got, attrs)
		}
	}
	for ns, want := range map[string]string{
		id("user", u1):                                 `\\nno processes\\n.*\\nheld only as an owner or parent\|, style="filled,dashed"`,
		id("net", float64(st.Ino)):                     `\\nno processes\\nmount ` + regexp.QuoteMeta(bound) + `\|, style="filled,dashed"`,
		id("pid", childPID):                            `\\n1 process\|`,
		id("uts", nsOf(t, sleeper.Process.Pid, "uts")): `\\n2 processes(\\n|\|)`,
	} {
		if !regexp.MustCompile(want).MatchString(nodes[ns]) {
			t.Errorf("node %s: %q, want it to match %q", ns, nodes[ns], want)
		}
	}
	// Its time is Graphviz's, and grows with what else runs on the host.
	runDot(t, dot, "svg", out.Bytes())
}
