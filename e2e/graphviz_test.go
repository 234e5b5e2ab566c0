//go:build privileged

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// The graph of a zoo of real namespaces, which must hold every namespace
// that the listing shows, and which dot lays out. It needs root and dot
// (Debian's graphviz, which .ci/run installs); where
// NSINSPECT_REQUIRE_PRIVILEGED is set (CI) a skip is a failure.

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
	if code := runBinary(t, []string{"--graph"}, &out, &errOut); code != 0 || errOut.Len() > 0 {
		t.Fatalf("nsinspect --graph: exit %d: %s", code, errOut.String())
	}
	// Not a benchmark: a bound that says it does not hang.
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("drawing the host took %v", elapsed)
	}
	var mermaid bytes.Buffer
	if code := runBinary(t, []string{"--graph=mermaid"}, &mermaid, &errOut); code != 0 {
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
	testenv.Dot(t, dot, "svg", out.Bytes())
}
