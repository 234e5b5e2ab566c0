package render

import (
	"bufio"
	"io"
)

// WriteColumnList prints columns for -H as lsns does: a column name, its
// JSON type and a description per line, no header, under the JSON key
// "lsns-columns", laid out in style.
func WriteColumnList(w io.Writer, columns []*Column, format Format, style JSONStyle) error {
	bw := bufio.NewWriter(w)
	switch {
	case format == FormatJSON && style != JSONPretty:
		writeCompactJSON(bw, "lsns-columns", style, len(columns), func(i int) {
			c := columns[i]
			bw.WriteByte('{')
			for j, kv := range [][2]string{{"holder", c.Name}, {"type", c.Kind.String()}, {"description", c.Help}} {
				if j > 0 {
					bw.WriteByte(',')
				}
				appendString(bw, kv[0])
				bw.WriteByte(':')
				appendString(bw, kv[1])
			}
			bw.WriteByte('}')
		})
	case format == FormatJSON:
		bw.WriteString("{\n   \"lsns-columns\": [\n")
		for i, c := range columns {
			if i == 0 {
				bw.WriteString("      {\n")
			} else {
				bw.WriteString("      },{\n")
			}
			for j, kv := range [][2]string{{"holder", c.Name}, {"type", c.Kind.String()}, {"description", c.Help}} {
				bw.WriteString("         ")
				appendString(bw, kv[0])
				bw.WriteString(": ")
				appendString(bw, kv[1])
				if j < 2 {
					bw.WriteByte(',')
				}
				bw.WriteByte('\n')
			}
		}
		bw.WriteString("      }\n   ]\n}\n")
	case format == FormatRaw:
		for _, c := range columns {
			writeRawLine(bw, []string{Raw(c.Name), Raw(c.Kind.String()), Raw(c.Help)})
		}
	default:
		o := &Options{NoHeadings: true, Columns: []*Column{
			{Name: "HOLDER", Kind: Number}, {Name: "TYPE"}, {Name: "DESCRIPTION"},
		}}
		ls := make([]line, len(columns))
		for i, c := range columns {
			ls[i] = line{c.Name, c.Kind.String(), c.Help}
		}
		writeTable(bw, ls, nil, o)
	}
	// bufio.Writer keeps its first error and reports it here.
	return bw.Flush()
}
