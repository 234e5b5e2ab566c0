package render

import (
	"io"
	"strings"
)

// writeRaw prints a header line of column names, unless o.NoHeadings, and a
// line per row, cells separated by one space.
func writeRaw(w io.Writer, ls []line, o *Options) error {
	if len(ls) == 0 {
		return nil
	}
	if !o.NoHeadings {
		if _, err := io.WriteString(w, strings.Join(headers(o.Columns), " ")+"\n"); err != nil {
			return err
		}
	}
	for _, l := range ls {
		if _, err := io.WriteString(w, strings.Join(l, " ")+"\n"); err != nil {
			return err
		}
	}
	return nil
}
