package filter

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tColumn
	tInt
	tFloat
	tString
	tTrue
	tFalse
	tAnd
	tOr
	tNot
	tEq
	tNe
	tLt
	tLe
	tGt
	tGe
	tMatch
	tNoMatch
	tLParen
	tRParen
)

// keywords are the word forms of the operators and the boolean literals.
// They are reserved: a column cannot be named after one.
var keywords = map[string]tokKind{
	"and": tAnd, "or": tOr, "not": tNot,
	"eq": tEq, "ne": tNe, "lt": tLt, "le": tLe, "gt": tGt, "ge": tGe,
	"true": tTrue, "false": tFalse,
}

// A token is one lexeme of the expression. Offsets are in bytes; errors turn
// them into character positions.
type token struct {
	kind     tokKind
	off, end int
	text     string // as written
	str      string // a string literal's value, quotes and escapes removed
}

// lex reads the token that starts at or after byte offset i.
func (p *parser) lex(i int) (token, error) {
	s := p.src
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	if i == len(s) {
		return token{kind: tEOF, off: i, end: i}, nil
	}
	c := s[i]
	var next byte
	if i+1 < len(s) {
		next = s[i+1]
	}
	tok := func(k tokKind, n int) (token, error) {
		return token{kind: k, off: i, end: i + n, text: s[i : i+n]}, nil
	}
	switch {
	case c == '(':
		return tok(tLParen, 1)
	case c == ')':
		return tok(tRParen, 1)
	case c == '&' && next == '&':
		return tok(tAnd, 2)
	case c == '|' && next == '|':
		return tok(tOr, 2)
	case c == '&' || c == '|':
		return token{}, p.errorf(i, "unexpected %q; did you mean %q?", string(c), string([]byte{c, c}))
	case c == '!' && next == '=':
		return tok(tNe, 2)
	case c == '!' && next == '~':
		return tok(tNoMatch, 2)
	case c == '!':
		return tok(tNot, 1)
	case c == '=' && next == '=':
		return tok(tEq, 2)
	case c == '=' && next == '~':
		return tok(tMatch, 2)
	case c == '=':
		return token{}, p.errorf(i, `unexpected "="; did you mean "=="?`)
	case c == '<' && next == '=':
		return tok(tLe, 2)
	case c == '<':
		return tok(tLt, 1)
	case c == '>' && next == '=':
		return tok(tGe, 2)
	case c == '>':
		return tok(tGt, 1)
	case c == '"' || c == '\'':
		return p.lexString(i)
	case isDigit(c):
		return p.lexNumber(i)
	case isLetter(c):
		j := i + 1
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		if k, ok := keywords[strings.ToLower(s[i:j])]; ok {
			return tok(k, j-i)
		}
		return tok(tColumn, j-i)
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return token{}, p.errorf(i, "unexpected character %q", string(r))
}

// lexString reads a quoted string. Only the enclosing quote and the
// backslash itself can be escaped: any other backslash stays, because
// string literals are mostly regular expressions and "\." should mean
// there what it means to regexp.
func (p *parser) lexString(i int) (token, error) {
	s, quote := p.src, p.src[i]
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == quote:
			return token{kind: tString, off: i, end: j + 1, text: s[i : j+1], str: b.String()}, nil
		case c == '\\' && j+1 < len(s) && (s[j+1] == quote || s[j+1] == '\\'):
			b.WriteByte(s[j+1])
			j++
		default:
			b.WriteByte(c)
		}
	}
	return token{}, p.errorf(i, "unterminated string: no closing %c", quote)
}

// lexNumber reads an integer ([0-9]+) or a float ([0-9]+.[0-9]+).
// libsmartcols's newest grammar also takes size suffixes (10K, 1MiB); no
// lsns column is a size, so they are rejected rather than half-supported.
func (p *parser) lexNumber(i int) (token, error) {
	s := p.src
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	k := tInt
	if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		k = tFloat
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	}
	if j < len(s) && (isNameByte(s[j]) || s[j] == '.') {
		end := j
		for end < len(s) && (isNameByte(s[end]) || s[end] == '.') {
			end++
		}
		return token{}, p.errorf(i, "invalid number %q", s[i:end])
	}
	return token{kind: k, off: i, end: j, text: s[i:j]}, nil
}

func isBlank(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isNameByte reports whether c may follow the first letter of a column name:
// scols-filter(5) allows the punctuation of column names such as lsblk's
// FSUSE% and MAJ:MIN.
func isNameByte(c byte) bool {
	return isLetter(c) || isDigit(c) || strings.IndexByte("_.%:/-", c) >= 0
}

// describe names a token for "found ..." in errors.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tString:
		return shorten(t.text) // quoted already
	}
	return fmt.Sprintf("%q", shorten(t.text))
}

// shorten cuts long source text, so that a long string literal does not
// swamp an error message, and escapes it if it holds anything unprintable,
// so that an error message cannot carry control sequences to a terminal.
func shorten(text string) string {
	const maxRunes = 32
	n := 0
	for i := range text {
		if n == maxRunes {
			text = text[:i] + "..."
			break
		}
		n++
	}
	for _, r := range text {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return strconv.QuoteToGraphic(text)
		}
	}
	return text
}
