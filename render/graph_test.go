package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// testGraph has a node of each kind, a cluster in a cluster, and an edge of
// each kind.
func testGraph() *Graph {
	return &Graph{
		Nodes: []*Node{
			{ID: "user_1", Tone: 6, Lines: []string{"user 1", "2 processes"}},
			{ID: "net_2", Kind: NodeDashed, Tone: 2, Lines: []string{"net 2", "mount /run/netns/blue"}},
		},
		Clusters: []*Cluster{{ID: "cluster_pod_a", Label: "pod a", Clusters: []*Cluster{{
			ID: "cluster_container_c", Label: "container c",
			Nodes: []*Node{{ID: "procs_3", Kind: NodeGroup, Lines: []string{`2 "processes"`}}},
		}}}},
		Edges: []*Edge{
			{From: "user_1", To: "net_2"},
			{From: "user_1", To: "procs_3", Kind: EdgeBold},
			{From: "net_2", To: "procs_3", Kind: EdgeLine},
		},
	}
}

func TestWriteGraph(t *testing.T) {
	tests := []struct {
		format GraphFormat
		want   string
	}{
		{GraphDOT, dotHeader + `	user_1 [label="user 1\n2 processes", fillcolor="#ffe0c2"];
	net_2 [label="net 2\nmount /run/netns/blue", style="filled,dashed", fillcolor="#d6e9ff"];
	subgraph cluster_pod_a {
		label="pod a"; style=rounded; color="#888888";
		subgraph cluster_container_c {
			label="container c"; style=rounded; color="#888888";
			procs_3 [label="2 \"processes\"", style="filled,rounded"];
		}
	}
	user_1 -> net_2;
	user_1 -> procs_3 [penwidth=2, color="#1f4e9c"];
	net_2 -> procs_3 [dir=none, style=dotted, color="#888888"];
}
`},
		{GraphMermaid, `flowchart LR
    classDef t0 fill:#ffffff,stroke:#555555,color:#000000
    classDef t2d fill:#d6e9ff,stroke:#555555,color:#000000,stroke-dasharray:4 3
    classDef t6 fill:#ffe0c2,stroke:#555555,color:#000000
    user_1["user 1<br>2 processes"]:::t6
    net_2["net 2<br>mount /run/netns/blue"]:::t2d
    subgraph cluster_pod_a["pod a"]
        subgraph cluster_container_c["container c"]
            procs_3(["2 #34;processes#34;"]):::t0
        end
    end
    user_1 --> net_2
    user_1 ==> procs_3
    net_2 -.- procs_3
`},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := WriteGraph(&b, testGraph(), tt.format); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, b.String()); diff != "" {
			t.Errorf("format %d (-want +got):\n%s", tt.format, diff)
		}
	}
}

func TestParseGraphFormat(t *testing.T) {
	for name, want := range map[string]GraphFormat{"dot": GraphDOT, "mermaid": GraphMermaid} {
		if got, err := ParseGraphFormat(name); err != nil || got != want {
			t.Errorf("ParseGraphFormat(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	for _, name := range []string{"", "DOT", "svg", "=dot"} {
		if _, err := ParseGraphFormat(name); err == nil || err.Error() != "unknown graph format: "+name {
			t.Errorf("ParseGraphFormat(%q): error %v, want unknown graph format", name, err)
		}
	}
}

// TestWriteGraphBadIDs: an ID that the formats would read as something
// else, or that names two things, is refused, not written.
func TestWriteGraphBadIDs(t *testing.T) {
	for _, id := range []string{"", "graph", "end", "node", "1_a", "_a", "a-b", "a b", `a"`, "a;b", "user_1", "cluster_pod_a"} {
		g := testGraph()
		g.Nodes = append(g.Nodes, &Node{ID: id})
		for _, f := range []GraphFormat{GraphDOT, GraphMermaid} {
			var b bytes.Buffer
			if err := WriteGraph(&b, g, f); err == nil || b.Len() > 0 {
				t.Errorf("node ID %q: error %v, wrote %d bytes; want an error and nothing", id, err, b.Len())
			}
		}
	}
	g := testGraph()
	g.Edges = append(g.Edges, &Edge{From: "user_1", To: "nowhere_1"})
	if err := WriteGraph(&bytes.Buffer{}, g, GraphDOT); err == nil {
		t.Error("an edge to an unknown node was written")
	}
}

// TestWriteGraphHostile: labels that try to end their string, open a new
// statement or write to the terminal stay in their label, in both formats:
// each node is still one line of output, and the text reads back as Safe
// shows it.
func TestWriteGraphHostile(t *testing.T) {
	hostile := []string{
		"a\"];\nevil [label=\"x", `"]` + "\n    evil[\"", "back\\slash\\", "\x1b]0;title\x07", "`**md**`",
		"#quot; &amp; <b>x</b>", "%%{init: {}}%%", "a|b", "\u202eevil", "\xff\xfe", "line1\r\nline2",
	}
	g := &Graph{Clusters: []*Cluster{{ID: "cluster_x_1", Label: hostile[0]}}}
	for i, s := range hostile {
		g.Nodes = append(g.Nodes, &Node{ID: "n_" + strconv.Itoa(i), Lines: []string{s, s}})
	}
	for _, f := range []GraphFormat{GraphDOT, GraphMermaid} {
		var b bytes.Buffer
		if err := WriteGraph(&b, g, f); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(b.String(), "\n")
		for i, s := range hostile {
			line := findLine(t, lines, "n_"+strconv.Itoa(i))
			var got []string
			if f == GraphDOT {
				got = strings.Split(readDOTLabel(t, line), `\n`)
				for j := range got {
					got[j] = unescapeDOT(t, got[j])
				}
			} else {
				got = strings.Split(readMermaidLabel(t, line), "<br>")
				for j := range got {
					got[j] = unescapeMermaid(t, got[j])
				}
			}
			if want := []string{Safe(s), Safe(s)}; !cmp.Equal(want, got) {
				t.Errorf("format %d: label %q reads back as %q, want %q", f, s, got, want)
			}
		}
	}
}

// findLine returns the one line that declares node id.
func findLine(t *testing.T, lines []string, id string) string {
	t.Helper()
	var found []string
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), id+" [") || strings.HasPrefix(strings.TrimSpace(l), id+"[") {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d lines declare %s: %q", len(found), id, found)
	}
	return found[0]
}

// readDOTLabel returns the raw text of the label="..." string of a node's
// line, and fails t unless the string is well formed and the line goes on
// as the writer writes it.
func readDOTLabel(t *testing.T, line string) string {
	t.Helper()
	_, rest, ok := strings.Cut(line, ` [label="`)
	if !ok {
		t.Fatalf("no label in %q", line)
	}
	text, after, err := scanDOTString(rest)
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	if !regexp.MustCompile(`^(, [a-z]+="[^"]*")*\];$`).MatchString(after) {
		t.Fatalf("%q: after the label comes %q", line, after)
	}
	return text
}

// scanDOTString reads a DOT double-quoted string's text up to its closing
// quote, as Graphviz's scanner does (a backslash escapes the next byte),
// and returns what follows. It refuses what DOTText must never write:
// raw control characters, and escapes other than \\ and \" (Graphviz
// reads \n, \l, \N... in labels).
func scanDOTString(s string) (text, after string, err error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return s[:i], s[i+1:], nil
		case c == '\\':
			if i+1 == len(s) {
				return "", "", fmt.Errorf("a backslash ends the input")
			}
			i++
		case c < 0x20 || c == 0x7f:
			return "", "", fmt.Errorf("raw control byte %#x", c)
		}
	}
	return "", "", fmt.Errorf("no closing quote")
}

// unescapeDOT undoes DOTText's escapes of one line of a label.
func unescapeDOT(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			if i+1 == len(s) || (s[i+1] != '\\' && s[i+1] != '"') {
				t.Fatalf("%q: an escape that Graphviz would read as a command", s)
			}
			i++
			b.WriteByte(s[i])
		case s[i] == '&':
			if !strings.HasPrefix(s[i:], "&amp;") {
				t.Fatalf("%q: an entity that Graphviz would replace", s)
			}
			b.WriteByte('&')
			i += len("&amp;") - 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// readMermaidLabel returns the text of a node's ["..."] or (["..."]) label,
// and fails t unless the line is the node's declaration as the writer
// writes it: nothing after the label but its class.
func readMermaidLabel(t *testing.T, line string) string {
	t.Helper()
	m := regexp.MustCompile(`^ *[a-z0-9_]+\(?\["([^"]*)"\]\)?:::t[0-9]d?$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("not a node declaration: %q", line)
	}
	return m[1]
}

// mermaidEntity is what MermaidText writes for a character: #N;.
var mermaidEntity = regexp.MustCompile(`^#([0-9]+);`)

// unescapeMermaid undoes MermaidText's entities, and fails t on what
// Mermaid would read as syntax, or its HTML as markup.
func unescapeMermaid(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '#' {
			m := mermaidEntity.FindStringSubmatch(s[i:])
			if m == nil {
				t.Fatalf("%q: a '#' that starts no entity", s)
			}
			n, _ := strconv.Atoi(m[1])
			b.WriteRune(rune(n))
			i += len(m[0]) - 1
			continue
		}
		if strings.IndexByte(mermaidSpecial, c) >= 0 || c < 0x20 || c == 0x7f {
			t.Fatalf("%q: raw %q", s, c)
		}
		b.WriteByte(c)
	}
	return b.String()
}

func FuzzDOTText(f *testing.F) {
	addEscapeSeeds(f)
	for _, s := range []string{`"`, `\"`, `\\`, `\n`, `\N`, "&amp;", "&#34;", "a\"];\nx [label=\"", `\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := DOTText(in)
		if !utf8.ValidString(got) {
			t.Fatalf("DOTText(%q) = %q: invalid UTF-8", in, got)
		}
		// One well-formed quoted string, nothing after it.
		text, after, err := scanDOTString(got + `"`)
		if err != nil || after != "" || text != got {
			t.Fatalf("DOTText(%q) = %q: not one quoted string (%v, %q after)", in, got, err, after)
		}
		if back := unescapeDOT(t, got); back != Safe(in) {
			t.Fatalf("DOTText(%q) = %q reads back as %q, want Safe's %q", in, got, back, Safe(in))
		}
	})
}

func FuzzMermaidText(f *testing.F) {
	addEscapeSeeds(f)
	for _, s := range []string{`"]`, "#quot;", "#35;", "`", "<br>", "a|b", "(x)", "[x]", "{x}", "%%", ";"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := MermaidText(in)
		if !utf8.ValidString(got) {
			t.Fatalf("MermaidText(%q) = %q: invalid UTF-8", in, got)
		}
		if strings.ContainsAny(got, "\"[]\n\r") {
			t.Fatalf("MermaidText(%q) = %q: a quote, bracket or newline", in, got)
		}
		if back := unescapeMermaid(t, got); back != Safe(in) {
			t.Fatalf("MermaidText(%q) = %q reads back as %q, want Safe's %q", in, got, back, Safe(in))
		}
	})
}
