package render

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendString(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "empty", in: "", want: `""`},
		{name: "plain", in: "sleep 30", want: `"sleep 30"`},
		{name: "quote", in: `say "hi"`, want: `"say \"hi\""`},
		{name: "backslash", in: `a\xb`, want: `"a\\xb"`},
		// The short escapes lsns writes (lib/jsonwrt.c).
		{name: "short escapes", in: "a\nb\tc\rd\be\ff", want: `"a\nb\tc\rd\be\ff"`},
		{name: "vertical tab", in: "\v", want: `"\u000b"`},
		{name: "NUL", in: "\x00", want: `"\u0000"`},
		{name: "ESC", in: "\x1b[31m", want: `"\u001b[31m"`},
		{name: "unit separator", in: "\x1f", want: `"\u001f"`},
		// JSON allows DEL raw; escaping it keeps the document printable.
		{name: "DEL", in: "\x7f", want: `"\u007f"`},
		// Everything else, C1 controls and U+2028 included, is valid JSON
		// as it is and goes through unchanged.
		{name: "C1 CSI", in: "\u009b", want: "\"\u009b\""},
		{name: "line separator", in: "\u2028", want: "\"\u2028\""},
		{name: "e acute", in: "é", want: `"é"`},
		{name: "emoji", in: "🐧", want: `"🐧"`},
		{name: "replacement character", in: "\ufffd", want: "\"\ufffd\""},
		// JSON text must be UTF-8: each invalid byte becomes one U+FFFD.
		{name: "invalid byte", in: "ff\xffz", want: "\"ff\ufffdz\""},
		{name: "truncated sequence", in: "\xe2\x80", want: "\"\ufffd\ufffd\""},
		{name: "UTF-16 surrogate", in: "\xed\xa0\x80", want: "\"\ufffd\ufffd\ufffd\""},
		// The JSON lsns 2.38.1 prints for the process of lsnsCommand, less
		// its é, which lsns writes as is too.
		{name: "lsns example", in: "a\\xb\\y \x1b[31mred\ttab 30", want: `"a\\xb\\y \u001b[31mred\ttab 30"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			appendString(&b, tt.in)
			if got := b.String(); got != tt.want {
				t.Errorf("appendString(%q) = %q, want %q", tt.in, got, tt.want)
			}
			checkJSONString(t, tt.in, b.String())
		})
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range []string{
		"", "sleep 30", lsnsCommand, `"\`, "\x00\x1f\x7f", "\u009b", "\u2028\u2029",
		"🐧", "\ufffd", "\xff", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var b strings.Builder
		appendString(&b, in)
		checkJSONString(t, in, b.String())
	})
}

// checkJSONString checks that got, appendString's output for in, is one JSON
// string that decodes to in, each invalid byte of in as U+FFFD, and carries
// no raw control character.
func checkJSONString(t *testing.T, in, got string) {
	t.Helper()
	if !utf8.ValidString(got) {
		t.Fatalf("appendString(%q) = %q: invalid UTF-8", in, got)
	}
	for i := 0; i < len(got); i++ {
		if got[i] < 0x20 || got[i] == 0x7f {
			t.Fatalf("appendString(%q) = %q: raw control byte %#02x at %d", in, got, got[i], i)
		}
	}
	var decoded string
	if err := json.Unmarshal([]byte(got), &decoded); err != nil {
		t.Fatalf("appendString(%q) = %q: %v", in, got, err)
	}
	// Converting to runes and back turns each invalid byte into one
	// U+FFFD, which is what appendString must do; valid UTF-8 is unchanged.
	if want := string([]rune(in)); decoded != want {
		t.Fatalf("appendString(%q) = %q, decodes to %q, want %q", in, got, decoded, want)
	}
}

// jsonTestRows builds a process tree of three namespaces, in the columns
// NS, TYPE, NPROCS, PID, PPID, USER, NSFS and COMMAND: init's pid
// namespace, a net namespace entered by a child of init, and below that a
// net namespace without processes, held by two bind mounts.
func jsonTestRows() []*Row {
	return []*Row{{
		Cells: []any{uint64(4026531836), "pid", 1, 1, 0, "0", nil, `/sbin/init "splash"`},
		Children: []*Row{{
			Cells: []any{uint64(4026532000), "net", 1, 1234, 1, "1000", nil, "sleep é\x1b[31m\xff"},
			Children: []*Row{{
				Cells: []any{uint64(4026532100), "net", 0, nil, nil, nil, Lines{"/run/netns/a", "/run/netns/b"}, nil},
			}},
		}},
	}}
}

// project keeps the cells at index of each row and its descendants.
func project(rows []*Row, index ...int) []*Row {
	var out []*Row
	for _, r := range rows {
		cells := make([]any, len(index))
		for i, j := range index {
			cells[i] = r.Cells[j]
		}
		out = append(out, &Row{Cells: cells, Children: project(r.Children, index...)})
	}
	return out
}

func TestWriteJSON(t *testing.T) {
	cols := columns("NS", "TYPE", "NPROCS", "PID", "PPID", "USER", "NSFS", "COMMAND")
	commandCol := columns("COMMAND")[0]
	tests := []struct {
		name string
		tree *Column
		// want is the decoded document's list: numbers as float64,
		// strings as string, empty cells as nil.
		want []any
	}{
		{
			// Without a tree column the rows are a flat list: no
			// "children" key anywhere.
			name: "flat",
			want: []any{
				map[string]any{"ns": 4026531836.0, "type": "pid", "nprocs": 1.0, "pid": 1.0, "ppid": 0.0,
					"user": "0", "nsfs": nil, "command": `/sbin/init "splash"`},
			},
		},
		{
			name: "tree",
			tree: commandCol,
			want: []any{
				map[string]any{"ns": 4026531836.0, "type": "pid", "nprocs": 1.0, "pid": 1.0, "ppid": 0.0,
					"user": "0", "nsfs": nil, "command": `/sbin/init "splash"`,
					"children": []any{
						map[string]any{"ns": 4026532000.0, "type": "net", "nprocs": 1.0, "pid": 1234.0, "ppid": 1.0,
							"user": "1000", "nsfs": nil, "command": "sleep é\x1b[31m\ufffd",
							"children": []any{
								// No process: its process columns are null, and
								// so is USER, as no owner is known. Two mounts
								// make one string, as lsns.
								map[string]any{"ns": 4026532100.0, "type": "net", "nprocs": 0.0, "pid": nil, "ppid": nil,
									"user": nil, "nsfs": "/run/netns/a\n/run/netns/b", "command": nil},
							},
						},
					},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Options{Format: FormatJSON, Columns: cols, Tree: tt.tree, Name: "namespaces"}
			var b strings.Builder
			writeJSON(&b, jsonTestRows(), o)
			var got map[string]any
			if err := json.Unmarshal([]byte(b.String()), &got); err != nil {
				t.Fatalf("writeJSON output does not parse: %v\n%s", err, b.String())
			}
			want := map[string]any{"namespaces": tt.want}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("writeJSON decoded to\n%#v\nwant\n%#v\noutput:\n%s", got, want, b.String())
			}
			checkJSONKinds(t, got["namespaces"], cols)
		})
	}
}

// checkJSONKinds checks every row of a decoded list, children included,
// against the registry: a Number column decodes as float64, a String column
// as string, either as nil when empty. Scripts rely on these types.
func checkJSONKinds(t *testing.T, list any, cols []*Column) {
	t.Helper()
	rows, ok := list.([]any)
	if !ok {
		t.Fatalf("list is %T, want []any", list)
	}
	for _, r := range rows {
		obj, ok := r.(map[string]any)
		if !ok {
			t.Fatalf("row is %T, want map[string]any", r)
		}
		for _, c := range cols {
			v, ok := obj[c.JSONKey()]
			if !ok {
				t.Errorf("row %v: no key %q", obj, c.JSONKey())
				continue
			}
			switch v.(type) {
			case nil:
			case float64:
				if c.Kind != Number {
					t.Errorf("%s = %v is a number, want a string", c.Name, v)
				}
			case string:
				if c.Kind != String {
					t.Errorf("%s = %q is a string, want a number", c.Name, v)
				}
			default:
				t.Errorf("%s = %v is %T", c.Name, v, v)
			}
		}
		if children, ok := obj["children"]; ok {
			checkJSONKinds(t, children, cols)
		}
	}
}

func TestWriteJSONEmpty(t *testing.T) {
	// lsns prints an empty list, not null and not nothing.
	o := &Options{Format: FormatJSON, Columns: columns("NS"), Name: "namespaces"}
	var b strings.Builder
	writeJSON(&b, nil, o)
	if got, want := b.String(), "{\n   \"namespaces\": []\n}\n"; got != want {
		t.Errorf("writeJSON(no rows) = %q, want %q", got, want)
	}
}

func TestWriteJSONLayout(t *testing.T) {
	// lsns -J -o NS,PID,COMMAND of a leaf and of a row with a child, byte
	// for byte: three spaces a level, "},{" between rows, and a leaf with
	// no "children" key.
	rows := []*Row{
		{Cells: []any{uint64(10), nil, nil}},
		{
			Cells:    []any{uint64(20), 7, "a"},
			Children: []*Row{{Cells: []any{uint64(30), nil, nil}}},
		},
	}
	cols := columns("NS", "PID", "COMMAND")
	o := &Options{Format: FormatJSON, Columns: cols, Tree: cols[2], Name: "namespaces"}
	var b strings.Builder
	writeJSON(&b, rows, o)
	want := `{
   "namespaces": [
      {
         "ns": 10,
         "pid": null,
         "command": null
      },{
         "ns": 20,
         "pid": 7,
         "command": "a",
         "children": [
            {
               "ns": 30,
               "pid": null,
               "command": null
            }
         ]
      }
   ]
}
`
	if got := b.String(); got != want {
		t.Errorf("writeJSON =\n%s\nwant\n%s", got, want)
	}
}

func TestParseJSONStyle(t *testing.T) {
	for in, want := range map[string]JSONStyle{
		"": JSONPretty, "compact": JSONCompact, "lines": JSONLines,
		// As libsmartcols: the exact word, else pretty.
		"COMPACT": JSONPretty, "line": JSONPretty, "pretty": JSONPretty,
	} {
		if got := ParseJSONStyle(in); got != want {
			t.Errorf("ParseJSONStyle(%q) = %v, want %v", in, got, want)
		}
	}
}

// LIBSMARTCOLS_JSON=compact and =lines, as lsns 2.42 prints them, but for
// the colon after "children", which lsns leaves out in the lines style.
func TestWriteJSONStyles(t *testing.T) {
	cols := columns("NS", "PID", "NSFS", "COMMAND")
	rows := append(project(jsonTestRows(), 0, 3, 6, 7), &Row{Cells: []any{uint64(4026532200), nil, nil, nil}})
	row1 := `{"ns":4026531836,"pid":1,"nsfs":null,"command":"/sbin/init \"splash\"","children":[` +
		`{"ns":4026532000,"pid":1234,"nsfs":null,"command":"sleep é\u001b[31m` + "\ufffd" + `","children":[` +
		`{"ns":4026532100,"pid":null,"nsfs":"/run/netns/a\n/run/netns/b","command":null}]}]}`
	row2 := `{"ns":4026532200,"pid":null,"nsfs":null,"command":null}`
	tests := []struct {
		name  string
		style JSONStyle
		rows  []*Row
		want  string
	}{
		{"compact", JSONCompact, rows, "{\"namespaces\":[\n" + row1 + ",\n" + row2 + "\n]}\n"},
		{"compact empty", JSONCompact, nil, "{\"namespaces\":[\n]}\n"},
		{"lines", JSONLines, rows, row1 + "\n" + row2 + "\n"},
		// Nothing at all: no line, no object.
		{"lines empty", JSONLines, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Options{Format: FormatJSON, Columns: cols, Tree: cols[3], Name: "namespaces", JSON: tt.style}
			var b strings.Builder
			writeJSON(&b, tt.rows, o)
			if got := b.String(); got != tt.want {
				t.Errorf("writeJSON =\n%s\nwant\n%s", got, tt.want)
			}
			docs := []string{b.String()}
			if tt.style == JSONLines {
				docs = strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			}
			for _, doc := range docs {
				if doc != "" && !json.Valid([]byte(doc)) {
					t.Errorf("invalid JSON: %s", doc)
				}
			}
		})
	}
}

// Arrays and objects, of nsinspect's own columns, lose their blanks in the
// compact styles.
func TestAppendValueCompact(t *testing.T) {
	v := []any{Fields{{"a", 1}, {"b", "x"}}, 2}
	for _, tt := range []struct {
		compact bool
		want    string
	}{
		{false, `[{"a": 1, "b": "x"}, 2]`},
		{true, `[{"a":1,"b":"x"},2]`},
	} {
		var b strings.Builder
		appendValue(&b, v, tt.compact)
		if got := b.String(); got != tt.want {
			t.Errorf("appendValue(compact %v) = %s, want %s", tt.compact, got, tt.want)
		}
	}
}

func TestWriteColumnListStyles(t *testing.T) {
	for _, tt := range []struct {
		style        JSONStyle
		first, last  string
		lines, valid int
	}{
		{JSONCompact, `{"lsns-columns":[`, `]}`, len(testColumns) + 2, 1},
		{JSONLines, `{"holder":"NS","type":"<integer>","description":"namespace identifier (inode number)"}`, "", len(testColumns), len(testColumns)},
	} {
		var b strings.Builder
		if err := WriteColumnList(&b, testColumns, FormatJSON, tt.style); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(lines) != tt.lines || lines[0] != tt.first || (tt.last != "" && lines[len(lines)-1] != tt.last) {
			t.Errorf("style %v: %d lines, first %q, last %q; want %d, %q, %q", tt.style, len(lines), lines[0], lines[len(lines)-1], tt.lines, tt.first, tt.last)
		}
		valid := 0
		if json.Valid([]byte(b.String())) {
			valid = 1
		} else {
			for _, l := range lines {
				if json.Valid([]byte(l)) {
					valid++
				}
			}
		}
		if valid != tt.valid {
			t.Errorf("style %v: %d valid JSON documents, want %d:\n%s", tt.style, valid, tt.valid, b.String())
		}
	}
}
