package render

import (
	"io"
	"strings"
	"unicode/utf8"
)

// textWriter is what the outputs are written to: the bufio.Writer of Write,
// whose Flush reports the first error of any write, or a strings.Builder.
type textWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// writeJSON prints rows as libsmartcols does, three spaces a level, so that
// nsinspect -J and lsns -J can be compared byte for byte: an object holding
// one list, lower-case column names as keys, numbers as numbers, empty cells
// as null, children nested under "children" when the tree is drawn.
func writeJSON(w textWriter, rows []*Row, o *Options) {
	w.WriteString("{\n   ")
	appendString(w, o.Name)
	if len(rows) == 0 {
		w.WriteString(": []\n}\n")
		return
	}
	w.WriteString(": [\n")
	jsonRows(w, rows, o, 2)
	w.WriteString("   ]\n}\n")
}

func jsonRows(w textWriter, rows []*Row, o *Options, depth int) {
	indent := strings.Repeat("   ", depth)
	for i, r := range rows {
		if i == 0 {
			w.WriteString(indent + "{\n")
		} else {
			w.WriteString(indent + "},{\n")
		}
		nest := o.Tree != nil && len(r.Children) > 0
		for j, c := range o.Columns {
			w.WriteString(indent + "   ")
			appendString(w, c.JSONKey())
			w.WriteString(": ")
			v := r.Cells[j]
			if m, ok := v.(Lines); ok {
				v = strings.Join(m, o.sep())
			}
			appendValue(w, v)
			if j < len(o.Columns)-1 || nest {
				w.WriteByte(',')
			}
			w.WriteByte('\n')
		}
		if nest {
			w.WriteString(indent + "   \"children\": [\n")
			jsonRows(w, r.Children, o, depth+2)
			w.WriteString(indent + "   ]\n")
		}
	}
	w.WriteString(indent + "}\n")
}

func appendValue(w textWriter, v any) {
	switch v := v.(type) {
	case nil:
		w.WriteString("null")
	case string:
		appendString(w, v)
	case []any:
		w.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				w.WriteString(", ")
			}
			appendValue(w, item)
		}
		w.WriteByte(']')
	case Fields:
		w.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				w.WriteString(", ")
			}
			appendString(w, f.Key)
			w.WriteString(": ")
			appendValue(w, f.Value)
		}
		w.WriteByte('}')
	default: // numbers and booleans
		w.WriteString(text(v))
	}
}

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, everything else as it is. JSON text must be UTF-8, so
// a byte that is not becomes U+FFFD, the one change to the process's text.
// Runs of bytes that need no escape are written in one call: a command line
// may be MaxCommand bytes long.
func appendString(w textWriter, s string) {
	w.WriteByte('"')
	plain := 0 // start of the run not yet written
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		size := 1
		if c >= utf8.RuneSelf {
			var r rune
			if r, size = utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || size > 1 {
				i += size
				continue
			}
		}
		w.WriteString(s[plain:i])
		switch c {
		case '"', '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case '\n':
			w.WriteString(`\n`)
		case '\t':
			w.WriteString(`\t`)
		case '\r':
			w.WriteString(`\r`)
		default:
			if c >= utf8.RuneSelf { // not UTF-8
				w.WriteString("\ufffd")
			} else {
				w.WriteString(`\u00`)
				w.WriteByte(hexDigits[c>>4])
				w.WriteByte(hexDigits[c&0xf])
			}
		}
		i += size
		plain = i
	}
	w.WriteString(s[plain:])
	w.WriteByte('"')
}
