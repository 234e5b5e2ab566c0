package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/render"
)

// root is the repository's root, from this package's directory.
const root = "../.."

// TestGeneratedFilesCurrent generates every target in memory from the
// registry and the files as they are, and fails where a file differs: a
// column changed and the documentation was not regenerated.
func TestGeneratedFilesCurrent(t *testing.T) {
	cols := query.ColumnDocs()
	for _, tg := range targets {
		t.Run(tg.path, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(root, tg.path))
			if err != nil {
				t.Fatal(err)
			}
			want, err := tg.generate(got, cols)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
				t.Errorf("%s is stale: run make generate (-generated +file):\n%s", tg.path, diff)
			}
		})
	}
}

// testColumns are two made-up columns, one of lsns's and one of contents.
var testColumns = []query.ColumnDoc{
	{Column: &render.Column{Name: "AAA", Kind: render.Number},
		Doc: Doc{Readme: "first `aaa`", Man: "The first.", Schema: `The "first".`, SchemaMore: "\"minimum\": 0,\n\"maximum\": 9"}},
	{Column: &render.Column{Name: "BBB", Kind: render.Array}, Contents: true,
		Doc: Doc{For: "net", JSON: "array of strings", Readme: "second", Man: ".B second\nline", Schema: "<second>"}},
}

// Doc is query.Doc, shorter in the tables of these tests.
type Doc = query.Doc

// TestGenerate writes each kind of region into a file of hand-written text
// around the markers and a stale list between them.
func TestGenerate(t *testing.T) {
	tests := []struct {
		name   string
		target target
		in     string
		want   string
	}{
		{"man", target{regions: []region{manRegion("lsns columns", false), manRegion("contents columns", true)}},
			".SH OUTPUT COLUMNS\nhand\n.\\\" BEGIN generated: lsns columns\nstale\n.\\\" END generated: lsns columns\n.PP\n" +
				".\\\" BEGIN generated: contents columns\n.\\\" END generated: contents columns\n.SH FILTER\n",
			".SH OUTPUT COLUMNS\nhand\n.\\\" BEGIN generated: lsns columns\n.TP\n.BR AAA \" (integer)\"\nThe first.\n.\\\" END generated: lsns columns\n.PP\n" +
				".\\\" BEGIN generated: contents columns\n.TP\n.BR BBB \" (array)\"\n.B second\nline\n.\\\" END generated: contents columns\n.SH FILTER\n"},
		{"readme", target{regions: []region{readmeRegion("lsns columns", false), readmeRegion("contents columns", true)}},
			"# Columns\n<!-- BEGIN generated: lsns columns -->\n| stale |\n<!-- END generated: lsns columns -->\ntext\n<!-- BEGIN generated: contents columns -->\n<!-- END generated: contents columns -->\n",
			"# Columns\n<!-- BEGIN generated: lsns columns -->\n| column | JSON type | value |\n|---|---|---|\n| AAA | number | first `aaa` |\n<!-- END generated: lsns columns -->\n" +
				"text\n<!-- BEGIN generated: contents columns -->\n| column | for | JSON type | value |\n|---|---|---|---|\n| BBB | net | array of strings | second |\n<!-- END generated: contents columns -->\n"},
		{"schema", target{regions: []region{{begin: `"$comment": "gen`, end: `"children": {`, text: schemaProperties}}, valid: validJSON},
			"{\"row\": {\n      \"$comment\": \"gen\",\n      \"properties\": {\n        \"stale\": {}\n        \"children\": {}\n      }\n}}\n",
			"{\"row\": {\n      \"$comment\": \"gen\",\n      \"properties\": {\n" +
				"        \"aaa\": {\n          \"description\": \"The \\\"first\\\".\",\n          \"type\": [\"integer\", \"null\"],\n          \"minimum\": 0,\n          \"maximum\": 9\n        },\n" +
				"        \"bbb\": {\n          \"description\": \"<second>\",\n          \"type\": [\"array\", \"null\"]\n        },\n" +
				"        \"children\": {}\n      }\n}}\n"},
		{"fish", target{regions: []region{shellRegion(fallback{first: "  set -l fallback ", indent: "    ", eol: " \\"})}},
			"if true\n  # BEGIN generated: columns\n  set -l fallback OLD\n  # END generated: columns\nend\n",
			"if true\n  # BEGIN generated: columns\n  set -l fallback AAA BBB\n  # END generated: columns\nend\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.target.generate([]byte(tc.in), testColumns)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("generated (-want +got):\n%s", diff)
			}
			again, err := tc.target.generate(got, testColumns)
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(got) {
				t.Errorf("a second run changes the text:\n%s", cmp.Diff(string(got), string(again)))
			}
		})
	}
}

// TestShellWraps: the fallback lists break after every namesPerLine names,
// with the script's continuation.
func TestShellWraps(t *testing.T) {
	var cols []query.ColumnDoc
	var names []string
	for i := range 2*namesPerLine + 1 {
		name := string(rune('A' + i))
		names = append(names, name)
		cols = append(cols, query.ColumnDoc{Column: &render.Column{Name: name}})
	}
	got, err := shellRegion(fallback{first: "x=(", indent: "\t", eol: " \\", last: ")"}).text(cols)
	if err != nil {
		t.Fatal(err)
	}
	want := "x=(" + strings.Join(names[:namesPerLine], " ") + " \\\n\t" +
		strings.Join(names[namesPerLine:2*namesPerLine], " ") + " \\\n\t" + names[2*namesPerLine] + ")\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestGenerateErrors: a file whose markers are missing or doubled, and a
// column whose documentation is missing or would break its file, are
// errors, not a file written wrong.
func TestGenerateErrors(t *testing.T) {
	man := target{path: "man", regions: []region{manRegion("lsns columns", false)}}
	readme := target{path: "readme", regions: []region{readmeRegion("lsns columns", false)}}
	schema := target{path: "schema", regions: []region{{begin: "BEGIN", end: "END", text: schemaProperties}}, valid: validJSON}
	const manFile = ".\\\" BEGIN generated: lsns columns\n.\\\" END generated: lsns columns\n"
	const readmeFile = "<!-- BEGIN generated: lsns columns -->\n<!-- END generated: lsns columns -->\n"
	col := func(kind render.Kind, doc Doc) []query.ColumnDoc {
		return []query.ColumnDoc{{Column: &render.Column{Name: "AAA", Kind: kind}, Doc: doc}}
	}
	full := Doc{Readme: "r", Man: "m", Schema: "s"}
	tests := []struct {
		name   string
		target target
		in     string
		cols   []query.ColumnDoc
		want   string
	}{
		{"no begin", man, "text\n", testColumns, `man: no marker ".\\\" BEGIN generated: lsns columns"`},
		{"no end", man, ".\\\" BEGIN generated: lsns columns\n.TP\n", testColumns, `man: no marker ".\\\" END generated: lsns columns" after line 1`},
		{"begin twice", man, manFile + manFile, testColumns, "on lines 1 and 3"},
		{"no man text", man, manFile, col(render.String, Doc{Readme: "r", Schema: "s"}), "column AAA has no Doc.Man"},
		{"no readme text", readme, readmeFile, col(render.String, Doc{Man: "m", Schema: "s"}), `README cell ""`},
		{"readme cell with a bar", readme, readmeFile, col(render.String, Doc{Readme: "a | b", Man: "m", Schema: "s"}), `README cell "a | b"`},
		{"array without JSON type", readme, readmeFile, col(render.Array, full), `README cell ""`},
		{"no schema text", schema, "{\nBEGIN\nEND\n", col(render.String, Doc{Readme: "r", Man: "m"}), "column AAA has no Doc.Schema"},
		{"schema not JSON", schema, "{\"a\": {\"$comment\": \"BEGIN\",\n\"children\": {}}}}END\n", col(render.String, Doc{Readme: "r", Man: "m", Schema: "s", SchemaMore: `"minimum"`}), "not JSON once generated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.target.generate([]byte(tc.in), tc.cols)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want one with %q", err, tc.want)
			}
		})
	}
}
