package render

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// writeJSON prints rows as libsmartcols does, three spaces a level, so that
// nsinspect -J and lsns -J can be compared byte for byte: an object holding
// one list, lower-case column names as keys, numbers as numbers, empty cells
// as null, children nested under "children" when the tree is drawn.
func writeJSON(w io.Writer, rows []*Row, o *Options) error {
	var b strings.Builder
	b.WriteString("{\n   ")
	appendString(&b, o.Name)
	if len(rows) == 0 {
		b.WriteString(": []\n}\n")
	} else {
		b.WriteString(": [\n")
		jsonRows(&b, rows, o, 2)
		b.WriteString("   ]\n}\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func jsonRows(b *strings.Builder, rows []*Row, o *Options, depth int) {
	indent := strings.Repeat("   ", depth)
	for i, r := range rows {
		if i == 0 {
			b.WriteString(indent + "{\n")
		} else {
			b.WriteString(indent + "},{\n")
		}
		nest := o.Tree != nil && len(r.Children) > 0
		for j, c := range o.Columns {
			b.WriteString(indent + "   ")
			appendString(b, c.JSONKey())
			b.WriteString(": ")
			v := c.value(r, &o.Env)
			if m, ok := v.(multiline); ok {
				v = strings.Join(m, o.sep())
			}
			appendValue(b, v)
			if j < len(o.Columns)-1 || nest {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		if nest {
			b.WriteString(indent + "   \"children\": [\n")
			jsonRows(b, r.Children, o, depth+2)
			b.WriteString(indent + "   ]\n")
		}
	}
	b.WriteString(indent + "}\n")
}

func appendValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		appendString(b, v)
	case []any:
		b.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			appendValue(b, item)
		}
		b.WriteByte(']')
	case object:
		b.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			appendString(b, f.key)
			b.WriteString(": ")
			appendValue(b, f.value)
		}
		b.WriteByte('}')
	default: // numbers and booleans
		b.WriteString(text(v))
	}
}

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, everything else as it is. JSON text must be UTF-8, so
// a byte that is not becomes U+FFFD, the one change to the process's text.
func appendString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString("\ufffd")
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatUint(uint64(r)>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(r)&0xf, 16))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
