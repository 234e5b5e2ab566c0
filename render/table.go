package render

import (
	"bytes"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// tablewriter's width cache, an LRU behind a mutex, costs more than it saves
// on cells as short as ours: without it a table of 3,600 rows takes 45 ms
// instead of 70 (BenchmarkWriteTable).
func init() { twwidth.SetCacheCapacity(0) }

// writeTable prints lines as lsns's table: no borders, one space between
// columns, numbers right-aligned, column widths as libsmartcols sets them,
// no trailing blanks. An empty table prints nothing, as lsns.
func writeTable(w io.Writer, ls []line, o *Options) error {
	if len(ls) == 0 {
		return nil
	}
	widths := columnWidths(ls, o)
	truncate(ls, widths, o)

	align := make([]tw.Align, len(o.Columns))
	perColumn := tw.NewMapper[int, int]()
	for i, c := range o.Columns {
		align[i] = tw.AlignLeft
		if c.Right() && c != o.Tree {
			align[i] = tw.AlignRight
		}
		perColumn.Set(i, widths[i])
	}
	var buf bytes.Buffer
	table := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders:  tw.BorderNone,
			Symbols:  tw.NewSymbolCustom("lsns").WithColumn(" "),
			Settings: tw.Settings{Lines: tw.LinesNone, Separators: tw.Separators{BetweenColumns: tw.On}},
		})),
		tablewriter.WithPadding(tw.PaddingNone),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithColumnWidths(perColumn),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)
	if !o.NoHeadings {
		table.Header(headers(o.Columns))
	}
	for _, l := range ls {
		if err := table.Append([]string(l)); err != nil {
			return err
		}
	}
	if err := table.Render(); err != nil {
		return err
	}
	// The last column is padded like the others; lsns's is not, but keeps
	// the blanks a cell ends with (a process may pad its command line).
	var ends []string // the last cell's part on each printed line
	if !o.NoHeadings {
		ends = append(ends, "")
	}
	for _, l := range ls {
		height := 1
		for _, c := range l {
			height = max(height, strings.Count(c, "\n")+1)
		}
		parts := strings.Split(l[len(l)-1], "\n")
		for k := range height {
			if k < len(parts) {
				ends = append(ends, parts[k])
			} else {
				ends = append(ends, "")
			}
		}
	}
	printed := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	for i, text := range printed {
		text = strings.TrimRight(text, " ")
		if i < len(ends) {
			end := ends[i]
			if kept := strings.TrimRight(end, " "); kept != end {
				if kept == "" {
					text += " " // the separator before a blank cell
				}
				text += end[len(kept):]
			}
		}
		if _, err := io.WriteString(w, text+"\n"); err != nil {
			return err
		}
	}
	return nil
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
			for _, part := range strings.Split(l[i], "\n") {
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
