package render

import (
	"bufio"
	"io"
	"strings"
)

// WriteColumnList prints the column registry for -H as lsns does: a column
// name, its JSON type and a description per line, no header, under the JSON
// key "lsns-columns".
func WriteColumnList(w io.Writer, format Format) error {
	bw := bufio.NewWriter(w)
	var err error
	if format == FormatJSON {
		var b strings.Builder
		b.WriteString("{\n   \"lsns-columns\": [\n")
		for i, c := range Columns {
			if i == 0 {
				b.WriteString("      {\n")
			} else {
				b.WriteString("      },{\n")
			}
			for j, kv := range [][2]string{{"holder", c.Name}, {"type", c.Kind.String()}, {"description", c.Help}} {
				b.WriteString("         ")
				appendString(&b, kv[0])
				b.WriteString(": ")
				appendString(&b, kv[1])
				if j < 2 {
					b.WriteByte(',')
				}
				b.WriteByte('\n')
			}
		}
		b.WriteString("      }\n   ]\n}\n")
		_, err = bw.WriteString(b.String())
	} else {
		o := &Options{NoHeadings: true, Columns: []*Column{
			{Name: "HOLDER", Kind: Number}, {Name: "TYPE"}, {Name: "DESCRIPTION"},
		}}
		ls := make([]line, len(Columns))
		for i, c := range Columns {
			ls[i] = line{c.Name, c.Kind.String(), c.Help}
		}
		if format == FormatRaw {
			for _, l := range ls {
				for i := range l {
					l[i] = Raw(l[i])
				}
			}
			err = writeRaw(bw, ls, o)
		} else {
			err = writeTable(bw, ls, o)
		}
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}
