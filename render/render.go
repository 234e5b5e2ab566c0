package render

import (
	"bufio"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Format is an output format.
type Format uint8

// The output formats.
const (
	FormatTable Format = iota // aligned columns, as lsns prints by default
	FormatRaw                 // space-separated cells, each escaped (-r)
	FormatJSON                // lsns's JSON (-J)
)

// Options say how to print rows.
type Options struct {
	Format  Format
	Columns []*Column
	// Tree is the column that draws the tree when rows have children
	// (COMMAND in the process tree); nil when rows are flat.
	Tree       *Column
	NoHeadings bool
	// NoWrap joins multi-line cells with commas.
	NoWrap bool
	// Width is the width of the terminal that a table goes to, 0 where it
	// goes elsewhere. There, as in lsns, Trunc columns are cut so that
	// lines fit, and a narrower table's columns widened to their hints.
	Width int
	// NoTrunc keeps Trunc columns whole (-u); at a terminal the table is
	// still widened to the columns' hints, as lsns -u widens it.
	NoTrunc bool
	// ASCII draws trees with ASCII glyphs, for non-UTF-8 locales.
	ASCII bool
	// Name is the JSON key of the list of rows.
	Name string
	// JSON is the layout of JSON output.
	JSON JSONStyle
	// LsnsEmpty writes an empty pretty JSON list as lsns 2.42 does, with
	// a blank line between its brackets, instead of as [].
	LsnsEmpty bool
}

// writers are the formats of rows, each a writer of its own.
var writers = [...]func(w textWriter, rows []*Row, o *Options){
	FormatTable: writeTableRows,
	FormatRaw:   writeRaw,
	FormatJSON:  writeJSON,
}

// Write prints rows, nested through their Children, in o's format. Raw and
// JSON output are written row by row as they are formatted; a table keeps
// its cells, to size its columns, but writes its padded text line by line.
func Write(w io.Writer, rows []*Row, o Options) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	writers[o.Format](bw, rows, &o)
	// bufio.Writer keeps its first error and reports it here.
	return bw.Flush()
}

func writeTableRows(w textWriter, rows []*Row, o *Options) {
	ls, trees := tableLines(rows, o)
	writeTable(w, ls, trees, o)
}

// sep joins the values of a multi-line cell.
func (o *Options) sep() string {
	if o.NoWrap {
		return ","
	}
	return "\n"
}

// line is a row's cells as text, escaped, with the tree drawn in.
type line []string

// tableLines formats every row's cells for a table: escaped with Safe, cut
// to their column's TableBytes first. Where rows are drawn as a tree, it
// also returns a treeCell per line.
func tableLines(rows []*Row, o *Options) ([]line, []treeCell) {
	var ls []line
	var trees []treeCell
	eachRow(rows, o, func(r *Row, branch, below string) {
		l := make(line, len(o.Columns))
		for j, c := range o.Columns {
			l[j] = tableCell(c, r.Cells[j], o.sep())
			if c == o.Tree {
				l[j] = Safe(branch) + l[j]
			}
		}
		ls = append(ls, l)
		if o.Tree != nil {
			trees = append(trees, treeCell{art: twwidth.Width(branch), below: below})
		}
	})
	return ls, trees
}

// eachRow flattens the tree depth-first and calls f with each row, the
// glyphs that draw it into the tree ("" for a root), and the glyphs that
// carry the tree on below it, to its children and later siblings.
func eachRow(rows []*Row, o *Options, f func(r *Row, branch, below string)) {
	g := glyphs(o.ASCII)
	// walk visits rows at depth; prefix is the glyphs of their ancestors.
	var walk func(rows []*Row, depth int, prefix string)
	walk = func(rows []*Row, depth int, prefix string) {
		for i, r := range rows {
			last := i == len(rows)-1
			branch, next := "", ""
			if depth > 0 {
				branch, next = prefix+g.branch(last), prefix+g.indent(last)
			}
			below := next
			if len(r.Children) > 0 {
				below += g.vertical
			}
			f(r, branch, below)
			walk(r.Children, depth+1, next)
		}
	}
	walk(rows, 0, "")
}

type treeGlyphs struct{ mid, last, vertical, space string }

// branch is drawn before a node, last when it is its parent's last child.
func (g treeGlyphs) branch(last bool) string {
	if last {
		return g.last
	}
	return g.mid
}

// indent is drawn below a node, before its descendants' branches.
func (g treeGlyphs) indent(last bool) string {
	if last {
		return g.space
	}
	return g.vertical
}

func glyphs(ascii bool) treeGlyphs {
	if ascii {
		return treeGlyphs{"|-", "`-", "| ", "  "}
	}
	return treeGlyphs{"├─", "└─", "│ ", "  "}
}

func tableCell(c *Column, v any, sep string) string {
	items, ok := v.(Lines)
	if !ok {
		s := c.Text(v)
		if c.TableBytes > 0 && len(s) > c.TableBytes {
			s = s[:c.TableBytes]
		}
		return Safe(s)
	}
	escaped := make([]string, len(items))
	for i, item := range items {
		escaped[i] = Safe(item)
	}
	return strings.Join(escaped, sep)
}
