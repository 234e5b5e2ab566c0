package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text from processes (command lines, comm names, hostnames) is set by
// whoever runs them. Written raw to a terminal, an escape sequence in it
// could retitle the window, hide rows or fake output, so every text output
// escapes it; JSON carries it exactly.

const hexDigits = "0123456789abcdef"

func appendHex(b []byte, c byte) []byte {
	return append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
}

// Safe escapes s for table and tree output as util-linux's mbs_safe_encode
// does: each byte of a character that is not printable (control characters,
// C1 controls, format characters such as bidi overrides, invalid UTF-8)
// becomes \xHH, and a backslash before an 'x' becomes \x5c so that the
// escapes stay unambiguous. Printable UTF-8 is kept.
func Safe(s string) string {
	if isPlain(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b = appendHex(b, s[i])
		case r == '\\' && i+1 < len(s) && s[i+1] == 'x':
			b = appendHex(b, '\\')
		case r == ' ' || unicode.IsPrint(r):
			b = append(b, s[i:i+size]...)
		default:
			for j := i; j < i+size; j++ {
				b = appendHex(b, s[j])
			}
		}
		i += size
	}
	return string(b)
}

// isPlain reports whether s is printable ASCII with no "\x" in it.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || (c == '\\' && i+1 < len(s) && s[i+1] == 'x') {
			return false
		}
	}
	return true
}

// Raw escapes s for raw output, where cells are separated by spaces: every
// byte outside printable ASCII, and space and backslash, becomes \xHH.
func Raw(s string) string {
	i := 0
	for i < len(s) && !rawEscaped(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	escapeRaw(&b, s)
	return b.String()
}

// escapeRaw writes s escaped as Raw returns it, runs of bytes that need no
// escape in one call.
func escapeRaw(w textWriter, s string) {
	plain := 0 // start of the run not yet written
	for i := 0; i < len(s); i++ {
		if c := s[i]; rawEscaped(c) {
			w.WriteString(s[plain:i])
			w.WriteString(`\x`)
			w.WriteByte(hexDigits[c>>4])
			w.WriteByte(hexDigits[c&0xf])
			plain = i + 1
		}
	}
	w.WriteString(s[plain:])
}

func rawEscaped(c byte) bool { return c <= ' ' || c > '~' || c == '\\' }
