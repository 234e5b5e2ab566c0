package render

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// lsnsCommand is the command line of
//
//	unshare --uts bash -c 'exec -a "$(printf "a\\\\xb\\\\y é\x1b[31mred\ttab")" sleep 30'
//
// as /proc/PID/cmdline gives it, NULs turned into spaces: a literal "\x"
// that must not read as an escape, a backslash that may stay, a printable
// non-ASCII letter, a terminal escape sequence and a tab.
const lsnsCommand = "a\\xb\\y é\x1b[31mred\ttab 30"

func TestSafe(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "empty", in: "", want: ""},
		{name: "plain ASCII", in: "sleep 30 --x=~!", want: "sleep 30 --x=~!"},
		// Checked against lsns 2.38.1 (`lsns -t uts`, C.UTF-8) on the
		// process above.
		{name: "lsns example", in: lsnsCommand, want: `a\x5cxb\y é\x1b[31mred\x09tab 30`},
		{name: "NUL", in: "a\x00b", want: `a\x00b`},
		{name: "newline", in: "a\nb", want: `a\x0ab`},
		{name: "carriage return", in: "a\rb", want: `a\x0db`},
		{name: "ESC", in: "\x1b]0;title\x07", want: `\x1b]0;title\x07`},
		{name: "TAB", in: "\t", want: `\x09`},
		{name: "DEL", in: "del\x7fv", want: `del\x7fv`}, // as lsns
		// C1 controls are two bytes in UTF-8; U+009B is CSI, which some
		// terminals honour like ESC [. As lsns.
		{name: "C1 CSI", in: "c1\u009bx", want: `c1\xc2\x9bx`},
		{name: "C1 NEL", in: "\u0085", want: `\xc2\x85`},
		// Bidi overrides reorder what follows them on screen, so a row could
		// show another command than it has. lsns 2.38.1 keeps them (glibc's
		// iswprint says yes); we escape every format character on purpose.
		{name: "bidi override", in: "bidi\u202ey", want: `bidi\xe2\x80\xaey`},
		{name: "bidi isolate", in: "\u2066x\u2069", want: `\xe2\x81\xa6x\xe2\x81\xa9`},
		{name: "zero width joiner", in: "a\u200db", want: `a\xe2\x80\x8db`},
		{name: "byte order mark", in: "\ufeff", want: `\xef\xbb\xbf`},
		{name: "line separator", in: "a\u2028b", want: `a\xe2\x80\xa8b`},
		// unicode.IsPrint counts only U+0020 as a printable space, so
		// NBSP is escaped; lsns keeps it. Pinned so that a change is a
		// decision, not an accident.
		{name: "no-break space", in: "a\u00a0b", want: `a\xc2\xa0b`},
		{name: "invalid byte", in: "ff\xffz", want: `ff\xffz`}, // as lsns
		{name: "lone continuation byte", in: "\x80", want: `\x80`},
		{name: "truncated sequence", in: "a\xe2\x80", want: `a\xe2\x80`},
		{name: "truncated sequence before ASCII", in: "\xe2\x80a", want: `\xe2\x80a`},
		{name: "overlong slash", in: "\xc0\xaf", want: `\xc0\xaf`},
		{name: "UTF-16 surrogate", in: "\xed\xa0\x80", want: `\xed\xa0\x80`},
		{name: "beyond U+10FFFF", in: "\xf4\x90\x80\x80", want: `\xf4\x90\x80\x80`},
		{name: "e acute", in: "é", want: "é"},
		{name: "combining acute", in: "e\u0301", want: "e\u0301"}, // as lsns
		{name: "CJK", in: "日本語", want: "日本語"},
		{name: "emoji", in: "🐧", want: "🐧"},
		{name: "replacement character", in: "\ufffd", want: "\ufffd"},
		// The backslash rule: only "\x" is ambiguous, so only a backslash
		// before 'x' is escaped.
		{name: "backslash before x", in: `\x`, want: `\x5cx`},
		{name: "backslash before X", in: `\X`, want: `\X`},
		{name: "backslash before y", in: `\y`, want: `\y`},
		{name: "trailing backslash", in: `end\`, want: `end\`}, // as lsns
		{name: "double backslash before x", in: `\\x41`, want: `\\x5cx41`},
		{name: "backslash before control", in: "\\\x01", want: `\\x01`},
		{name: "backslash before invalid byte", in: "\\\xff", want: `\\xff`},
		{name: "escape-looking text", in: `\x1b[31m`, want: `\x5cx1b[31m`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Safe(tt.in); got != tt.want {
				t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRaw(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "empty", in: "", want: ""},
		{name: "plain", in: "kthreadd", want: "kthreadd"},
		{name: "printable edges", in: "!~", want: "!~"},
		// Checked against lsns 2.38.1 (`lsns -t uts -r`).
		{name: "lsns example", in: lsnsCommand, want: `a\x5cxb\x5cy\x20\xc3\xa9\x1b[31mred\x09tab\x2030`},
		// Cells are separated by spaces: a space in a cell must not split it.
		{name: "space", in: "sh -c x", want: `sh\x20-c\x20x`},
		{name: "every backslash", in: `\a\`, want: `\x5ca\x5c`},
		{name: "newline", in: "a\nb", want: `a\x0ab`},
		{name: "DEL", in: "\x7f", want: `\x7f`},
		{name: "UTF-8 bytes", in: "é", want: `\xc3\xa9`},
		{name: "bidi override", in: "\u202e", want: `\xe2\x80\xae`},
		{name: "invalid byte", in: "ff\xffz", want: `ff\xffz`},
		{name: "NUL", in: "\x00", want: `\x00`},
		// Checked against lsns 2.38.1: a C1 control, an override and
		// NBSP are escaped byte by byte in raw output.
		{name: "lsns mixed", in: "c1\u009bx bidi\u202ey nbsp\u00a0w",
			want: `c1\xc2\x9bx\x20bidi\xe2\x80\xaey\x20nbsp\xc2\xa0w`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Raw(tt.in); got != tt.want {
				t.Errorf("Raw(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestEscapeHostileLarge feeds both escapers 100 KiB of everything a
// process can put in its command line at once; the properties the fuzzers
// check must hold at that size too, not only on short inputs.
func TestEscapeHostileLarge(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 100<<10; i++ {
		b.WriteString("\\x\\\x1b[2J\xff\u202e\u009b é\n\t日")
		b.WriteByte(byte(i))
	}
	in := b.String()
	checkSafe(t, in, Safe(in))
	checkRaw(t, in, Raw(in))
}

func FuzzSafe(f *testing.F) {
	addEscapeSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		checkSafe(t, in, Safe(in))
	})
}

func FuzzRaw(f *testing.F) {
	addEscapeSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		checkRaw(t, in, Raw(in))
	})
}

func addEscapeSeeds(f *testing.F) {
	for _, s := range []string{
		"", "sleep 30", lsnsCommand, `\x`, `\\x`, `\`, `\x5c`, "\\\x01", "\\\xff",
		"\x00\x1f\x7f", "\u009b", "\u202e", "\u00a0", "\ufeff", "\ufffd",
		"\xff", "\xe2\x80", "\xc0\xaf", "\xed\xa0\x80", "日本語🐧", "e\u0301",
	} {
		f.Add(s)
	}
}

// checkSafe checks what must hold for every input to Safe: nothing reaches
// the terminal that it would act on, and nothing is lost.
func checkSafe(t *testing.T, in, got string) {
	t.Helper()
	if !utf8.ValidString(got) {
		t.Fatalf("Safe(%q) = %q: invalid UTF-8", in, got)
	}
	for i, r := range got {
		// unicode.IsPrint rejects C0 and C1 controls, DEL, format
		// characters (Cf) and line and paragraph separators; the checks
		// before it say so explicitly.
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || unicode.Is(unicode.Cf, r) || !unicode.IsPrint(r) {
			t.Fatalf("Safe(%q) = %q: unprintable %U at byte %d", in, got, r, i)
		}
	}
	checkEscapes(t, "Safe", in, got)
	if isPrintableASCII(in) && !strings.Contains(in, `\x`) && got != in {
		t.Fatalf("Safe(%q) = %q, want it unchanged", in, got)
	}
}

// checkRaw checks what must hold for every input to Raw: one word of
// printable ASCII, nothing lost.
func checkRaw(t *testing.T, in, got string) {
	t.Helper()
	for i := 0; i < len(got); i++ {
		if c := got[i]; c <= ' ' || c > '~' {
			t.Fatalf("Raw(%q) = %q: byte %#02x at %d", in, got, c, i)
		}
	}
	// Every backslash Raw writes starts an escape: a literal one is \x5c.
	for i := 0; i < len(got); i++ {
		if got[i] == '\\' && (i+3 >= len(got) || got[i+1] != 'x') {
			t.Fatalf("Raw(%q) = %q: backslash at %d starts no \\xHH", in, got, i)
		}
	}
	checkEscapes(t, "Raw", in, got)
	if isPrintableASCII(in) && !strings.ContainsAny(in, ` \`) && got != in {
		t.Fatalf("Raw(%q) = %q, want it unchanged", in, got)
	}
}

// checkEscapes checks that every "\x" in got is followed by two lower-case
// hex digits and that unescaping got gives in back byte for byte.
func checkEscapes(t *testing.T, fn, in, got string) {
	t.Helper()
	for i := 0; i+1 < len(got); i++ {
		if got[i] == '\\' && got[i+1] == 'x' {
			if i+3 >= len(got) || !isLowerHex(got[i+2]) || !isLowerHex(got[i+3]) {
				t.Fatalf("%s(%q) = %q: malformed escape at %d", fn, in, got, i)
			}
		}
	}
	back, err := unescapeHex(got)
	if err != nil {
		t.Fatalf("%s(%q) = %q: %v", fn, in, got, err)
	}
	if back != in {
		t.Fatalf("%s(%q) = %q, which unescapes to %q", fn, in, got, back)
	}
}

// unescapeHex undoes Safe and Raw: each \xHH becomes the byte HH, and every
// other byte, a backslash before anything but 'x' included, stands for
// itself. That this inverts Safe is the point of Safe's escaping a literal
// backslash before an 'x'.
func unescapeHex(s string) (string, error) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) || s[i+1] != 'x' {
			b = append(b, s[i])
			continue
		}
		if i+3 >= len(s) {
			return "", fmt.Errorf("short escape at byte %d", i)
		}
		v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
		if err != nil {
			return "", fmt.Errorf("escape at byte %d: %w", i, err)
		}
		b = append(b, byte(v))
		i += 3
	}
	return string(b), nil
}

func TestUnescapeHex(t *testing.T) {
	// The fuzzers' verdicts are only as good as this helper.
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{name: "plain", in: "abc", want: "abc"},
		{name: "escape", in: `a\x20b`, want: "a b"},
		{name: "escaped backslash", in: `\x5cx`, want: `\x`},
		{name: "lone backslash", in: `\y\`, want: `\y\`},
		{name: "backslash before escape", in: `\\x01`, want: "\\\x01"},
		{name: "short", in: `\x1`, wantErr: true},
		{name: "not hex", in: `\xzz`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := unescapeHex(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("unescapeHex(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("unescapeHex(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func isLowerHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
