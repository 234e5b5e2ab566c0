package render

import (
	"bytes"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// twwidth's width cache, an LRU behind a mutex, costs more than it saves on
// cells as short as ours: without it a table of 3,600 rows took 45 ms
// instead of 70 (BenchmarkWriteTable).
func init() { twwidth.SetCacheCapacity(0) }

// writeTable prints lines as lsns's table: no borders, one space between
// columns, numbers right-aligned, column widths as libsmartcols sets them,
// the last column not padded. An empty table prints nothing, as lsns.
func writeTable(w textWriter, ls []line, o *Options) {
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
	for _, l := range ls {
		height := 1
		for _, c := range l {
			height = max(height, strings.Count(c, "\n")+1)
		}
		if height == 1 {
			buf = appendTableLine(buf[:0], l, widths, right)
			w.Write(buf)
			continue
		}
		// A cell of several lines (NSFS) makes the row as high; the
		// other cells are blank below their first line.
		parts = parts[:0]
		for _, c := range l {
			parts = append(parts, strings.Split(c, "\n"))
		}
		sub := make(line, len(l))
		for k := range height {
			for i, p := range parts {
				sub[i] = ""
				if k < len(p) {
					sub[i] = p[k]
				}
			}
			buf = appendTableLine(buf[:0], sub, widths, right)
			w.Write(buf)
		}
	}
}

// appendTableLine appends one printed line of cells to buf: each cell
// padded to its column's width, on the left where right is set, one blank
// between columns. Blanks at the end of the line are left out, but the last
// cell keeps the blanks it ends with, as lsns prints them (a process may pad
// its command line).
func appendTableLine(buf []byte, cells []string, widths []int, right []bool) []byte {
	for i, c := range cells {
		if i > 0 {
			buf = append(buf, ' ')
		}
		pad := max(0, widths[i]-twwidth.Width(c))
		if right[i] {
			buf = appendBlanks(buf, pad)
		}
		buf = append(buf, c...)
		if !right[i] && i < len(cells)-1 {
			buf = appendBlanks(buf, pad)
		}
	}
	end := cells[len(cells)-1]
	kept := strings.TrimRight(end, " ")
	buf = bytes.TrimRight(buf, " ")
	if kept != end {
		if kept == "" {
			buf = append(buf, ' ') // the separator before a blank cell
		}
		buf = append(buf, end[len(kept):]...)
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
