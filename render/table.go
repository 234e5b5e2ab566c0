package render

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// twwidth's width cache, an LRU behind a mutex, costs more than it saves on
// cells as short as ours: without it a table of 3,600 rows took 45 ms
// instead of 70 (BenchmarkWriteTable).
func init() { twwidth.SetCacheCapacity(0) }

// treeCell is what the tree column of a line holds besides the row's text.
type treeCell struct {
	// art is the width of the glyphs that start the cell.
	art int
	// below is what the column shows on the printed lines below the
	// first, when another cell of the line has several: the glyphs that
	// carry the tree on, down to the row's children.
	below string
}

// writeTable prints lines as lsns 2.42's table (libsmartcols): no borders,
// one blank between columns, numbers right-aligned, columns sized as
// libsmartcols sizes them. Every column but the last is padded to its width
// and followed by the blank, so that a line whose last cell is empty ends in
// blanks; the last is not padded. trees, when the table has a tree column,
// holds a treeCell per line. An empty table prints nothing, as lsns.
func writeTable(w textWriter, ls []line, trees []treeCell, o *Options) {
	if len(ls) == 0 {
		return
	}
	cols := sizeColumns(ls, trees, o)
	if o.Width > 0 {
		fitColumns(cols, ls, o.Width)
	}
	var buf []byte // one printed line, reused
	if !o.NoHeadings {
		buf = appendTableLine(buf[:0], headers(o.Columns), cols)
		w.Write(buf)
	}
	var parts [][]string
	for k, l := range ls {
		height := 1
		for _, c := range l {
			height = max(height, strings.Count(c, "\n")+1)
		}
		if height == 1 {
			buf = appendTableLine(buf[:0], l, cols)
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
		buf = appendTableLine(buf[:0], sub, cols)
		w.Write(buf)
		for n := 1; n < height; n++ {
			for i, p := range parts {
				switch {
				case n < len(p):
					sub[i] = p[n]
				case cols[i].tree:
					sub[i] = trees[k].below
				default:
					sub[i] = ""
				}
			}
			buf = appendLowerLine(buf[:0], sub, cols)
			w.Write(buf)
		}
	}
}

// appendTableLine appends the first printed line of a row, or the header:
// each cell cut to its column's width where the column is cut, padded to it
// (on the left where the column is right-aligned) and followed by a blank,
// except in the last column, which is written as it is (a process may pad
// its command line), right-aligned where its column is, but never padded on
// the right.
func appendTableLine(buf []byte, cells []string, cols []tableColumn) []byte {
	for i, c := range cells {
		col := &cols[i]
		width := col.width
		n := twwidth.Width(c)
		last := i == len(cells)-1
		if n > width && col.trunc {
			c, n = cut(c, width)
		}
		if col.right && c != "" {
			buf = appendBlanks(buf, width-n)
			n = width
		}
		buf = append(buf, c...)
		if last {
			break
		}
		buf = appendBlanks(buf, width-n)
		buf = append(buf, ' ')
	}
	return append(buf, '\n')
}

// appendLowerLine appends a printed line below a row's first: the further
// lines of its multi-line cells, the tree's glyphs, blanks elsewhere, every
// cell left-aligned and none cut.
func appendLowerLine(buf []byte, cells []string, cols []tableColumn) []byte {
	for i, c := range cells {
		buf = append(buf, c...)
		if i == len(cells)-1 {
			break
		}
		buf = appendBlanks(buf, cols[i].width-twwidth.Width(c))
		buf = append(buf, ' ')
	}
	return append(buf, '\n')
}

// cut returns the start of s that fits in width cells, and its width. A
// character that does not fit whole is left out, and what fits is kept as
// it is, blanks at its end included, as libsmartcols cuts.
func cut(s string, width int) (string, int) {
	n := 0
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		w := twwidth.Width(s[i : i+size])
		if n+w > width {
			return s[:i], n
		}
		n += w
		i += size
	}
	return s, n
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

// tableColumn is a column of a table being printed, as libsmartcols 2.42
// sizes it (libsmartcols/src/calculate.c).
type tableColumn struct {
	width int
	// min is the width the column is never cut below: its header's, 1
	// without headings, 0 without headings and data.
	min int
	// max is the width of the widest cell: for a multi-line cell its
	// widest line, for the tree column with the tree's glyphs.
	max int
	// hint is the column's width hint (Column.Hint).
	hint  int
	right bool
	trunc bool
	tree  bool
	// art is the width of the widest glyphs of the tree column.
	art int
	// avg and dev are the mean and the standard deviation of the widths
	// of the column's cells, which rank the columns to cut first.
	avg, dev float64
}

// sizeColumns gives each column the width libsmartcols 2.42 gives it before
// it looks at the terminal: its widest cell, but at least its minimum
// width, the header's; and a column whose cells outgrow its minimum is
// widened to its width hint. Since 2.40, a hidden header sets no minimum:
// with -n the minimum is 1 cell, and the hint widens every column wider.
func sizeColumns(ls []line, trees []treeCell, o *Options) []tableColumn {
	cols := make([]tableColumn, len(o.Columns))
	for i, c := range o.Columns {
		col := &cols[i]
		col.hint = c.Hint
		col.tree = c == o.Tree
		col.right = c.Right() && !col.tree
		col.trunc = c.Trunc && !o.NoTrunc
		if !o.NoHeadings {
			col.min = twwidth.Width(c.Name)
		}
		if col.min == 0 {
			col.min = 1
		}
		for k, l := range ls {
			col.max = max(col.max, cellWidth(l[i]))
			if col.tree {
				col.art = max(col.art, trees[k].art)
			}
		}
		switch {
		case col.max <= col.min:
			col.width = col.min
		case col.max < col.hint && col.min < col.hint:
			col.width = col.hint
		default:
			col.width = col.max
		}
		// A column without a header or data takes no room, but for the
		// blank after it.
		if o.NoHeadings && col.max == 0 {
			col.width, col.min = 0, 0
		}
	}
	return cols
}

// cellWidth is the width of a cell: of its widest line.
func cellWidth(s string) int {
	if !strings.Contains(s, "\n") {
		return twwidth.Width(s)
	}
	w := 0
	for part := range strings.SplitSeq(s, "\n") {
		w = max(w, twwidth.Width(part))
	}
	return w
}

// fitColumns adjusts the widths of cols to a terminal width cells wide, as
// libsmartcols 2.42 does at a terminal. A table too wide has its cut
// columns (COMMAND) narrowed in stages, the column whose widths spread the
// most first, never below their minimum width, and not the tree column
// once the table is no wider than the tree's glyphs. A table narrower than
// the terminal has its columns widened to their width hints, a cell at a
// time from the right, while there is room: at a terminal, PID is 5 wide
// even where no PID has more than 3 digits.
func fitColumns(cols []tableColumn, ls []line, width int) {
	total := len(cols) - 1 // the blanks between columns
	for _, c := range cols {
		total += c.width
	}
	if total > width {
		narrow(cols, ls, &total, width)
		return
	}
	for total < width {
		widened := false
		for i := len(cols) - 1; i >= 0 && total < width; i-- {
			if c := &cols[i]; c.width < c.hint {
				c.width++
				total++
				widened = true
			}
		}
		if !widened {
			return
		}
	}
}

// narrow cuts columns until the table is width cells wide or no column may
// be cut more. libsmartcols goes through its stages, each over every
// column from the worst (the largest mean plus three standard deviations
// of its cells' widths) to the best, and moves to the next stage when one
// cut nothing. Of its stages, two apply to lsns's columns; the others cut
// columns that lsns does not have (without the trunc flag, or with width
// hints relative to the terminal).
func narrow(cols []tableColumn, ls []line, total *int, width int) {
	for i := range cols {
		cols[i].spread(ls, i)
	}
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	// Worst first; of equals, the one further right (libsmartcols sorts
	// its columns stably in ascending order and walks them backwards).
	slices.SortStableFunc(order, func(a, b int) int {
		// float64() keeps the compiler from fusing the multiply and
		// the add, which rounds differently.
		ka := cols[a].avg + float64(3*cols[a].dev)
		kb := cols[b].avg + float64(3*cols[b].dev)
		switch {
		case ka < kb:
			return 1
		case ka > kb:
			return -1
		}
		return b - a
	})
	for stage := 0; stage <= 6 && *total > width; {
		before := *total
		for nth, i := range order {
			if *total <= width {
				break
			}
			cols[i].narrow(total, width, stage, nth)
		}
		if *total == before {
			stage++
		}
	}
}

// narrow cuts the column in a stage of libsmartcols's; nth is its rank,
// worst first.
func (c *tableColumn) narrow(total *int, width, stage, nth int) {
	if c.width == c.min || c.width == 0 || !c.trunc || (c.tree && *total <= c.art) {
		return
	}
	was := c.width
	wanted := *total - width
	switch stage {
	case 0:
		// The worst column, to its typical width.
		if nth == 0 {
			c.toTypical(wanted)
		}
	case 5, 6:
		// A cell at a time, three for the worst column; in stage 5 only
		// columns whose widths spread widely.
		if stage == 5 && c.dev < c.avg/2.2 {
			return
		}
		by := 1
		if nth == 0 {
			by = min(wanted, 3)
		}
		c.width = max(c.width-min(by, c.width), c.min)
	}
	*total -= was - c.width
}

// toTypical narrows the column by up to wanted cells, but not below the
// width that the mean plus one standard deviation of its cells' widths
// gives (68% of normally distributed widths are below it).
func (c *tableColumn) toTypical(wanted int) {
	if c.dev < 1 {
		return
	}
	typical := min(max(int(c.avg+c.dev), c.min), c.max)
	switch {
	case typical >= c.width:
	case c.width-typical > wanted:
		c.width -= wanted
	default:
		c.width = typical
	}
}

// spread sets c.avg and c.dev from the widths of the cells of column i,
// with floating-point steps in libsmartcols's order, so that columns rank
// and cut the same: the mean, the sample variance, and its square root by
// Newton's method.
func (c *tableColumn) spread(ls []line, i int) {
	var sum int
	for _, l := range ls {
		sum += cellWidth(l[i])
	}
	n := float64(len(ls))
	c.avg = float64(sum) / n
	if len(ls) < 2 {
		return
	}
	var squares float64
	for _, l := range ls {
		d := float64(cellWidth(l[i])) - c.avg
		squares += float64(d * d)
	}
	c.dev = newtonSqrt(squares / float64(len(ls)-1))
}

// newtonSqrt is the square root as libsmartcols computes it, whose last
// digit may differ from math.Sqrt's. Newton's method can alternate between
// two neighbouring values without reaching a fixed point: a bound stops it.
func newtonSqrt(x float64) float64 {
	prev, r := 0.0, x/2
	for range 100 {
		if r == prev {
			break
		}
		prev = r
		r = (x/prev + prev) / 2
	}
	return r
}
