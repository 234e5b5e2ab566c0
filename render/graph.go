package render

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Graph is a picture in terms that no output format owns: boxes with lines
// of text (nodes), boxes around some of them (clusters), and edges. Its
// text is as the caller has it, untrusted: WriteGraph escapes it for the
// format, so that no text leaves its label.
type Graph struct {
	// Nodes are the nodes outside every cluster, in output order.
	Nodes    []*Node
	Clusters []*Cluster
	Edges    []*Edge
}

// NodeKind says how a node is drawn.
type NodeKind uint8

// The kinds of node.
const (
	NodeSolid  NodeKind = iota // a box with a solid border
	NodeDashed                 // a box with a dashed border
	NodeGroup                  // a white box with rounded corners
)

// Node is a box with lines of text.
type Node struct {
	// ID names the node in the output: an ASCII letter, then letters,
	// digits and '_', at least one of them no letter (so that it is no
	// keyword of DOT or Mermaid). It should be the same from run to run,
	// so that two outputs can be diffed.
	ID   string
	Kind NodeKind
	// Tone is the fill colour, 1 to NumTones from a fixed palette of
	// light colours; 0 is white.
	Tone  int
	Lines []string
}

// Cluster is a box around nodes and smaller clusters, titled Label. Its ID
// follows the rules of a Node's and differs from every node's.
type Cluster struct {
	ID, Label string
	Nodes     []*Node
	Clusters  []*Cluster
}

// EdgeKind says how an edge is drawn.
type EdgeKind uint8

// The kinds of edge.
const (
	EdgeArrow EdgeKind = iota // a thin arrow
	EdgeBold                  // a bold arrow
	EdgeLine                  // a dotted line without an arrowhead
)

// Edge joins two nodes by their IDs. An EdgeLine is drawn without an
// arrowhead, but From still comes before To in a layout's ranks.
type Edge struct {
	From, To string
	Kind     EdgeKind
}

// GraphFormat is a language a graph is written in.
type GraphFormat uint8

// The graph formats.
const (
	GraphDOT     GraphFormat = iota // Graphviz's DOT language
	GraphMermaid                    // a Mermaid flowchart, as GitHub renders in Markdown
)

// ParseGraphFormat returns the format of that name: dot or mermaid.
func ParseGraphFormat(name string) (GraphFormat, error) {
	switch name {
	case "dot":
		return GraphDOT, nil
	case "mermaid":
		return GraphMermaid, nil
	}
	return 0, fmt.Errorf("unknown graph format: %s", name)
}

// tones are the fill colours of Node.Tone, light enough for black text.
var tones = [...]string{"#f8d7da", "#d6e9ff", "#d9f2d9", "#fff3c4", "#eadcf8", "#ffe0c2", "#d4f0ee", "#e6e6e6"}

// NumTones is the number of fill colours.
const NumTones = len(tones)

func toneColour(tone int) string {
	if tone < 1 || tone > NumTones {
		return "#ffffff"
	}
	return tones[tone-1]
}

// WriteGraph writes g in format f. It refuses a node or cluster ID that
// breaks Node's rules, or one given twice: either would change the picture
// where the format reads it.
func WriteGraph(w io.Writer, g *Graph, f GraphFormat) error {
	if err := checkIDs(g); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if f == GraphMermaid {
		writeMermaid(bw, g)
	} else {
		writeDOT(bw, g)
	}
	return bw.Flush()
}

func checkIDs(g *Graph) error {
	seen := map[string]bool{}
	check := func(id string) error {
		if !validID(id) {
			return fmt.Errorf("graph: invalid node ID %q", id)
		}
		if seen[id] {
			return fmt.Errorf("graph: node ID %q given twice", id)
		}
		seen[id] = true
		return nil
	}
	var walk func(nodes []*Node, clusters []*Cluster) error
	walk = func(nodes []*Node, clusters []*Cluster) error {
		for _, n := range nodes {
			if err := check(n.ID); err != nil {
				return err
			}
		}
		for _, c := range clusters {
			if err := check(c.ID); err != nil {
				return err
			}
			if err := walk(c.Nodes, c.Clusters); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(g.Nodes, g.Clusters); err != nil {
		return err
	}
	for _, e := range g.Edges {
		if !seen[e.From] || !seen[e.To] {
			return fmt.Errorf("graph: edge %s -> %s joins an unknown node", e.From, e.To)
		}
	}
	return nil
}

// validID reports whether id is a name that DOT and Mermaid take bare, and
// neither reads as a keyword: DOT's (graph, node, edge, ...) and Mermaid's
// (end, subgraph, ...) are letters only, so an ID with a '_' or a digit in
// it is never one.
func validID(id string) bool {
	if id == "" || !isLetter(id[0]) {
		return false
	}
	plain := true
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case isLetter(c):
		case c == '_' || c >= '0' && c <= '9':
			plain = false
		default:
			return false
		}
	}
	return !plain
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// DOT: nodes in their clusters, then the edges. rankdir=LR puts an edge's
// head to the right of its tail: owners left of what they own, processes
// right of their namespaces.

const dotHeader = `digraph namespaces {
	graph [rankdir=LR, ranksep=0.5, nodesep=0.12, fontname="Helvetica", fontsize=10];
	node [shape=box, style=filled, fillcolor="#ffffff", color="#555555", fontname="Helvetica", fontsize=9, margin="0.08,0.04"];
	edge [color="#555555", arrowsize=0.6];
`

func writeDOT(w *bufio.Writer, g *Graph) {
	w.WriteString(dotHeader)
	writeDOTNodes(w, g.Nodes, "\t")
	writeDOTClusters(w, g.Clusters, "\t")
	for _, e := range g.Edges {
		w.WriteString("\t" + e.From + " -> " + e.To)
		switch e.Kind {
		case EdgeBold:
			w.WriteString(` [penwidth=2, color="#1f4e9c"]`)
		case EdgeLine:
			w.WriteString(` [dir=none, style=dotted, color="#888888"]`)
		}
		w.WriteString(";\n")
	}
	w.WriteString("}\n")
}

func writeDOTNodes(w *bufio.Writer, nodes []*Node, indent string) {
	for _, n := range nodes {
		w.WriteString(indent + n.ID + ` [label="`)
		for i, l := range n.Lines {
			if i > 0 {
				w.WriteString(`\n`)
			}
			w.WriteString(DOTText(l))
		}
		w.WriteString(`"`)
		switch n.Kind {
		case NodeDashed:
			w.WriteString(`, style="filled,dashed"`)
		case NodeGroup:
			w.WriteString(`, style="filled,rounded"`)
		}
		if n.Tone != 0 {
			w.WriteString(`, fillcolor="` + toneColour(n.Tone) + `"`)
		}
		w.WriteString("];\n")
	}
}

func writeDOTClusters(w *bufio.Writer, clusters []*Cluster, indent string) {
	for _, c := range clusters {
		w.WriteString(indent + "subgraph " + c.ID + " {\n")
		inner := indent + "\t"
		w.WriteString(inner + `label="` + DOTText(c.Label) + `"; style=rounded; color="#888888";` + "\n")
		writeDOTNodes(w, c.Nodes, inner)
		writeDOTClusters(w, c.Clusters, inner)
		w.WriteString(indent + "}\n")
	}
}

// DOTText escapes s for a double-quoted DOT string that Graphviz shows as a
// label: first as Safe escapes it for a terminal (control characters,
// escape sequences and invalid UTF-8 become \xHH), then a backslash is
// doubled (Graphviz reads \n, \l, \N and others in labels), a quote is
// escaped, and '&' becomes &amp; (Graphviz turns &name; and &#N; into the
// character they name). So s is shown as Safe shows it, and cannot end the
// string.
func DOTText(s string) string {
	s = Safe(s)
	if !strings.ContainsAny(s, `\"&`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Mermaid: classes for the fill colours and the dashed border, defined for
// those used; nodes in their subgraphs; then the edges.

func writeMermaid(w *bufio.Writer, g *Graph) {
	w.WriteString("flowchart LR\n")
	used := map[string]bool{}
	var collect func(nodes []*Node, clusters []*Cluster)
	collect = func(nodes []*Node, clusters []*Cluster) {
		for _, n := range nodes {
			used[mermaidClass(n)] = true
		}
		for _, c := range clusters {
			collect(c.Nodes, c.Clusters)
		}
	}
	collect(g.Nodes, g.Clusters)
	for tone := 0; tone <= NumTones; tone++ {
		for _, dashed := range []bool{false, true} {
			name := mermaidClassName(tone, dashed)
			if !used[name] {
				continue
			}
			w.WriteString("    classDef " + name + " fill:" + toneColour(tone) + ",stroke:#555555,color:#000000")
			if dashed {
				w.WriteString(",stroke-dasharray:4 3")
			}
			w.WriteString("\n")
		}
	}
	writeMermaidNodes(w, g.Nodes, "    ")
	writeMermaidClusters(w, g.Clusters, "    ")
	for _, e := range g.Edges {
		arrow := " --> "
		switch e.Kind {
		case EdgeBold:
			arrow = " ==> "
		case EdgeLine:
			arrow = " -.- "
		}
		w.WriteString("    " + e.From + arrow + e.To + "\n")
	}
}

func mermaidClass(n *Node) string { return mermaidClassName(n.Tone, n.Kind == NodeDashed) }

func mermaidClassName(tone int, dashed bool) string {
	if tone < 0 || tone > NumTones {
		tone = 0
	}
	name := "t" + strconv.Itoa(tone)
	if dashed {
		name += "d"
	}
	return name
}

func writeMermaidNodes(w *bufio.Writer, nodes []*Node, indent string) {
	for _, n := range nodes {
		open, close := `["`, `"]`
		if n.Kind == NodeGroup {
			open, close = `(["`, `"])`
		}
		w.WriteString(indent + n.ID + open)
		for i, l := range n.Lines {
			if i > 0 {
				w.WriteString("<br>")
			}
			w.WriteString(MermaidText(l))
		}
		w.WriteString(close + ":::" + mermaidClass(n) + "\n")
	}
}

func writeMermaidClusters(w *bufio.Writer, clusters []*Cluster, indent string) {
	for _, c := range clusters {
		w.WriteString(indent + "subgraph " + c.ID + `["` + MermaidText(c.Label) + "\"]\n")
		writeMermaidNodes(w, c.Nodes, indent+"    ")
		writeMermaidClusters(w, c.Clusters, indent+"    ")
		w.WriteString(indent + "end\n")
	}
}

// MermaidText escapes s for a Mermaid label in ["..."]: first as Safe
// escapes it for a terminal, then each character that Mermaid or the HTML
// it makes of a label reads (the quote that ends the label, brackets and
// parentheses, '#' that starts an entity, '&', '<' and '>', the backtick
// of Markdown strings, '|' of edge texts, '%' of comments) becomes an
// entity #N; of its code, which Mermaid shows as the character.
func MermaidText(s string) string {
	s = Safe(s)
	if !strings.ContainsAny(s, mermaidSpecial) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		if c := s[i]; strings.IndexByte(mermaidSpecial, c) >= 0 {
			b.WriteByte('#')
			b.WriteString(strconv.Itoa(int(c)))
			b.WriteByte(';')
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

const mermaidSpecial = "\"#&<>`[](){}|%;"
