package filter

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// pred is a condition: true or false for one row.
type pred interface {
	eval(value func(string) any) bool
}

// operand is what a comparison reads: a column, a literal or a condition in
// parentheses. Every operand is a condition too, because a bare column is
// one ("not empty").
type operand interface {
	pred
	kind() Kind
	// get returns the operand's value as mode, which Parse has checked it
	// can take.
	get(mode Kind, value func(string) any) val
}

func asOperand(x pred) operand {
	if o, ok := x.(operand); ok {
		return o
	}
	return condition{x}
}

// val is one side of a comparison, already in the comparison's mode; only
// the field of that mode is set.
type val struct {
	null bool
	s    string
	n    number
	b    bool
}

type andNode []pred

func (n andNode) eval(value func(string) any) bool {
	for _, x := range n {
		if !x.eval(value) {
			return false
		}
	}
	return true
}

type orNode []pred

func (n orNode) eval(value func(string) any) bool {
	for _, x := range n {
		if x.eval(value) {
			return true
		}
	}
	return false
}

type notNode struct{ x pred }

func (n notNode) eval(value func(string) any) bool { return !n.x.eval(value) }

type cmpNode struct {
	op   tokKind
	mode Kind
	l, r operand
}

// eval makes every comparison with an empty value false, and "ne" (the
// negation of "eq") true, so that NS != 1 and !(NS == 1) never disagree.
// NaN, which no number equals, is treated the same way.
func (n *cmpNode) eval(value func(string) any) bool {
	l := n.l.get(n.mode, value)
	if l.null {
		return n.op == tNe
	}
	r := n.r.get(n.mode, value)
	if r.null {
		return n.op == tNe
	}
	var c int
	switch n.mode {
	case Number:
		var ok bool
		if c, ok = compareNumbers(l.n, r.n); !ok {
			return n.op == tNe
		}
	case Bool:
		c = cmp.Compare(b2i(l.b), b2i(r.b))
	default:
		c = strings.Compare(l.s, r.s)
	}
	switch n.op {
	case tEq:
		return c == 0
	case tNe:
		return c != 0
	case tLt:
		return c < 0
	case tLe:
		return c <= 0
	case tGt:
		return c > 0
	case tGe:
		return c >= 0
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// regexNode is =~ or !~. Like regexec(3), the pattern matches anywhere in
// the value unless it is anchored; an empty value matches nothing, so !~
// (the negation of =~) is true for it.
type regexNode struct {
	l      operand
	re     *regexp.Regexp
	negate bool
}

func (n *regexNode) eval(value func(string) any) bool {
	v := n.l.get(String, value)
	if v.null {
		return n.negate
	}
	return n.re.MatchString(v.s) != n.negate
}

type column struct {
	name string
	k    Kind
}

func (c *column) kind() Kind { return c.k }

func (c *column) get(mode Kind, value func(string) any) val {
	return convert(value(c.name), mode)
}

// eval is a bare column: true when the value is not empty, for a Bool
// column when it is true, for a Number column when it is not zero. An empty
// string is empty, as an empty cell is.
func (c *column) eval(value func(string) any) bool {
	v := convert(value(c.name), c.k)
	switch {
	case v.null:
		return false
	case c.k == Bool:
		return v.b
	case c.k == String:
		return v.s != ""
	}
	// As in lsns (libsmartcols), a bare number column means "not zero":
	// -Q PNS selects the namespaces that have a parent.
	return v.n.float && v.n.f != 0 || !v.n.float && v.n.mag != 0
}

// literal is a constant. Parse converts a literal to the mode of its
// comparison, so get never converts.
type literal struct {
	tok token
	k   Kind
	v   val
}

func (l *literal) kind() Kind { return l.k }

func (l *literal) get(mode Kind, _ func(string) any) val {
	if mode != l.k {
		return val{null: true} // unreachable: Parse converted l to mode
	}
	return l.v
}

// eval is a bare literal, as libsmartcols reads one: a non-empty string, a
// non-zero number, true.
func (l *literal) eval(func(string) any) bool {
	switch l.k {
	case String:
		return l.v.s != ""
	case Number:
		if l.v.n.float {
			return l.v.n.f != 0
		}
		return l.v.n.mag != 0
	}
	return l.v.b
}

// condition is a condition used as an operand, as in (A == 1) == true.
type condition struct{ p pred }

func (condition) kind() Kind                                  { return Bool }
func (c condition) eval(value func(string) any) bool          { return c.p.eval(value) }
func (c condition) get(mode Kind, value func(string) any) val { return fromBool(c.p.eval(value), mode) }

// convert brings a row's value to mode. Beyond the documented types it takes
// named integer, float, bool and string types (inspect.NSID is a uint64) and,
// for strings, fmt.Stringer; anything else is empty.
func convert(raw any, mode Kind) val {
	switch x := raw.(type) {
	case nil:
		return val{null: true}
	case string:
		return fromString(x, mode)
	case int64:
		return fromInt(x, mode)
	case uint64:
		return fromUint(x, mode)
	case float64:
		return fromFloat(x, mode)
	case bool:
		return fromBool(x, mode)
	case int:
		return fromInt(int64(x), mode)
	}
	rv := reflect.ValueOf(raw)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		if rv.IsNil() {
			return val{null: true}
		}
	}
	if s, ok := raw.(fmt.Stringer); ok && mode == String {
		return stringOf(s)
	}
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return fromInt(rv.Int(), mode)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fromUint(rv.Uint(), mode)
	case reflect.Float32, reflect.Float64:
		return fromFloat(rv.Float(), mode)
	case reflect.Bool:
		return fromBool(rv.Bool(), mode)
	case reflect.String:
		return fromString(rv.String(), mode)
	}
	return val{null: true}
}

// stringOf calls a caller's String method, which Match must survive if it
// panics: a filter never fails a whole listing over one cell.
func stringOf(s fmt.Stringer) (v val) {
	defer func() {
		if recover() != nil {
			v = val{null: true}
		}
	}()
	return val{s: s.String()}
}

func fromString(s string, mode Kind) val {
	switch mode {
	case Number:
		n, ok := parseNumber(s)
		return val{null: !ok, n: n}
	case Bool:
		b, ok := parseBool(s)
		return val{null: !ok, b: b}
	}
	return val{s: s}
}

func fromInt(i int64, mode Kind) val {
	switch mode {
	case Number:
		// -i wraps for math.MinInt64, and uint64 of the wrapped value is
		// still its magnitude, 1<<63.
		if i < 0 {
			return val{n: number{neg: true, mag: uint64(-i)}}
		}
		return val{n: number{mag: uint64(i)}}
	case Bool:
		return val{b: i != 0}
	}
	return val{s: strconv.FormatInt(i, 10)}
}

func fromUint(u uint64, mode Kind) val {
	switch mode {
	case Number:
		return val{n: number{mag: u}}
	case Bool:
		return val{b: u != 0}
	}
	return val{s: strconv.FormatUint(u, 10)}
}

func fromFloat(f float64, mode Kind) val {
	switch mode {
	case Number:
		return val{n: number{float: true, f: f}}
	case Bool:
		return val{b: f != 0}
	}
	return val{s: strconv.FormatFloat(f, 'g', -1, 64)}
}

func fromBool(b bool, mode Kind) val {
	switch mode {
	case Number:
		return val{n: number{mag: uint64(b2i(b))}}
	case Bool:
		return val{b: b}
	}
	return val{s: strconv.FormatBool(b)}
}

// parseBool reads the strings a boolean column may hold.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// number holds an int64, a uint64 or a float64 without loss. Inode numbers
// are uint64 and PIDs are int64, and comparing either through float64 would
// make distinct inodes above 2^53 equal.
type number struct {
	float bool
	f     float64
	neg   bool // integers: sign and magnitude; neg is false for zero
	mag   uint64
}

// parseNumber reads [+-]?[0-9]+(.[0-9]+)?, the literal syntax plus a sign,
// because a number column's value may be negative. An integer beyond
// uint64 is read as a float rather than refused.
func parseNumber(s string) (number, bool) {
	s = strings.TrimSpace(s)
	digits := s
	neg := false
	if digits != "" && (digits[0] == '-' || digits[0] == '+') {
		neg = digits[0] == '-'
		digits = digits[1:]
	}
	whole, frac, isFloat := strings.Cut(digits, ".")
	if !allDigits(whole) || isFloat && !allDigits(frac) {
		return number{}, false
	}
	if !isFloat {
		if u, err := strconv.ParseUint(whole, 10, 64); err == nil {
			return number{neg: neg && u != 0, mag: u}, true
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return number{}, false
	}
	return number{float: true, f: f}, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// compareNumbers compares exactly, whatever the mix of integer and float;
// ok is false when either is NaN.
func compareNumbers(a, b number) (c int, ok bool) {
	switch {
	case !a.float && !b.float:
		return compareInts(a, b), true
	case a.float && b.float:
		if math.IsNaN(a.f) || math.IsNaN(b.f) {
			return 0, false
		}
		return cmp.Compare(a.f, b.f), true
	case a.float:
		return compareFloatInt(a.f, b)
	}
	c, ok = compareFloatInt(b.f, a)
	return -c, ok
}

func compareInts(a, b number) int {
	if a.neg != b.neg {
		if a.neg {
			return -1
		}
		return 1
	}
	c := cmp.Compare(a.mag, b.mag)
	if a.neg {
		c = -c
	}
	return c
}

// compareFloatInt compares the integer part of f exactly as an integer and
// lets the fraction break a tie, where converting n to float64 would round.
func compareFloatInt(f float64, n number) (int, bool) {
	const two64 = 1 << 64
	switch {
	case math.IsNaN(f):
		return 0, false
	case f >= two64:
		return 1, true
	case f <= -two64:
		return -1, true
	}
	t := math.Trunc(f)
	whole := number{mag: uint64(math.Abs(t))} // exact: |t| < 2^64
	whole.neg = t < 0 && whole.mag != 0
	if c := compareInts(whole, n); c != 0 {
		return c, true
	}
	return cmp.Compare(f-t, 0), true
}
