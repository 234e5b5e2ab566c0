//go:build privileged

package main

// Graphviz reads what --graph writes: the golden graphs, the README's
// example and hostile labels (which must come out as Safe shows them); the
// graph of a zoo of real namespaces is e2e's TestGraphZoo. They need dot
// (Debian's graphviz, which .ci/run installs); where
// NSINSPECT_REQUIRE_PRIVILEGED is set (CI) a skip is a failure.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/nsinspect/nsinspect/internal/testenv"
	"github.com/nsinspect/nsinspect/render"
)

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
		if svg := testenv.Dot(t, dot, "svg", data); !bytes.Contains(svg, []byte("</svg>")) {
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
	if err := json.Unmarshal(testenv.Dot(t, dot, "json", b.Bytes()), &doc); err != nil {
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
