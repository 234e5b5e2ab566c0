package filter

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testKinds are lsns's columns, plus a Bool and a float column that lsns
// lacks but the grammar has.
var testKinds = map[string]Kind{
	"NS": Number, "TYPE": String, "PATH": String, "NPROCS": Number,
	"PID": Number, "PPID": Number, "COMMAND": String, "UID": Number,
	"USER": String, "NETNSID": String, "NSFS": String, "PNS": Number,
	"ONS": Number, "HELD": Bool, "LOAD": Number,
}

func testKind(name string) (Kind, bool) {
	k, ok := testKinds[name]
	return k, ok
}

type row map[string]any

// rows are namespaces as a caller would pass them: uint64 inodes, int64
// counts and ids, nil for an empty cell.
var rows = []struct {
	name string
	row  row
}{
	{"init", row{
		"NS": uint64(4026531836), "TYPE": "pid", "PATH": "/proc/1/ns/pid", "NPROCS": int64(120),
		"PID": int64(1), "PPID": int64(0), "COMMAND": "/sbin/init splash", "UID": int64(0),
		"USER": "root", "NETNSID": nil, "NSFS": nil, "PNS": uint64(0), "ONS": uint64(4026531837),
		"HELD": false, "LOAD": 0.5,
	}},
	{"net", row{
		"NS": uint64(4026531840), "TYPE": "net", "PATH": "/proc/1/ns/net", "NPROCS": int64(3),
		"PID": int64(1), "PPID": int64(0), "COMMAND": "/sbin/init splash", "UID": int64(0),
		"USER": "root", "NETNSID": "unassigned", "NSFS": "", "PNS": uint64(0), "ONS": uint64(4026531837),
		"HELD": false, "LOAD": 2.0,
	}},
	{"sleep", row{
		"NS": uint64(4026532200), "TYPE": "net", "PATH": "/proc/4242/ns/net", "NPROCS": int64(1),
		"PID": int64(4242), "PPID": int64(4000), "COMMAND": "sleep infinity", "UID": int64(1000),
		"USER": "alice", "NETNSID": "0", "NSFS": "/run/netns/blue", "PNS": uint64(0), "ONS": uint64(4026532199),
		"HELD": true, "LOAD": 1.5,
	}},
	{"ghost", row{ // a user namespace no process is in
		"NS": uint64(4026532199), "TYPE": "user", "PATH": nil, "NPROCS": int64(0),
		"PID": nil, "PPID": nil, "COMMAND": nil, "UID": int64(1000),
		"USER": "alice", "NETNSID": nil, "NSFS": nil, "PNS": uint64(4026531837), "ONS": uint64(4026531837),
		"HELD": nil, "LOAD": nil,
	}},
	{"mnt", row{
		"NS": uint64(4026531841), "TYPE": "mnt", "PATH": "/proc/7/ns/mnt", "NPROCS": int64(2),
		"PID": int64(7), "PPID": int64(1), "COMMAND": "/usr/lib/systemd/systemd-udevd", "UID": int64(0),
		"USER": "root", "NETNSID": nil, "NSFS": nil, "PNS": uint64(0), "ONS": uint64(4026531837),
		"HELD": false, "LOAD": 0.0,
	}},
}

// matchCases lists, for each expression, the rows it selects.
var matchCases = []struct {
	expr string
	want []string
}{
	// Every operator, in both spellings.
	{`NS == 4026531836`, []string{"init"}},
	{`NS eq 4026531836`, []string{"init"}},
	{`NS != 4026531836`, []string{"net", "sleep", "ghost", "mnt"}},
	{`NS ne 4026531836`, []string{"net", "sleep", "ghost", "mnt"}},
	{`PID < 7`, []string{"init", "net"}},
	{`PID lt 7`, []string{"init", "net"}},
	{`PID <= 7`, []string{"init", "net", "mnt"}},
	{`PID le 7`, []string{"init", "net", "mnt"}},
	{`PID > 1`, []string{"sleep", "mnt"}},
	{`PID gt 1`, []string{"sleep", "mnt"}},
	{`PID >= 7`, []string{"sleep", "mnt"}},
	{`PID ge 7`, []string{"sleep", "mnt"}},
	{`PID > 4242`, nil},
	{`NPROCS > 1 && TYPE == "net"`, []string{"net"}},
	{`NPROCS > 1 and TYPE == "net"`, []string{"net"}},
	{`PID < 10 || !COMMAND`, []string{"init", "net", "ghost", "mnt"}},
	{`PID < 10 or not COMMAND`, []string{"init", "net", "ghost", "mnt"}},
	{`COMMAND =~ "^sleep"`, []string{"sleep"}},
	{`TYPE !~ 'mnt|net'`, []string{"init", "ghost"}},
	{`COMMAND =~ "bin/init"`, []string{"init", "net"}}, // unanchored, as regexec(3)
	{`PATH =~ '^/proc/\d+/ns/pid$'`, []string{"init"}},
	{`NS =~ "^4026532[12]"`, []string{"sleep", "ghost"}}, // a number column read as text

	// Keywords and column names in any case; blanks optional.
	{`pid Eq 1 AnD type EQ "net"`, []string{"net"}},
	{`PID==1&&TYPE=="net"`, []string{"net"}},
	{`!COMMAND||PID>4000`, []string{"sleep", "ghost"}},
	{"PID == 1\n\tand\r\nTYPE == 'net'", []string{"net"}},

	// lsns's own test, with the helper's inode in place of "ino".
	{`NS == 4026532200 && NPROCS == 1`, []string{"sleep"}},

	// Precedence: not > comparison > and > or.
	{`TYPE == "pid" || TYPE == "net" && NPROCS == 1`, []string{"init", "sleep"}},
	{`(TYPE == "pid" || TYPE == "net") && NPROCS == 1`, []string{"sleep"}},
	{`NPROCS == 1 && TYPE == "net" || TYPE == "pid"`, []string{"init", "sleep"}},
	{`!(TYPE == "net")`, []string{"init", "ghost", "mnt"}},
	{`not (TYPE == "net") and PID`, []string{"init", "mnt"}},
	{`not not COMMAND`, []string{"init", "net", "sleep", "mnt"}},
	{`! ! ! COMMAND`, []string{"ghost"}},
	{`!PID == true`, []string{"ghost"}}, // (!PID) == true
	{`PID == 1 == true`, []string{"init", "net"}},
	{`(PID == 1) != (TYPE == "net")`, []string{"init", "sleep"}},

	// Parentheses.
	{`((((PID == 1))))`, []string{"init", "net"}},
	{`(PID) == 1`, []string{"init", "net"}},
	{`(PID == 1 || PID == 7) && (NPROCS >= 3 || TYPE == "mnt")`, []string{"init", "net", "mnt"}},

	// Empty values: every comparison is false but ne and !~; !COL is true.
	{`PID == 1`, []string{"init", "net"}},
	{`PID != 1`, []string{"sleep", "ghost", "mnt"}},
	{`PID < 100000`, []string{"init", "net", "sleep", "mnt"}},
	{`PID`, []string{"init", "net", "sleep", "mnt"}},
	{`!PID`, []string{"ghost"}},
	{`COMMAND =~ ""`, []string{"init", "net", "sleep", "mnt"}},
	{`COMMAND !~ "bin/init"`, []string{"sleep", "ghost", "mnt"}},
	{`NSFS`, []string{"sleep"}},     // "" is empty too
	{`NSFS == ""`, []string{"net"}}, // but compares as a string
	{`NETNSID != NSFS`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`PNS`, []string{"ghost"}}, // a bare number column is "not zero", as in lsns

	// Numbers compare as numbers, strings as strings.
	{`NPROCS > 2`, []string{"init", "net"}},        // as strings, "120" < "2"
	{`USER > "b"`, []string{"init", "net", "mnt"}}, // "root" > "b" > "alice"
	{`COMMAND < "/t"`, []string{"init", "net"}},    // "/usr..." > "/t"
	{`NETNSID == 0`, []string{"sleep"}},            // a number against a string column: as strings
	{`NETNSID == 00`, nil},                         // as written
	{`NS == "4026531836"`, []string{"init"}},       // a string against a number column: as numbers
	{`PID < "10"`, []string{"init", "net", "mnt"}}, // numerically; "4242" < "10" as strings
	{`PID > "-1"`, []string{"init", "net", "sleep", "mnt"}},
	{`NS > 4026531840`, []string{"sleep", "ghost", "mnt"}},
	{`LOAD > 1`, []string{"net", "sleep"}},
	{`LOAD == 2`, []string{"net"}},
	{`LOAD >= 0.5`, []string{"init", "net", "sleep"}},
	{`NPROCS < 2.5`, []string{"sleep", "ghost", "mnt"}},
	{`NPROCS == 1.0`, []string{"sleep"}},
	{`PNS == ONS`, []string{"ghost"}}, // column against column
	{`NS < ONS`, []string{"init"}},
	{`UID == NETNSID`, nil}, // number column against string column: as strings

	// Booleans.
	{`HELD`, []string{"sleep"}},
	{`!HELD`, []string{"init", "net", "ghost", "mnt"}},
	{`HELD == true`, []string{"sleep"}},
	{`HELD == FALSE`, []string{"init", "net", "mnt"}},
	{`HELD != true`, []string{"init", "net", "ghost", "mnt"}},
	{`HELD == "true"`, []string{"sleep"}},
	{`HELD < true`, []string{"init", "net", "mnt"}},
	{`true`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`false`, nil},
	{`TRUE && PID == 1`, []string{"init", "net"}},

	// Literals alone and against each other; string escapes.
	{`1`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`0`, nil},
	{`0.0`, nil},
	{`"x"`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`''`, nil},
	{`"a\"b" == 'a"b'`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`'it\'s' == "it's"`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`"a\\b" == 'a\b'`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`"\d" == '\\d'`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`1 == "1"`, []string{"init", "net", "sleep", "ghost", "mnt"}},
	{`2 > 10`, nil},
	{`"2" > "10"`, []string{"init", "net", "sleep", "ghost", "mnt"}},
}

func TestMatch(t *testing.T) {
	for _, tc := range matchCases {
		t.Run(tc.expr, func(t *testing.T) {
			f, err := Parse(tc.expr, testKind)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.expr, err)
			}
			var got []string
			for _, r := range rows {
				if f.Match(func(name string) any { return r.row[name] }) {
					got = append(got, r.name)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) matched (-want +got):\n%s", tc.expr, diff)
			}
		})
	}
}

var errorCases = []struct {
	expr string
	want string
}{
	{``, `filter: empty expression`},
	{" \t\n", `filter: empty expression`},
	{`NS ==`, `filter: position 6: expected a value after "=="`},
	{`NS == 1 &&`, `filter: position 11: expected a value after "&&"`},
	{`NS == )`, `filter: position 7: expected a value after "==", found ")"`},
	{`()`, `filter: position 2: expected a value after "(", found ")"`},
	{`&&`, `filter: position 1: expected a value, found "&&"`},
	{`== 1`, `filter: position 1: expected a value, found "=="`},
	{`(NS == 1`, `filter: position 9: expected ")" to close the "(" at position 1, found end of input`},
	{`((NS == 1) TYPE`, `filter: position 12: expected ")" to close the "(" at position 1, found "TYPE"`},
	{`NS == 1)`, `filter: position 8: unexpected ")" without a matching "("`},
	{`NS == 1 NS`, `filter: position 9: expected "and", "or" or end of input, found "NS"`},
	{`NS == 1 "x"`, `filter: position 9: expected "and", "or" or end of input, found "x"`},
	{`"abc`, `filter: position 1: unterminated string: no closing "`},
	{`TYPE == 'net`, `filter: position 9: unterminated string: no closing '`},
	{`TYPE == "net\"`, `filter: position 9: unterminated string: no closing "`},
	{`NS =~ "("`, "filter: position 7: bad regular expression \"(\": missing closing ): `(`"},
	{`TYPE !~ 'a**'`, "filter: position 9: bad regular expression 'a**': invalid nested repetition operator: `**`"},
	{`NS =~ 1`, `filter: position 7: expected a string (a regular expression) after "=~", found "1"`},
	{`NS !~ TYPE`, `filter: position 7: expected a string (a regular expression) after "!~", found "TYPE"`},
	{`FOO == 1`, `unknown column: FOO`},
	{`foo == 1`, `unknown column: foo`},
	{`USER == root`, `unknown column: root`}, // a bare word is a column on either side
	{`NS == ino && NPROCS == 1`, `unknown column: ino`},
	{`NS = 1`, `filter: position 4: unexpected "="; did you mean "=="?`},
	{`NS == 1 & PID`, `filter: position 9: unexpected "&"; did you mean "&&"?`},
	{`NS == 1 | PID`, `filter: position 9: unexpected "|"; did you mean "||"?`},
	{`NS # 1`, `filter: position 4: unexpected character "#"`},
	{`NS > -1`, `filter: position 6: unexpected character "-"`},           // scols-filter(5) has no negative literals
	{`COMMAND == "é" #`, `filter: position 16: unexpected character "#"`}, // positions count characters
	{`NS == ☃`, `filter: position 7: unexpected character "☃"`},
	{`NS == 12abc`, `filter: position 7: invalid number "12abc"`},
	{`NS == 1.`, `filter: position 7: invalid number "1."`},
	{`NS == 1.5.2`, `filter: position 7: invalid number "1.5.2"`},
	{`NS == 10K`, `filter: position 7: invalid number "10K"`},
	{`NS == 18446744073709551616`, `filter: position 7: number 18446744073709551616 is out of range`},
	{`NS == "abc"`, `filter: position 7: expected a number, found "abc"`},
	{`PID < '1x'`, `filter: position 7: expected a number, found '1x'`},
	{`HELD == 1`, `filter: position 6: cannot compare the boolean column HELD with the number 1`},
	{`HELD == "yes"`, `filter: position 9: expected true or false, found "yes"`},
	{`NS == true`, `filter: position 4: cannot compare the number column NS with the boolean true`},
	{`(NS == 1) > PID`, `filter: position 11: cannot compare a condition with the number column PID`},
	{`HELD == TYPE`, `filter: position 6: cannot compare the boolean column HELD with the string column TYPE`},
	{`!TYPE == "net"`, `filter: position 10: expected true or false, found "net"; to negate the comparison, write: ! (TYPE == "net")`},
	{`not NS == 1`, `filter: position 8: cannot compare a condition with the number 1; to negate the comparison, write: not (NS == 1)`},
	{strings.Repeat("(", 1000) + "NS" + strings.Repeat(")", 1000),
		`filter: position 257: expression nested too deeply (more than 256 levels of parentheses and "not")`},
	{strings.Repeat("!", 100000) + "NS",
		`filter: position 257: expression nested too deeply (more than 256 levels of parentheses and "not")`},
	{strings.Repeat("not (", 200) + "NS" + strings.Repeat(")", 200),
		`filter: position 641: expression nested too deeply (more than 256 levels of parentheses and "not")`},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range errorCases {
		name := tc.expr
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			f, err := Parse(tc.expr, testKind)
			if err == nil {
				t.Fatalf("Parse(%.40q) = %v, want error %q", tc.expr, f, tc.want)
			}
			if f != nil {
				t.Errorf("Parse(%.40q) returned a filter with its error", tc.expr)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Parse(%.40q) error:\n got %s\nwant %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestParseInvalidKind(t *testing.T) {
	_, err := Parse("X", func(string) (Kind, bool) { return Kind(7), true })
	if want := "filter: column X has an invalid kind 7"; err == nil || err.Error() != want {
		t.Errorf("Parse with a bad kind: error %v, want %q", err, want)
	}
	if _, err := Parse("X", nil); err == nil || err.Error() != "unknown column: X" {
		t.Errorf("Parse with no columns: error %v, want unknown column", err)
	}
}

func TestColumns(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`true`, nil},
		{`ns == 1`, []string{"NS"}},
		{`NS == 1 && ns > 2 || Type =~ "x" || !COMMAND`, []string{"NS", "TYPE", "COMMAND"}},
		{`PNS == ONS`, []string{"PNS", "ONS"}},
		{`(HELD == true) == (load > 1)`, []string{"HELD", "LOAD"}},
	}
	for _, tc := range tests {
		var asked []string
		f, err := Parse(tc.expr, func(name string) (Kind, bool) {
			asked = append(asked, name)
			return testKind(name)
		})
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.expr, err)
		}
		if diff := cmp.Diff(tc.want, f.Columns()); diff != "" {
			t.Errorf("Parse(%q).Columns() (-want +got):\n%s", tc.expr, diff)
		}
		if diff := cmp.Diff(tc.want, asked); diff != "" {
			t.Errorf("Parse(%q) asked columnKind for (-want +got):\n%s", tc.expr, diff)
		}
		// Columns is a copy: the caller may keep and change it.
		if cols := f.Columns(); len(cols) > 0 {
			cols[0] = "CHANGED"
			if f.Columns()[0] == "CHANGED" {
				t.Errorf("Parse(%q).Columns() shares its slice", tc.expr)
			}
		}
	}
}

type nsid uint64

type stringer struct{}

func (stringer) String() string { return "net" }

type panicker struct{}

func (panicker) String() string { panic("boom") }

// TestValueTypes checks that Match takes what callers are likely to pass,
// and compares integers exactly where float64 would round.
func TestValueTypes(t *testing.T) {
	tests := []struct {
		expr  string
		value any
		want  bool
	}{
		{`NS == 4026531836`, nsid(4026531836), true},
		{`NS == 4026531836`, int32(1), false},
		{`NS == 7`, uint8(7), true},
		{`NS == 7`, "7", true},
		{`NS == 7`, " 7 ", true},
		{`NS == 7`, "seven", false},
		{`NS != 7`, "seven", true}, // not a number: empty
		{`NS`, "seven", false},
		{`NS`, "", false},
		{`NS == 7`, 7, true},
		{`NS == 7`, float32(7), true},
		{`NS == 18446744073709551615`, uint64(math.MaxUint64), true},
		{`NS == 18446744073709551614`, uint64(math.MaxUint64), false},
		{`NS > 9007199254740992.0`, uint64(1<<53 + 1), true}, // as float64 they are equal
		{`NS == 9007199254740992.0`, uint64(1<<53 + 1), false},
		{`NS < 0`, int64(-5), true},
		{`NS < "-4"`, int64(-5), true},
		{`NS < "-0"`, int64(0), false},
		{`NS < "-9223372036854775807"`, int64(math.MinInt64), true},
		{`NS > 1`, math.Inf(1), true},
		{`NS < 18446744073709551615`, math.Inf(1), false},
		{`NS < 0.5`, math.Inf(-1), true},
		{`NS == 1`, math.NaN(), false},
		{`NS != 1`, math.NaN(), true},
		{`NS > 1`, math.NaN(), false},
		{`NS <= 1`, math.NaN(), false},
		{`NS`, math.NaN(), true},
		{`NS == 1`, true, true},
		{`NS =~ "^42$"`, int64(42), true},
		{`NS =~ "^0.25$"`, 0.25, true},
		{`NS > 0.5`, 0.75, true},
		{`NS > 0.5`, int64(1), true},
		{`NS > 1.5`, int64(1), false},
		{`NS < 1.5`, int64(-1), true},
		{`TYPE == "net"`, stringer{}, true},
		{`TYPE == "net"`, panicker{}, false},
		{`TYPE != "net"`, panicker{}, true},
		{`TYPE == "42"`, int64(42), true},
		{`TYPE == "true"`, true, true},
		{`TYPE == "x"`, struct{}{}, false},
		{`TYPE`, (*int)(nil), false},
		{`TYPE`, []string(nil), false},
		{`TYPE == "x"`, []string{"x"}, false},
		{`HELD`, "true", true},
		{`HELD`, "0", false},
		{`HELD`, int64(2), true},
		{`HELD`, "maybe", false},
		{`HELD == false`, "maybe", false},
	}
	for _, tc := range tests {
		f, err := Parse(tc.expr, testKind)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.expr, err)
		}
		if got := f.Match(func(string) any { return tc.value }); got != tc.want {
			t.Errorf("Parse(%q).Match(%T %#v) = %v, want %v", tc.expr, tc.value, tc.value, got, tc.want)
		}
	}
}

// TestWideAndDeep checks that a long chain stays cheap and that Match does
// not recurse per term.
func TestWideAndDeep(t *testing.T) {
	const n = 100000
	expr := strings.Repeat("PID == 1 && ", n) + "TYPE == 'net'"
	f, err := Parse(expr, testKind)
	if err != nil {
		t.Fatalf("Parse(%d terms): %v", n+1, err)
	}
	if !f.Match(func(name string) any { return rows[1].row[name] }) {
		t.Errorf("Parse(%d terms) did not match the net row", n+1)
	}
	deep := strings.Repeat("(", maxDepth) + "PID == 1" + strings.Repeat(")", maxDepth)
	if _, err := Parse(deep, testKind); err != nil {
		t.Errorf("Parse(%d levels): %v", maxDepth, err)
	}
}

// TestConcurrentMatch runs one Filter from many goroutines, for -race.
func TestConcurrentMatch(t *testing.T) {
	f, err := Parse(`COMMAND =~ "^/sbin" && NS > 4026531836 || HELD`, testKind)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, r := range rows {
				f.Match(func(name string) any { return r.row[name] })
			}
		})
	}
	wg.Wait()
}

// fuzzValues are what a row may hold, expected or not.
var fuzzValues = []any{
	nil, "", "net", "42", "-1", "4026531836", "abc", "true", "0", " ", "\x00\xff",
	int64(0), int64(1), int64(-1), int64(math.MinInt64), int64(math.MaxInt64),
	uint64(0), uint64(4026531836), uint64(math.MaxUint64),
	0.0, math.Copysign(0, -1), 1.5, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64,
	true, false, int32(7), nsid(9), float32(0.1), stringer{}, panicker{}, struct{}{}, []byte("x"),
}

func FuzzParse(f *testing.F) {
	for _, tc := range matchCases {
		f.Add(tc.expr, uint64(0))
	}
	for _, tc := range errorCases {
		if len(tc.expr) < 200 {
			f.Add(tc.expr, uint64(1))
		}
	}
	f.Fuzz(func(t *testing.T, expr string, seed uint64) {
		flt, err := Parse(expr, testKind)
		if err != nil {
			if flt != nil {
				t.Fatalf("Parse(%q) returned a filter and an error", expr)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "filter: ") && !strings.HasPrefix(msg, "unknown column: ") {
				t.Fatalf("Parse(%q) error %q has neither prefix", expr, msg)
			}
			return
		}
		cols := flt.Columns()
		for _, c := range cols {
			if _, ok := testKind(c); !ok {
				t.Fatalf("Parse(%q).Columns() has unknown column %q", expr, c)
			}
		}
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		for range 8 {
			row := row{}
			for name := range testKinds {
				row[name] = fuzzValues[r.IntN(len(fuzzValues))]
			}
			first := flt.Match(func(name string) any {
				if !slices.Contains(cols, name) {
					t.Fatalf("Parse(%q).Match asked for %q, not in Columns() %v", expr, name, cols)
				}
				return row[name]
			})
			if again := flt.Match(func(name string) any { return row[name] }); again != first {
				t.Fatalf("Parse(%q).Match is not deterministic", expr)
			}
		}
	})
}
