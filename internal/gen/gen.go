package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/render"
)

// A target is a hand-written file and the regions of it that are generated.
type target struct {
	path    string
	regions []region
	// valid, where set, checks the whole file once it is written.
	valid func(text []byte) error
}

// A region is the lines strictly between the line that holds begin and the
// next line that holds end; begin must be in the file once.
type region struct {
	begin, end string
	text       func(cols []query.ColumnDoc) (string, error)
}

// targets are the files gen writes, relative to the repository's root.
var targets = []target{
	{path: "man/nsinspect.8", regions: []region{
		manRegion("lsns columns", false),
		manRegion("contents columns", true),
	}},
	{path: "README.md", regions: []region{
		readmeRegion("lsns columns", false),
		readmeRegion("contents columns", true),
	}},
	// JSON has no comments: the row's "$comment" begins the region and the
	// hand-written "children", which is no column, ends it.
	{path: "schema/nsinspect.schema.json", regions: []region{
		{begin: `"$comment": "The properties but children are generated`, end: `"children": {`, text: schemaProperties},
	}, valid: validJSON},
	{path: "completions/nsinspect.bash", regions: []region{
		shellRegion(fallback{first: "\t\tlocal -a fallback=(", indent: "\t\t\t", last: ")"}),
	}},
	{path: "completions/_nsinspect", regions: []region{
		shellRegion(fallback{first: "      local -a fallback=( ", indent: "        ", last: " )"}),
	}},
	{path: "completions/nsinspect.fish", regions: []region{
		shellRegion(fallback{first: "        set -l fallback ", indent: "            ", eol: " \\"}),
	}},
}

// generate returns old with each of t's regions written from cols.
func (t target) generate(old []byte, cols []query.ColumnDoc) ([]byte, error) {
	lines := strings.SplitAfter(string(old), "\n")
	for _, r := range t.regions {
		start, end, err := r.find(lines)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.path, err)
		}
		text, err := r.text(cols)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.path, err)
		}
		lines = append(lines[:start:start], append(strings.SplitAfter(text, "\n"), lines[end:]...)...)
	}
	out := []byte(strings.Join(lines, ""))
	if t.valid != nil {
		if err := t.valid(out); err != nil {
			return nil, fmt.Errorf("%s: %w", t.path, err)
		}
	}
	return out, nil
}

// find returns the region's lines, lines[start:end].
func (r region) find(lines []string) (start, end int, err error) {
	begin := -1
	for i, l := range lines {
		if strings.Contains(l, r.begin) {
			if begin >= 0 {
				return 0, 0, fmt.Errorf("marker %q twice, on lines %d and %d", r.begin, begin+1, i+1)
			}
			begin = i
		}
	}
	if begin < 0 {
		return 0, 0, fmt.Errorf("no marker %q", r.begin)
	}
	for i := begin + 1; i < len(lines); i++ {
		if strings.Contains(lines[i], r.end) {
			return begin + 1, i, nil
		}
	}
	return 0, 0, fmt.Errorf("no marker %q after line %d", r.end, begin+1)
}

// section returns the lsns columns, or the contents columns, of cols.
func section(cols []query.ColumnDoc, contents bool) []query.ColumnDoc {
	var s []query.ColumnDoc
	for _, c := range cols {
		if c.Contents == contents {
			s = append(s, c)
		}
	}
	return s
}

// manRegion is an item of OUTPUT COLUMNS per column: its name, its JSON type
// as -H and the schema name it, and the paragraph.
func manRegion(name string, contents bool) region {
	return region{
		begin: `.\" BEGIN generated: ` + name,
		end:   `.\" END generated: ` + name,
		text: func(cols []query.ColumnDoc) (string, error) {
			var b strings.Builder
			for _, c := range section(cols, contents) {
				if c.Doc.Man == "" {
					return "", fmt.Errorf("column %s has no Doc.Man", c.Name)
				}
				fmt.Fprintf(&b, ".TP\n.BR %s \" (%s)\"\n%s\n", c.Name, c.Kind.JSONType(), c.Doc.Man)
			}
			return b.String(), nil
		},
	}
}

// readmeRegion is a Markdown table of a row per column; the contents
// columns' says what each has a value for.
func readmeRegion(name string, contents bool) region {
	return region{
		begin: "<!-- BEGIN generated: " + name,
		end:   "<!-- END generated: " + name,
		text: func(cols []query.ColumnDoc) (string, error) {
			var b strings.Builder
			if contents {
				b.WriteString("| column | for | JSON type | value |\n|---|---|---|---|\n")
			} else {
				b.WriteString("| column | JSON type | value |\n|---|---|---|\n")
			}
			for _, c := range section(cols, contents) {
				cells := []string{c.Name, readmeType(c), c.Doc.Readme}
				if contents {
					cells = []string{c.Name, c.Doc.For, readmeType(c), c.Doc.Readme}
				}
				for _, cell := range cells {
					if cell == "" || strings.ContainsAny(cell, "|\n") {
						return "", fmt.Errorf("column %s: README cell %q is empty or breaks the table (Doc.For, Doc.JSON, Doc.Readme)", c.Name, cell)
					}
				}
				fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
			}
			return b.String(), nil
		},
	}
}

// readmeType is the README's JSON type: Doc.JSON, else the kind's.
func readmeType(c query.ColumnDoc) string {
	if c.Doc.JSON != "" {
		return c.Doc.JSON
	}
	switch c.Kind {
	case render.Number:
		return "number"
	case render.String, render.Bool:
		return c.Kind.JSONType()
	}
	return "" // arrays and objects need Doc.JSON
}

// schemaProperties opens the row's properties and writes one per column:
// its description, its type or null, and Doc.SchemaMore.
func schemaProperties(cols []query.ColumnDoc) (string, error) {
	var b strings.Builder
	b.WriteString("      \"properties\": {\n")
	for _, c := range cols {
		if c.Doc.Schema == "" {
			return "", fmt.Errorf("column %s has no Doc.Schema", c.Name)
		}
		fmt.Fprintf(&b, "        %s: {\n          \"description\": %s,\n          \"type\": [%s, \"null\"]",
			jsonString(c.JSONKey()), jsonString(c.Doc.Schema), jsonString(c.Kind.JSONType()))
		if c.Doc.SchemaMore != "" {
			b.WriteString(",\n          " + strings.ReplaceAll(c.Doc.SchemaMore, "\n", "\n          "))
		}
		b.WriteString("\n        },\n")
	}
	return b.String(), nil
}

// jsonString is s as a JSON string, with <, > and & as they are.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err) // a string always encodes
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func validJSON(text []byte) error {
	var v any
	if err := json.Unmarshal(text, &v); err != nil {
		return fmt.Errorf("not JSON once generated (see Doc.SchemaMore): %w", err)
	}
	return nil
}

// fallback is how a completion script spells its list of column names: the
// first line's start, the next lines' indentation, what ends every line
// but the last (fish's backslash) and what ends the list.
type fallback struct {
	first, indent, eol, last string
}

// namesPerLine keeps the lists under 80 columns.
const namesPerLine = 10

// shellRegion is the completion script's fallback list, the column names
// it completes where the binary cannot be asked for them (nsinspect -H).
func shellRegion(f fallback) region {
	return region{
		begin: "# BEGIN generated: columns",
		end:   "# END generated: columns",
		text: func(cols []query.ColumnDoc) (string, error) {
			var b strings.Builder
			b.WriteString(f.first)
			for i, c := range cols {
				switch {
				case i == 0:
				case i%namesPerLine == 0:
					b.WriteString(f.eol + "\n" + f.indent)
				default:
					b.WriteString(" ")
				}
				b.WriteString(c.Name)
			}
			b.WriteString(f.last + "\n")
			return b.String(), nil
		},
	}
}
