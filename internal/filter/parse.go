package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parser is a recursive-descent parser with one token of lookahead, lexing
// lazily so that the first error reported is the leftmost one.
type parser struct {
	src        string
	tok        token // the lookahead
	prev       token // the token consumed last, for "expected ... after X"
	depth      int
	columnKind func(string) (Kind, bool)
	kinds      map[string]Kind
	columns    []string
}

func (p *parser) errorf(off int, format string, args ...any) error {
	return &SyntaxError{
		Pos: utf8.RuneCountInString(p.src[:off]) + 1, AtEnd: off >= len(p.src),
		Msg: fmt.Sprintf(format, args...),
	}
}

// SyntaxError is an expression that does not parse, and where.
type SyntaxError struct {
	Pos   int    // the character where it went wrong, from 1
	AtEnd bool   // the expression ended too soon
	Msg   string // what was wrong
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("filter: position %d: %s", e.Pos, e.Msg) }

// advance consumes the lookahead and reads the next token.
func (p *parser) advance() error {
	t, err := p.lex(p.tok.end)
	if err != nil {
		return err
	}
	p.prev, p.tok = p.tok, t
	return nil
}

func (p *parser) parse() (pred, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tEOF {
		return nil, errors.New("filter: empty expression")
	}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	switch p.tok.kind {
	case tEOF:
		return root, nil
	case tRParen:
		return nil, p.errorf(p.tok.off, `unexpected ")" without a matching "("`)
	}
	return nil, p.errorf(p.tok.off, `expected "and", "or" or end of input, found %s`, describe(p.tok))
}

// parseOr and parseAnd collect a chain into one n-ary node rather than a
// left-leaning tree, so that a filter of a million terms is wide, not deep,
// and Match does not recurse a million times.
func (p *parser) parseOr() (pred, error) {
	first, err := p.parseAnd()
	if err != nil || p.tok.kind != tOr {
		return first, err
	}
	n := orNode{first}
	for p.tok.kind == tOr {
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		n = append(n, x)
	}
	return n, nil
}

func (p *parser) parseAnd() (pred, error) {
	first, err := p.parseCmp()
	if err != nil || p.tok.kind != tAnd {
		return first, err
	}
	n := andNode{first}
	for p.tok.kind == tAnd {
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.parseCmp()
		if err != nil {
			return nil, err
		}
		n = append(n, x)
	}
	return n, nil
}

func isComparison(k tokKind) bool { return tEq <= k && k <= tNoMatch }

func (p *parser) parseCmp() (pred, error) {
	start := p.tok
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for first := true; isComparison(p.tok.kind); first = false {
		op := p.tok
		if err := p.advance(); err != nil {
			return nil, err
		}
		if op.kind == tMatch || op.kind == tNoMatch {
			if left, err = p.parseRegexp(op, asOperand(left)); err != nil {
				return nil, err
			}
			continue
		}
		right, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		n, err := p.compare(op, asOperand(left), asOperand(right))
		if err != nil && first && start.kind == tNot {
			// "not TYPE == 'net'" is "(not TYPE) == 'net'", here as in
			// libsmartcols, and fails; say what was probably meant.
			inner := strings.TrimSpace(p.src[start.end:p.prev.end])
			return nil, fmt.Errorf("%w; to negate the comparison, write: %s (%s)", err, start.text, inner)
		}
		if err != nil {
			return nil, err
		}
		left = n
	}
	return left, nil
}

// parseRegexp compiles the string literal after =~ or !~. scols-filter(5)
// allows only a literal there, which lets the pattern compile once, here,
// and report its errors with a position.
func (p *parser) parseRegexp(op token, left operand) (pred, error) {
	if p.tok.kind != tString {
		return nil, p.errorf(p.tok.off, "expected a string (a regular expression) after %q, found %s", op.text, describe(p.tok))
	}
	re, err := regexp.Compile(p.tok.str)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return nil, p.errorf(p.tok.off, "bad regular expression %s: %s: `%s`", shorten(p.tok.text), se.Code, shorten(se.Expr))
		}
		return nil, p.errorf(p.tok.off, "bad regular expression %s: %v", shorten(p.tok.text), err)
	}
	l, err := p.coerce(left, String)
	if err != nil {
		return nil, err
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	return &regexNode{l: l, re: re, negate: op.kind == tNoMatch}, nil
}

func (p *parser) parseUnary() (pred, error) {
	if p.tok.kind != tNot {
		return p.parsePrimary()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	p.depth--
	return notNode{x}, nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf(p.tok.off, "expression nested too deeply (more than %d levels of parentheses and \"not\")", maxDepth)
	}
	return nil
}

func (p *parser) parsePrimary() (pred, error) {
	t := p.tok
	var x pred
	switch t.kind {
	case tLParen:
		if err := p.enter(); err != nil {
			return nil, err
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		inner, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			return nil, p.errorf(p.tok.off, `expected ")" to close the "(" at position %d, found %s`,
				utf8.RuneCountInString(p.src[:t.off])+1, describe(p.tok))
		}
		p.depth--
		x = inner
	case tColumn:
		c, err := p.column(t)
		if err != nil {
			return nil, err
		}
		x = c
	case tInt:
		u, err := strconv.ParseUint(t.text, 10, 64)
		if err != nil {
			return nil, p.errorf(t.off, "number %s is out of range", t.text)
		}
		x = &literal{tok: t, k: Number, v: val{n: number{mag: u}}}
	case tFloat:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, p.errorf(t.off, "number %s is out of range", t.text)
		}
		x = &literal{tok: t, k: Number, v: val{n: number{float: true, f: f}}}
	case tString:
		x = &literal{tok: t, k: String, v: val{s: t.str}}
	case tTrue, tFalse:
		x = &literal{tok: t, k: Bool, v: val{b: t.kind == tTrue}}
	default:
		if p.prev.kind == tEOF { // nothing consumed yet
			return nil, p.errorf(t.off, "expected a value, found %s", describe(t))
		}
		if t.kind == tEOF {
			return nil, p.errorf(t.off, "expected a value after %q", p.prev.text)
		}
		return nil, p.errorf(t.off, "expected a value after %q, found %s", p.prev.text, describe(t))
	}
	return x, p.advance()
}

// column resolves a column name. A bare word is always a column, on either
// side of an operator, as in libsmartcols: "USER == root" compares USER with
// a column ROOT, and fails as an unknown column rather than quietly meaning
// the string "root", which would change meaning the day a ROOT column is
// added. Strings are quoted.
func (p *parser) column(t token) (*column, error) {
	name := strings.ToUpper(t.text)
	k, seen := p.kinds[name]
	if !seen {
		var ok bool
		if p.columnKind != nil {
			k, ok = p.columnKind(name)
		}
		if !ok {
			return nil, fmt.Errorf("unknown column: %s", t.text)
		}
		if k > Bool {
			return nil, fmt.Errorf("filter: column %s has an invalid kind %d", name, k)
		}
		p.kinds[name] = k
		p.columns = append(p.columns, name)
	}
	return &column{name: name, k: k}, nil
}

// compare types a comparison. Both sides are brought to one mode at Parse
// time: equal kinds compare as themselves; a string literal against a number
// column compares as numbers (so NS == "4026531840" works, and NS == "abc"
// is an error now rather than a silent mismatch on every row); any other
// mix of numbers and strings compares as strings, as libsmartcols does with
// a number literal against a string column (NETNSID == 0). Booleans compare
// only with booleans or with the strings "true" and "false".
func (p *parser) compare(op token, l, r operand) (*cmpNode, error) {
	lk, rk := l.kind(), r.kind()
	mode := lk
	switch {
	case lk == rk:
	case lk == Bool || rk == Bool:
		mode = Bool
	case isLiteral(l, String) && !isLiteral(r, Number), isLiteral(r, String) && !isLiteral(l, Number):
		mode = Number
	default:
		mode = String
	}
	cl, err := p.coerce(l, mode)
	if err != nil {
		return nil, p.compareError(err, op, l, r)
	}
	cr, err := p.coerce(r, mode)
	if err != nil {
		return nil, p.compareError(err, op, l, r)
	}
	return &cmpNode{op: op.kind, mode: mode, l: cl, r: cr}, nil
}

func (p *parser) compareError(err error, op token, l, r operand) error {
	if err == errMismatch {
		return p.errorf(op.off, "cannot compare %s with %s", what(l), what(r))
	}
	return err
}

// errMismatch is coerce's way of saying that the mix of kinds, not one
// literal, is wrong; compareError words the message, naming both sides.
var errMismatch = errors.New("kinds do not compare")

// coerce checks that o can take part in a comparison in mode and, for a
// literal, converts it once, here, rather than on every row.
func (p *parser) coerce(o operand, mode Kind) (operand, error) {
	lit, ok := o.(*literal)
	if !ok {
		// Columns and conditions convert at Match time. A number or a
		// boolean may be read as a string (=~ reads anything so); nothing
		// else crosses kinds.
		if k := o.kind(); k == mode || k == Number && mode == String || mode == String && k == Bool {
			return o, nil
		}
		return nil, errMismatch
	}
	if lit.k == mode {
		return lit, nil
	}
	c := &literal{tok: lit.tok, k: mode}
	switch {
	case mode == String && lit.k == Number:
		c.v.s = lit.tok.text // as written: NETNSID == 00 means the string "00"
	case mode == String && lit.k == Bool:
		c.v.s = strconv.FormatBool(lit.v.b) // as a condition would read
	case mode == Number && lit.k == String:
		n, ok := parseNumber(lit.v.s)
		if !ok {
			return nil, p.errorf(lit.tok.off, "expected a number, found %s", describe(lit.tok))
		}
		c.v.n = n
	case mode == Bool && lit.k == String:
		b, ok := parseBool(lit.v.s)
		if !ok {
			return nil, p.errorf(lit.tok.off, `expected true or false, found %s`, describe(lit.tok))
		}
		c.v.b = b
	default:
		return nil, errMismatch
	}
	return c, nil
}

func isLiteral(o operand, k Kind) bool {
	l, ok := o.(*literal)
	return ok && l.k == k
}

// what describes an operand for "cannot compare X with Y".
func what(o operand) string {
	switch o := o.(type) {
	case *literal:
		return fmt.Sprintf("the %s %s", kindName(o.k), shorten(o.tok.text))
	case *column:
		return fmt.Sprintf("the %s column %s", kindName(o.k), o.name)
	}
	return "a condition"
}

func kindName(k Kind) string {
	switch k {
	case Number:
		return "number"
	case Bool:
		return "boolean"
	}
	return "string"
}
