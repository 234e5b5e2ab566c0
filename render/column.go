// Package render prints rows of values as lsns does: tables, raw output,
// trees and JSON. It knows columns only by how they print (name, JSON type,
// width hint, alignment); what the values mean, and where they come from,
// is the caller's. It never touches /proc.
package render

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is a column's JSON type.
type Kind uint8

// The JSON types of columns. Scripts depend on them: they do not change.
const (
	String Kind = iota
	Number
	Bool
	Array  // a JSON array; items joined by commas in text
	Object // a JSON object; key=value pairs joined by commas in text
)

// JSONType is the kind as JSON Schema names it: string, integer, boolean,
// array, object. -H, the schema and the manual page all name it so.
func (k Kind) JSONType() string {
	return [...]string{"string", "integer", "boolean", "array", "object"}[k]
}

// String is the kind as lsns -H shows it: "<integer>".
func (k Kind) String() string { return "<" + k.JSONType() + ">" }

// Column says how a column prints.
type Column struct {
	Name string
	Kind Kind
	Help string
	// Hint is libsmartcols's width hint: a column whose cells outgrow its
	// header is widened to Hint, so that lsns's and our tables line up.
	Hint int
	// Trunc columns are cut to the terminal's width.
	Trunc bool
	// TableBytes, where set, is the most of the value that a table shows,
	// in bytes, cut before it is escaped. Raw and JSON output show it all.
	TableBytes int
	// AlignRight aligns a string column right, as lsns does NETNSID;
	// numbers always are.
	AlignRight bool
	// Format, where set, is how text outputs show a value (an array or an
	// object, say) instead of the default.
	Format func(v any) string
}

// Text returns the value as text outputs show it, unescaped.
func (c *Column) Text(v any) string {
	if c.Format != nil && v != nil {
		return c.Format(v)
	}
	return text(v)
}

// Right reports whether the column is right-aligned: numbers are.
func (c *Column) Right() bool { return c.Kind == Number || c.AlignRight }

// JSONKey is the column's key in JSON output.
func (c *Column) JSONKey() string { return strings.ToLower(c.Name) }

// Row is one line of output: its cells, in the order of Options.Columns,
// and the rows nested under it in a tree. A cell is nil (empty, JSON null),
// a bool, an integer, a float, a string, Lines, an []any or Fields.
type Row struct {
	Cells    []any
	Children []*Row
}

// Lines is a cell of several values, one per line in tables, joined by
// commas with -W and -r, one string in JSON, as lsns prints NSFS.
type Lines []string

// Fields is a cell that JSON shows as an object, its keys in order, and
// text outputs as key=value pairs.
type Fields []Field

// Field is a key and value of Fields.
type Field struct {
	Key   string
	Value any
}

// text formats a cell value for the text outputs, unescaped.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		items := make([]string, len(v))
		for i, item := range v {
			items[i] = text(item)
		}
		return strings.Join(items, ",")
	case Fields:
		items := make([]string, len(v))
		for i, f := range v {
			items[i] = f.Key + "=" + text(f.Value)
		}
		return strings.Join(items, ",")
	case Lines:
		return strings.Join(v, "\n")
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	default:
		return fmt.Sprint(v)
	}
}

// Text is how text outputs show a value of no particular column.
func Text(v any) string { return text(v) }
