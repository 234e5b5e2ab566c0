package render

import (
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// twwidth's width cache, an LRU behind a mutex, costs more than it saves on
// cells as short as ours: without it a table of 3,600 rows took 45 ms
// instead of 70 (BenchmarkWriteTable).
func init() { twwidth.SetCacheCapacity(0) }

// treeCell is what the tree column of a line holds besides the row's text.
type treeCell struct {
	// below is what the column shows on the printed lines below the
	// first, when another cell of the line has several: the glyphs that
	// carry the tree on, down to the row's children.
	below string
}

// writeTable prints lines as lsns's table (libsmartcols): no borders, one
// blank between columns, numbers right-aligned, column widths as
// libsmartcols sets them. Every column but the last is padded to its width
// and followed by the blank, so that a line whose last cell is empty ends in
// blanks; the last is not padded. trees, when the table has a tree column,
// holds a treeCell per line. An empty table prints nothing, as lsns.
func writeTable(w textWriter, ls []line, trees []treeCell, o *Options) {
	if len(ls) == 0 {
		return
	}
	widths := columnWidths(ls, o)
	truncate(ls, widths, o)
	right := make([]bool, len(o.Columns))
	for i, c := range o.Columns {
		right[i] = c.Right() && c != o.Tree
	}
	var buf []byte // one printed line, reused
	if !o.NoHeadings {
		buf = appendTableLine(buf[:0], headers(o.Columns), widths, right)
		w.Write(buf)
	}
	var parts [][]string
	for k, l := range ls {
		height := 1
		for _, c := range l {
			height = max(height, strings.Count(c, "\n")+1)
		}
		if height == 1 {
			buf = appendTableLine(buf[:0], l, widths, right)
			w.Write(buf)
			continue
		}
		// A cell of several lines (NSFS) makes the row as high. The
		// other cells are blank below their first line, but for the
		// tree, which goes on down to the row's children.
		parts = parts[:0]
		for _, c := range l {
			parts = append(parts, strings.Split(c, "\n"))
		}
		sub := make(line, len(l))
		for i, p := range parts {
			sub[i] = p[0]
		}
		buf = appendTableLine(buf[:0], sub, widths, right)
		w.Write(buf)
		for n := 1; n < height; n++ {
			for i, p := range parts {
				switch {
				case n < len(p):
					sub[i] = p[n]
				case o.Columns[i] == o.Tree:
					sub[i] = trees[k].below
				default:
					sub[i] = ""
				}
			}
			buf = appendLowerLine(buf[:0], sub, widths)
			w.Write(buf)
		}
	}
}

// appendTableLine appends the first printed line of a row, or the header:
// each cell padded to its column's width (on the left where right is set)
// and followed by a blank, except in the last column, which is written as
// it is (a process may pad its command line), right-aligned where its
// column is, but never padded on the right.
func appendTableLine(buf []byte, cells []string, widths []int, right []bool) []byte {
	for i, c := range cells {
		n := twwidth.Width(c)
		if right[i] && c != "" {
			buf = appendBlanks(buf, widths[i]-n)
			n = widths[i]
		}
		buf = append(buf, c...)
		if i == len(cells)-1 {
			break
		}
		buf = appendBlanks(buf, widths[i]-n)
		buf = append(buf, ' ')
	}
	return append(buf, '\n')
}

// appendLowerLine appends a printed line below a row's first: the further
// lines of its multi-line cells, the tree's glyphs, blanks elsewhere, every
// cell left-aligned.
func appendLowerLine(buf []byte, cells []string, widths []int) []byte {
	for i, c := range cells {
		buf = append(buf, c...)
		if i == len(cells)-1 {
			break
		}
		buf = appendBlanks(buf, widths[i]-twwidth.Width(c))
		buf = append(buf, ' ')
	}
	return append(buf, '\n')
}

func appendBlanks(buf []byte, n int) []byte {
	for range n {
		buf = append(buf, ' ')
	}
	return buf
}

func headers(cols []*Column) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Name
	}
	return h
}

// columnWidths sizes columns as libsmartcols does: as wide as the widest cell
// or the header, and, where the cells outgrow the header, at least the
// column's width hint.
func columnWidths(ls []line, o *Options) []int {
	widths := make([]int, len(o.Columns))
	for i, c := range o.Columns {
		header := twwidth.Width(c.Name)
		data := 0
		for _, l := range ls {
			for part := range strings.SplitSeq(l[i], "\n") {
				data = max(data, twwidth.Width(part))
			}
		}
		switch {
		case data < header:
			widths[i] = header
		case data < c.Hint && header < c.Hint:
			widths[i] = c.Hint
		default:
			widths[i] = data
		}
	}
	return widths
}

// truncate cuts the cells of Trunc columns so that lines fit o.Width, but
// never below the header's width.
func truncate(ls []line, widths []int, o *Options) {
	if o.Width <= 0 {
		return
	}
	total := len(widths) - 1
	for _, w := range widths {
		total += w
	}
	for i, c := range o.Columns {
		if total <= o.Width {
			return
		}
		if !c.Trunc {
			continue
		}
		w := max(widths[i]-(total-o.Width), twwidth.Width(c.Name))
		total -= widths[i] - w
		widths[i] = w
		for _, l := range ls {
			// A cut cell ends where the cut fell, without blanks, as in lsns.
			l[i] = strings.TrimRight(twwidth.Truncate(l[i], w, ""), " ")
		}
	}
}
