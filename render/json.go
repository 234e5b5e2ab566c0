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

// JSONStyle is how JSON output is laid out: lsns 2.42 takes it from the
// environment variable LIBSMARTCOLS_JSON.
type JSONStyle uint8

// The JSON styles.
const (
	JSONPretty  JSONStyle = iota // three blanks a level, a value a line
	JSONCompact                  // the list in its object, a row a line
	JSONLines                    // a row a line, no enclosing object (JSON Lines)
)

// ParseJSONStyle returns the style that a value of LIBSMARTCOLS_JSON names:
// "compact", "lines", or anything else (unset included) for pretty.
func ParseJSONStyle(s string) JSONStyle {
	switch s {
	case "compact":
		return JSONCompact
	case "lines":
		return JSONLines
	}
	return JSONPretty
}

// writeJSON prints rows as libsmartcols does, so that nsinspect -J and
// lsns -J can be compared byte for byte: an object holding one list,
// lower-case column names as keys, numbers as numbers, empty cells as null,
// children nested under "children" when the tree is drawn.
func writeJSON(w textWriter, rows []*Row, o *Options) {
	if o.JSON != JSONPretty {
		writeCompactJSON(w, o.Name, o.JSON, len(rows), func(i int) { compactRow(w, rows[i], o) })
		return
	}
	w.WriteString("{\n   ")
	appendString(w, o.Name)
	switch {
	case len(rows) == 0 && o.LsnsEmpty:
		w.WriteString(": [\n\n   ]\n}\n")
		return
	case len(rows) == 0:
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
			appendValue(w, jsonValue(r.Cells[j], o), false)
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

// jsonValue is a row's cell for JSON: a multi-line cell is one string.
func jsonValue(v any, o *Options) any {
	if m, ok := v.(Lines); ok {
		return strings.Join(m, o.sep())
	}
	return v
}

// writeCompactJSON prints n objects, written by object, in a compact style
// as libsmartcols does: with JSONCompact, in a list under the key name,
// each on a line of its own; with JSONLines, each on a line and nothing
// else, not even for an empty list.
func writeCompactJSON(w textWriter, name string, style JSONStyle, n int, object func(i int)) {
	if style == JSONCompact {
		w.WriteByte('{')
		appendString(w, name)
		w.WriteString(":[")
	}
	for i := range n {
		if i > 0 && style == JSONCompact {
			w.WriteByte(',')
		}
		if i > 0 || style == JSONCompact {
			w.WriteByte('\n')
		}
		object(i)
	}
	switch {
	case style == JSONCompact:
		w.WriteString("\n]}\n")
	case n > 0:
		w.WriteByte('\n')
	}
}

// compactRow prints a row as one JSON object without blanks, its children
// nested in it. lsns 2.42 writes "children"[ without the colon in the
// lines style, which is not JSON; nsinspect writes the colon.
func compactRow(w textWriter, r *Row, o *Options) {
	w.WriteByte('{')
	for j, c := range o.Columns {
		if j > 0 {
			w.WriteByte(',')
		}
		appendString(w, c.JSONKey())
		w.WriteByte(':')
		appendValue(w, jsonValue(r.Cells[j], o), true)
	}
	if o.Tree != nil && len(r.Children) > 0 {
		w.WriteString(`,"children":[`)
		for i, child := range r.Children {
			if i > 0 {
				w.WriteByte(',')
			}
			compactRow(w, child, o)
		}
		w.WriteByte(']')
	}
	w.WriteByte('}')
}

// appendValue writes a cell's value. Arrays and objects (nsinspect's own
// columns) are written on one line, with blanks after their commas and
// colons unless compact.
func appendValue(w textWriter, v any, compact bool) {
	comma, colon := ", ", ": "
	if compact {
		comma, colon = ",", ":"
	}
	switch v := v.(type) {
	case nil:
		w.WriteString("null")
	case string:
		appendString(w, v)
	case []any:
		w.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				w.WriteString(comma)
			}
			appendValue(w, item, compact)
		}
		w.WriteByte(']')
	case Fields:
		w.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				w.WriteString(comma)
			}
			appendString(w, f.Key)
			w.WriteString(colon)
			appendValue(w, f.Value, compact)
		}
		w.WriteByte('}')
	default: // numbers and booleans
		w.WriteString(text(v))
	}
}

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, with lsns's short escapes (\b \t \n \f \r), and DEL
// too, which lsns writes raw; everything else as it is. JSON text must be
// UTF-8, so a byte that is not becomes U+FFFD, the one change to the
// process's text.
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
		case '\b':
			w.WriteString(`\b`)
		case '\t':
			w.WriteString(`\t`)
		case '\n':
			w.WriteString(`\n`)
		case '\f':
			w.WriteString(`\f`)
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
