package render

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/nsinspect/nsinspect/inspect"
)

func TestColumnWidths(t *testing.T) {
	tests := []struct {
		name  string
		cols  []string
		lines []line
		want  []int
	}{
		// Cells outgrow the header "PID" but not the hint 5: the hint.
		{name: "PID hint", cols: []string{"PID"}, lines: []line{{"1234"}, {"1"}}, want: []int{5}},
		// Cells narrower than the header: the header, not the hint.
		{name: "PID header", cols: []string{"PID"}, lines: []line{{"12"}}, want: []int{3}},
		{name: "PID wider than hint", cols: []string{"PID"}, lines: []line{{"4194304"}}, want: []int{7}},
		// As wide as the header is not below it, so the hint applies:
		// lsns -t user prints TYPE 5 wide.
		{name: "TYPE equal to header", cols: []string{"TYPE"}, lines: []line{{"user"}}, want: []int{5}},
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Options{Columns: MustColumns(tt.cols...)}
			if got := columnWidths(tt.lines, o); !slices.Equal(got, tt.want) {
				t.Errorf("columnWidths(%q) = %v, want %v", tt.lines, got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	long := "unshare -uinmC -p --fork sh -c wait" // 35 cells
	tests := []struct {
		name       string
		cols       []string
		lines      []line
		widths     []int
		width      int
		wantLines  []line
		wantWidths []int
	}{
		{
			name:  "no terminal width",
			cols:  []string{"PID", "COMMAND"},
			lines: []line{{"1", long}}, widths: []int{5, 35}, width: 0,
			wantLines: []line{{"1", long}}, wantWidths: []int{5, 35},
		},
		{
			name:  "fits",
			cols:  []string{"PID", "COMMAND"},
			lines: []line{{"1", long}}, widths: []int{5, 35}, width: 41,
			wantLines: []line{{"1", long}}, wantWidths: []int{5, 35},
		},
		{
			// 5 + 1 + 35 = 41 cells into 20: COMMAND loses 21.
			name:  "cut to fit",
			cols:  []string{"PID", "COMMAND"},
			lines: []line{{"1", long}, {"2", "short"}}, widths: []int{5, 35}, width: 20,
			wantLines: []line{{"1", "unshare -uinmC"}, {"2", "short"}}, wantWidths: []int{5, 14},
		},
		{
			// COMMAND keeps its header's width even if the line stays
			// too long; PID and NS are never cut.
			name:  "not below header",
			cols:  []string{"NS", "PID", "COMMAND"},
			lines: []line{{"4026531836", "123456", long}}, widths: []int{10, 6, 35}, width: 10,
			wantLines: []line{{"4026531836", "123456", "unshare"}}, wantWidths: []int{10, 6, 7},
		},
		{
			name:  "only Trunc columns",
			cols:  []string{"COMMAND", "PATH"},
			lines: []line{{long, "/proc/1/ns/net"}}, widths: []int{35, 14}, width: 30,
			wantLines: []line{{"unshare -uinmC", "/proc/1/ns/net"}}, wantWidths: []int{15, 14},
		},
		{
			// Cut by cells, not bytes: a wide character is not split in
			// half, so the cell may end up one short of the width.
			name:  "CJK",
			cols:  []string{"COMMAND"},
			lines: []line{{"日本語日本語日本語"}}, widths: []int{18}, width: 9,
			wantLines: []line{{"日本語日"}}, wantWidths: []int{9},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Options{Columns: MustColumns(tt.cols...), Width: tt.width}
			truncate(tt.lines, tt.widths, o)
			if !slices.EqualFunc(tt.lines, tt.wantLines, slices.Equal) {
				t.Errorf("lines = %q, want %q", tt.lines, tt.wantLines)
			}
			if !slices.Equal(tt.widths, tt.wantWidths) {
				t.Errorf("widths = %v, want %v", tt.widths, tt.wantWidths)
			}
		})
	}
}

func TestWriteTable(t *testing.T) {
	tests := []struct {
		name       string
		cols       []string
		tree       string
		noHeadings bool
		width      int
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
			trees: []treeCell{{below: "│ "}, {below: "  "}},
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
			// Still as wide as the header would be, as lsns -n.
			want: "user    2775\n",
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
			trees: []treeCell{{}, {}},
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Options{Columns: MustColumns(tt.cols...), NoHeadings: tt.noHeadings, Width: tt.width}
			if tt.tree != "" {
				o.Tree = MustColumns(tt.tree)[0]
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
			proc := &inspect.Process{PID: 7, Command: tt.command}
			rows := []*Row{{NS: &inspect.Namespace{ID: 10, Type: inspect.IPC, Procs: []*inspect.Process{proc}}, Proc: proc}}
			cols := MustColumns("PID", "COMMAND")
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
				if got, want := b.String(), "  7 "+tt.want+"\n"; got != want {
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
		proc := &inspect.Process{PID: i + 1, Command: command}
		rows = append(rows, &Row{NS: &inspect.Namespace{ID: inspect.NSID(10 + i), Type: inspect.IPC}, Proc: proc})
	}
	var b strings.Builder
	if err := Write(&b, rows, Options{Columns: MustColumns("PID", "COMMAND", "NS")}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want a header and 3 rows", len(lines))
	}
	for i, l := range lines {
		// PID as wide as its header, NS as its width hint.
		if want := 3 + 1 + lsnsCommandBytes + 1 + 10; len(l) != want {
			t.Errorf("line %d is %d bytes, want %d: %.40q...%q", i, len(l), want, l, tail(l))
		}
	}
}

// tail is the end of s, for messages about long lines.
func tail(s string) string { return s[max(0, len(s)-20):] }
