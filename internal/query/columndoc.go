package query

import (
	"slices"

	"github.com/nsinspect/nsinspect/render"
)

// The manual page's OUTPUT COLUMNS, the README's column tables, the JSON
// schema's row properties and the completions' fallback lists are written
// from the registry by internal/gen: adding a column is one entry of the
// registry (columns.go, contents.go), then make generate.
//go:generate go run ../gen -root ../..

// Doc is what the documentation says of a column, in each of its languages:
// the generated parts of man/nsinspect.8, README.md and
// schema/nsinspect.schema.json. Name, JSON type and order come from the
// registry entry itself.
type Doc struct {
	// For is what a contents column has a value for, the README's "for":
	// namespace types ("uts", "pid, user"), "any" or "process rows".
	For string
	// JSON is the README's JSON type where the kind does not say it all
	// ("array of strings"); empty for "number", "string" and "boolean".
	JSON string
	// Readme is the README table's cell (Markdown, one line).
	Readme string
	// Man is the paragraph of the manual page's item (roff).
	Man string
	// Schema is the row property's description in the JSON schema.
	Schema string
	// SchemaMore is what the property says after its type: JSON members,
	// one or more lines, without the outer indentation ("minimum": 0).
	SchemaMore string
}

// ColumnDoc is a column as the documentation lists it.
type ColumnDoc struct {
	*render.Column
	// Contents: a column of what is inside a namespace, listed apart from
	// lsns's.
	Contents bool
	Doc      Doc
}

// ColumnDocs returns every column with its documentation, in the
// registry's order.
func ColumnDocs() []ColumnDoc {
	docs := make([]ColumnDoc, len(registry))
	for i, c := range registry {
		docs[i] = ColumnDoc{Column: &c.Column, Contents: slices.Contains(contentColumns, c), Doc: c.doc}
	}
	return docs
}
