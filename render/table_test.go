package render

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

func TestSizeColumns(t *testing.T) {
	tests := []struct {
		name       string
		cols       []string
		noHeadings bool
		lines      []line
		want       []int
	}{
		// Cells outgrow the header "PID" but not the hint 5: the hint.
		{name: "PID hint", cols: []string{"PID"}, lines: []line{{"1234"}, {"1"}}, want: []int{5}},
		// Cells narrower than the header: the header, not the hint.
		{name: "PID header", cols: []string{"PID"}, lines: []line{{"12"}}, want: []int{3}},
		{name: "PID wider than hint", cols: []string{"PID"}, lines: []line{{"4194304"}}, want: []int{7}},
		// As wide as the header: the header. lsns 2.42 -t user prints
		// TYPE 4 wide (2.38 widened it to the hint, 5), and PPID 4
		// where no PPID has more than 4 digits.
		{name: "TYPE equal to header", cols: []string{"TYPE"}, lines: []line{{"user"}}, want: []int{4}},
		{name: "PPID equal to header", cols: []string{"PPID"}, lines: []line{{"1234"}, {"1"}}, want: []int{4}},
		{name: "TYPE below header", cols: []string{"TYPE"}, lines: []line{{"uts"}}, want: []int{4}},
		{name: "TYPE wider than hint", cols: []string{"TYPE"}, lines: []line{{"cgroup"}}, want: []int{6}},
		// The header "NPROCS" is wider than the hint 5: the hint never
		// applies.
		{name: "NPROCS header over hint", cols: []string{"NPROCS"}, lines: []line{{"2775"}}, want: []int{6}},
		{name: "NS inode", cols: []string{"NS"}, lines: []line{{"4026531836"}}, want: []int{10}},
		// Below the header: the header, whatever the hint.
		{name: "NS short", cols: []string{"NS"}, lines: []line{{"7"}}, want: []int{2}},
		// No hint: the widest cell or the header.
		{name: "COMMAND wide", cols: []string{"COMMAND"}, lines: []line{{"kthreadd"}, {"a"}}, want: []int{8}},
		{name: "COMMAND narrow", cols: []string{"COMMAND"}, lines: []line{{"a"}}, want: []int{7}},
		{name: "COMMAND empty", cols: []string{"COMMAND"}, lines: []line{{""}}, want: []int{7}},
		// A multi-line cell is as wide as its widest line.
		{name: "NSFS lines", cols: []string{"NSFS"}, lines: []line{{"/run/netns/a\n/run/netns/long"}}, want: []int{15}},
		// A wide character takes two cells; é takes one.
		{name: "CJK", cols: []string{"COMMAND"}, lines: []line{{"日本語日本語"}}, want: []int{12}},
		{name: "e acute", cols: []string{"COMMAND"}, lines: []line{{"ééééééééé"}}, want: []int{9}},
		{name: "several columns", cols: []string{"NS", "TYPE", "PID", "COMMAND"},
			lines: []line{{"4026531836", "pid", "1", "init"}, {"4026532000", "net", "1234", "sleep"}},
			want:  []int{10, 4, 5, 7}},
		// Without headings the minimum is 1 (libsmartcols 2.40): a
		// column is as wide as its cells, or the hint where they are
		// wider than 1 cell. lsns -n -o NETNSID prints "7", not
		// "      7"; -n -t user prints TYPE 5 wide and NPROCS "   68".
		{name: "no headings", cols: []string{"NETNSID", "TYPE", "NPROCS", "PID", "NS"}, noHeadings: true,
			lines: []line{{"7", "user", "68", "2", "4026531837"}},
			want:  []int{1, 5, 5, 1, 10}},
		// Without header or data, a column takes no room.
		{name: "no headings, no data", cols: []string{"NSFS", "PID"}, noHeadings: true,
			lines: []line{{"", "1"}}, want: []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Options{Columns: columns(tt.cols...), NoHeadings: tt.noHeadings}
			var got []int
			for _, c := range sizeColumns(tt.lines, nil, o) {
				got = append(got, c.width)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("widths of %q = %v, want %v", tt.lines, got, tt.want)
			}
		})
	}
}

func TestFitColumns(t *testing.T) {
	long := "unshare -uinmC -p --fork sh -c wait" // 35 cells
	tests := []struct {
		name  string
		cols  []string
		tree  string
		lines []line
		trees []treeCell
		width int
		want  []int
	}{
		{
			// The table fits: the columns with a width hint grow to
			// it, a cell at a time from the right, while there is room.
			name:  "hints",
			cols:  []string{"PID", "TYPE", "COMMAND"},
			lines: []line{{"1", "net", "init"}}, width: 80,
			want: []int{5, 5, 7},
		},
		{
			name:  "hints without room",
			cols:  []string{"PID", "TYPE", "COMMAND"},
			lines: []line{{"1", "net", "init"}}, width: 18,
			want: []int{4, 5, 7},
		},
		{
			// 3 + 1 + 35 = 39 cells into 20: COMMAND, the only column
			// that is cut, loses 19, 3 cells at a time, then 1.
			name:  "cut to fit",
			cols:  []string{"PID", "COMMAND"},
			lines: []line{{"1", long}, {"2", "short"}}, width: 20,
			want: []int{3, 16},
		},
		{
			// COMMAND keeps its header's width even if the line stays
			// too long; PID and NS are never cut.
			name:  "not below header",
			cols:  []string{"NS", "PID", "COMMAND"},
			lines: []line{{"4026531836", "123456", long}}, width: 10,
			want: []int{10, 6, 7},
		},
		{
			// The tree column is not cut once the table is no wider
			// than the tree's glyphs.
			name:  "tree",
			cols:  []string{"COMMAND"},
			tree:  "COMMAND",
			lines: []line{{"aaaa"}, {strings.Repeat("  ", 9) + "└─b"}},
			trees: []treeCell{{art: 0}, {art: 20}},
			width: 10,
			want:  []int{18},
		},
		{
			// Where the widths spread widely, the worst column is cut
			// first to its mean plus one standard deviation, 6 + 6.3
			// for nine cells of 4 and one of 24, then no more: the
			// table is no wider than the tree's glyphs.
			name: "tree cut to the typical width",
			cols: []string{"COMMAND"},
			tree: "COMMAND",
			lines: []line{{"aaaa"}, {"aaaa"}, {"aaaa"}, {"aaaa"}, {"aaaa"}, {"aaaa"}, {"aaaa"}, {"aaaa"}, {"aaaa"},
				{strings.Repeat("  ", 9) + "└─bbbb"}},
			trees: []treeCell{{}, {}, {}, {}, {}, {}, {}, {}, {}, {art: 20}},
			width: 10,
			want:  []int{12},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Options{Columns: columns(tt.cols...), Width: tt.width}
			if tt.tree != "" {
				o.Tree = columns(tt.tree)[0]
			}
			cols := sizeColumns(tt.lines, tt.trees, o)
			fitColumns(cols, tt.lines, tt.width)
			var got []int
			for _, c := range cols {
				got = append(got, c.width)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("widths = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"unshare -uinmC", 8, "unshare "}, // the blank stays, as in lsns
		{"abc", 5, "abc"},
		{"日本語", 5, "日本"}, // a wide character is not split
		{"ééé", 2, "éé"},
		{`a\x1bb`, 3, `a\x`}, // an escape may be cut, as lsns cuts it
	}
	for _, tt := range tests {
		got, n := cut(tt.in, tt.width)
		if got != tt.want || n != twwidth.Width(tt.want) {
			t.Errorf("cut(%q, %d) = %q, %d; want %q, %d", tt.in, tt.width, got, n, tt.want, twwidth.Width(tt.want))
		}
	}
}

func TestWriteTable(t *testing.T) {
	tests := []struct {
		name       string
		cols       []string
		tree       string
		noHeadings bool
		width      int
		noTrunc    bool
		lines      []line
		trees      []treeCell
		want       string
	}{
		{
			// lsns -t uts -p PID for the process of lsnsCommand, as lsns
			// 2.38.1 printed it.
			name:  "lsns example",
			cols:  []string{"NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND"},
			lines: []line{{"4026554376", "uts", "1", "23542", "root", Safe(lsnsCommand)}},
			want: "        NS TYPE NPROCS   PID USER COMMAND\n" +
				`4026554376 uts       1 23542 root a\x5cxb\y é\x1b[31mred\x09tab 30` + "\n",
		},
		{
			name:  "no lines",
			cols:  []string{"NS", "TYPE"},
			lines: nil,
			want:  "",
		},
		{
			// Every column but the last is padded and followed by a
			// blank, so a line whose last cell is empty ends in
			// blanks; the last column is not padded, to its header or
			// to the longest cell (lsns -o NS,TYPE,NSFS prints
			// "4026531833 net  ").
			name:  "trailing blanks",
			cols:  []string{"PID", "COMMAND", "USER"},
			lines: []line{{"1", "init", ""}, {"20", "kthreadd", "r"}},
			want: "PID COMMAND  USER\n" +
				"  1 init     \n" +
				" 20 kthreadd r\n",
		},
		{
			// But a last cell keeps the blanks it ends with, as lsns
			// prints them (bash -c 'sleep 50; :' "pad   "), also
			// below a multi-line cell.
			name:  "blanks of the last cell",
			cols:  []string{"PID", "NSFS", "COMMAND"},
			lines: []line{{"7", "/a\n/b", "pad   "}, {"8", "", "x"}},
			want: "PID NSFS COMMAND\n" +
				"  7 /a   pad   \n" +
				"    /b   \n" +
				"  8      x\n",
		},
		{
			// Below the first line of a row, the tree column carries
			// the tree on, to the row's children and later siblings.
			name:  "multi-line cell in a tree",
			cols:  []string{"NS", "NSFS", "COMMAND"},
			tree:  "COMMAND",
			lines: []line{{"1", "/a\n/b", "init"}, {"2", "/c\n/d", "└─sh"}},
			trees: []treeCell{{below: "│ "}, {art: 2, below: "  "}},
			want: "NS NSFS COMMAND\n" +
				" 1 /a   init\n" +
				"   /b   │ \n" +
				" 2 /c   └─sh\n" +
				"   /d     \n",
		},
		{
			name:       "no headings",
			cols:       []string{"TYPE", "NPROCS"},
			noHeadings: true,
			lines:      []line{{"user", "2775"}},
			// Not as wide as the header would be (lsns 2.40 and
			// later): as the hint, where the cells outgrow 1 cell.
			want: "user   2775\n",
		},
		{
			// NETNSID is a string column that lsns right-aligns.
			name:  "NETNSID right",
			cols:  []string{"NETNSID", "NS"},
			lines: []line{{"0", "4026531840"}, {"unassigned", "4026532000"}},
			want: "   NETNSID         NS\n" +
				"         0 4026531840\n" +
				"unassigned 4026532000\n",
		},
		{
			// The tree column is left-aligned even when it is a number,
			// as lsns -T prints NS.
			name:  "tree column left",
			cols:  []string{"NS", "TYPE"},
			tree:  "NS",
			lines: []line{{"4026531837", "user"}, {"└─4026532000", "net"}},
			trees: []treeCell{{}, {art: 2}},
			want: "NS           TYPE\n" +
				"4026531837   user\n" +
				"└─4026532000 net\n",
		},
		{
			// 日本語 takes six cells: PID starts at the same column on
			// both lines.
			name:  "CJK",
			cols:  []string{"USER", "PID"},
			lines: []line{{"日本語", "1"}, {"root", "2"}},
			want: "USER   PID\n" +
				"日本語   1\n" +
				"root     2\n",
		},
		{
			name:  "truncated",
			cols:  []string{"PID", "COMMAND"},
			width: 20,
			lines: []line{{"1", "unshare -uinmC -p --fork sh -c wait"}},
			// PID is 3 wide, so COMMAND gets 20 - 4 = 16 cells.
			want: "PID COMMAND\n" +
				"  1 unshare -uinmC -\n",
		},
		{
			// A cut cell keeps the blank it ends with.
			name:  "cut at a blank",
			cols:  []string{"PID", "COMMAND"},
			width: 12,
			lines: []line{{"1", "abcdefg hij"}},
			want: "PID COMMAND\n" +
				"  1 abcdefg \n",
		},
		{
			// -u: nothing is cut, but the hints still widen the
			// columns at a terminal wider than the table (PID to 5
			// cells); one narrower leaves them be.
			name:    "not cut",
			cols:    []string{"PID", "COMMAND"},
			width:   60,
			noTrunc: true,
			lines:   []line{{"1", "unshare -uinmC -p --fork sh -c wait"}, {"2", "sh"}},
			want: "  PID COMMAND\n" +
				"    1 unshare -uinmC -p --fork sh -c wait\n" +
				"    2 sh\n",
		},
		{
			name:    "not cut, narrow",
			cols:    []string{"PID", "COMMAND"},
			width:   20,
			noTrunc: true,
			lines:   []line{{"1", "unshare -uinmC -p --fork sh -c wait"}},
			want: "PID COMMAND\n" +
				"  1 unshare -uinmC -p --fork sh -c wait\n",
		},
		{
			// At a terminal wider than the table, PID grows to its
			// hint, 5, and NS and TYPE are at theirs.
			name:  "terminal wider than the table",
			cols:  []string{"NS", "TYPE", "PID", "COMMAND"},
			width: 80,
			lines: []line{{"4026531837", "user", "1", "init"}},
			want: "        NS TYPE    PID COMMAND\n" +
				"4026531837 user      1 init\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Options{Columns: columns(tt.cols...), NoHeadings: tt.noHeadings, Width: tt.width, NoTrunc: tt.noTrunc}
			if tt.tree != "" {
				o.Tree = columns(tt.tree)[0]
			}
			var b strings.Builder
			writeTable(&b, tt.lines, tt.trees, o)
			if got := b.String(); got != tt.want {
				t.Errorf("writeTable =\n%s\nwant\n%s\n(%q, want %q)", got, tt.want, got, tt.want)
			}
		})
	}
}

// A table shows the first 8191 bytes of a command line, as lsns reads it,
// cut before escaping, so that an escape or a character at the cut is
// written as lsns writes it; raw and JSON output carry it all.
func TestTableCutsCommand(t *testing.T) {
	long := "sleep " + strings.Repeat("x", 20000)
	at := func(s string) string { return strings.Repeat("y", lsnsCommandBytes-1) + s }
	tests := []struct {
		name, command, want string
	}{
		{name: "long", command: long, want: long[:lsnsCommandBytes]},
		{name: "as long as lsns's", command: long[:lsnsCommandBytes], want: long[:lsnsCommandBytes]},
		{name: "escape at the cut", command: at("\x1b[31m"), want: at(`\x1b`)},
		// é is two bytes: lsns keeps the first and escapes it.
		{name: "character at the cut", command: at("é"), want: at(`\xc3`)},
		{name: "short", command: "sleep 1", want: "sleep 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := []*Row{{Cells: []any{7, tt.command}}}
			cols := columns("PID", "COMMAND")
			for _, args := range []struct {
				name string
				o    Options
			}{
				{"list", Options{Columns: cols, NoHeadings: true}},
				{"tree", Options{Columns: cols, NoHeadings: true, Tree: cols[1]}},
			} {
				var b strings.Builder
				if err := Write(&b, rows, args.o); err != nil {
					t.Fatal(err)
				}
				// Without headings PID is as wide as its cells.
				if got, want := b.String(), "7 "+tt.want+"\n"; got != want {
					t.Errorf("%s: got %d bytes (...%q), want %d (...%q)", args.name, len(got), tail(got), len(want), tail(want))
				}
			}
			var b strings.Builder
			if err := Write(&b, rows, Options{Format: FormatRaw, Columns: cols, NoHeadings: true}); err != nil {
				t.Fatal(err)
			}
			if got, want := b.String(), "7 "+Raw(tt.command)+"\n"; got != want {
				t.Errorf("raw: got %d bytes (...%q), want %d (...%q)", len(got), tail(got), len(want), tail(want))
			}
			b.Reset()
			if err := Write(&b, rows, Options{Format: FormatJSON, Columns: cols, Name: "namespaces"}); err != nil {
				t.Fatal(err)
			}
			var doc struct{ Namespaces []struct{ Command string } }
			if err := json.Unmarshal([]byte(b.String()), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Namespaces) != 1 || doc.Namespaces[0].Command != tt.command {
				t.Errorf("JSON does not carry the whole command line: %.100q", b.String())
			}
		})
	}
}

// A column is as wide as its widest cell, cut: one long command line widens
// every line of a table whose COMMAND is not last (--output-all) by 8191
// cells at most, as in lsns.
func TestTableWidthOfLongCommand(t *testing.T) {
	var rows []*Row
	for i, command := range []string{"sleep 1", strings.Repeat("z", 1<<20), "init"} {
		rows = append(rows, &Row{Cells: []any{i + 1, command, uint64(10 + i)}})
	}
	var b strings.Builder
	if err := Write(&b, rows, Options{Columns: columns("PID", "COMMAND", "NS")}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want a header and 3 rows", len(lines))
	}
	for i, l := range lines {
		// PID and NS as wide as their headers.
		if want := 3 + 1 + lsnsCommandBytes + 1 + 2; len(l) != want {
			t.Errorf("line %d is %d bytes, want %d: %.40q...%q", i, len(l), want, l, tail(l))
		}
	}
}

// tail is the end of s, for messages about long lines.
func tail(s string) string { return s[max(0, len(s)-20):] }
