package render

import (
	"bufio"
	"io"
	"strings"
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
	// Width is the terminal's width: Trunc columns are cut so that lines
	// fit. 0 never cuts.
	Width int
	// ASCII draws trees with ASCII glyphs, for non-UTF-8 locales.
	ASCII bool
	// Name is the JSON key of the list of rows.
	Name string
	Env
}

// Write prints rows, nested through their Children, in o's format.
func Write(w io.Writer, rows []*Row, o Options) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch o.Format {
	case FormatJSON:
		err = writeJSON(bw, rows, &o)
	case FormatRaw:
		err = writeRaw(bw, lines(rows, &o, Raw, ","), &o)
	default:
		err = writeTable(bw, lines(rows, &o, Safe, o.sep()), &o)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
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

// lines flattens the tree depth-first and formats every cell with escape;
// the items of a multi-valued cell are joined with sep.
func lines(rows []*Row, o *Options, escape func(string) string, sep string) []line {
	var out []line
	g := glyphs(o.ASCII)
	// walk prints rows at depth; prefix is the glyphs of their ancestors.
	var walk func(rows []*Row, depth int, prefix string)
	walk = func(rows []*Row, depth int, prefix string) {
		for i, r := range rows {
			last := i == len(rows)-1
			l := make(line, len(o.Columns))
			for j, c := range o.Columns {
				l[j] = cell(c, c.value(r, &o.Env), escape, sep)
				if c == o.Tree && depth > 0 {
					l[j] = escape(prefix+g.branch(last)) + l[j]
				}
			}
			out = append(out, l)
			if depth > 0 {
				walk(r.Children, depth+1, prefix+g.indent(last))
			} else {
				walk(r.Children, 1, "")
			}
		}
	}
	walk(rows, 0, "")
	return out
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

func cell(c *Column, v any, escape func(string) string, sep string) string {
	items, ok := v.(multiline)
	if !ok {
		return escape(c.Text(v))
	}
	escaped := make([]string, len(items))
	for i, item := range items {
		escaped[i] = escape(item)
	}
	return strings.Join(escaped, sep)
}
