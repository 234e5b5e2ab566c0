package render

import "io"

// WriteColumnList prints columns for -H as lsns does: a row per column with
// its name, its JSON type and its description, under the JSON key
// "lsns-columns" and without a header, in format and JSON style. It is an
// ordinary listing, printed by Write.
func WriteColumnList(w io.Writer, columns []*Column, format Format, style JSONStyle) error {
	rows := make([]*Row, len(columns))
	for i, c := range columns {
		rows[i] = &Row{Cells: []any{c.Name, c.Kind.String(), c.Help}}
	}
	return Write(w, rows, Options{
		Format: format, JSON: style, Columns: columnListColumns,
		Name: "lsns-columns", NoHeadings: true, NoWrap: format == FormatRaw,
	})
}

// columnListColumns are -H's columns; their names are its JSON keys.
var columnListColumns = []*Column{
	{Name: "HOLDER", AlignRight: true}, {Name: "TYPE"}, {Name: "DESCRIPTION"},
}
