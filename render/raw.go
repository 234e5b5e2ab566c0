package render

// writeRaw prints a header line of column names, unless o.NoHeadings, and a
// line per row, cells separated by one space. Cells are escaped as they are
// written, never held: escaped, a command line may grow fourfold.
func writeRaw(w textWriter, rows []*Row, o *Options) {
	if len(rows) == 0 {
		return
	}
	if !o.NoHeadings {
		writeRawLine(w, headers(o.Columns))
	}
	eachRow(rows, o, func(r *Row, branch, _ string) {
		for j, c := range o.Columns {
			if j > 0 {
				w.WriteByte(' ')
			}
			if c == o.Tree {
				escapeRaw(w, branch)
			}
			v := r.Cells[j]
			items, ok := v.(Lines)
			if !ok {
				escapeRaw(w, c.Text(v))
				continue
			}
			for i, item := range items {
				if i > 0 {
					w.WriteByte(',')
				}
				escapeRaw(w, item)
			}
		}
		w.WriteByte('\n')
	})
}

// writeRawLine prints cells that are escaped already.
func writeRawLine(w textWriter, cells []string) {
	for i, c := range cells {
		if i > 0 {
			w.WriteByte(' ')
		}
		w.WriteString(c)
	}
	w.WriteByte('\n')
}
