// Package filter compiles and evaluates the expressions of lsns -Q/--filter:
// the grammar of libsmartcols' scols-filter(5), reimplemented so that
// nsinspect accepts the filters people already write for lsns without
// linking libsmartcols, and so that the filter names the columns it reads
// before any row exists (a filter may test columns that are not shown, and
// the caller has to compute those too).
//
// The grammar, loosest binding first:
//
//	expr    = and { ("or" | "||") and }
//	and     = cmp { ("and" | "&&") cmp }
//	cmp     = unary { ("==" | "eq" | "!=" | "ne" | "<" | "lt" | "<=" | "le" |
//	                   ">" | "gt" | ">=" | "ge") unary
//	                | ("=~" | "!~") string }
//	unary   = ("not" | "!") unary | primary
//	primary = "(" expr ")" | column | integer | float | string | "true" | "false"
//
// Keywords are case-insensitive; so are column names, which are upper-cased
// before columnKind and value see them, as lsns's columns are. A column name
// is [A-Za-z][A-Za-z0-9_.%:/-]*, as in scols-filter(5). Strings are "..." or
// '...'; a backslash escapes the enclosing quote or a backslash and is kept
// as written before anything else, so regular expressions such as "\d+"
// need no doubling. A bare word is a column on either side of an operator,
// as in libsmartcols: USER == "root" compares with a string, USER == root
// with a column ROOT (and fails: there is none).
//
// Where this package parts from libsmartcols, on purpose:
//   - "and" binds tighter than "or", as in C and SQL; libsmartcols gives
//     them one precedence, so there "A || B && C" means "(A || B) && C".
//   - A comparison with an empty (null) value is false, except "ne" and
//     "!~", which are the negations of "eq" and "=~" and so are true.
//     libsmartcols makes every number comparison with an empty value
//     false, "ne" included, and orders an empty string before all others.
//   - A string literal compared with a number column must read as a number,
//     and is rejected at Parse time if it does not; libsmartcols fails (or
//     not) row by row.
//   - Regular expressions are Go's RE2 syntax, not POSIX ERE; see Parse.
//   - String literals have the two escapes above and keep their blanks;
//     libsmartcols has no escapes and trims blanks off both ends.
package filter

import "slices"

// Kind is how a column's values compare: a filter decides at Parse time,
// from the kinds of both sides, whether a comparison is numeric, lexical or
// boolean, so that a row never meets a type question it cannot answer.
type Kind uint8

// The kinds of column. String is the zero Kind because a column whose kind
// nobody chose is shown, and so compared, as text.
const (
	String Kind = iota // compared lexically, byte by byte
	Number             // int64, uint64 or float64, compared exactly across the three
	Bool               // false < true
)

// maxDepth bounds the nesting of parentheses and "not", so that a hostile
// expression cannot grow the parser's stack (or Match's) without limit.
// Nothing a person types comes close.
const maxDepth = 256

// A Filter is a compiled expression. It is immutable, so one Filter may be
// matched against rows from many goroutines at once.
type Filter struct {
	root    pred
	columns []string
}

// Parse compiles expr. columnKind reports a column's kind by its canonical
// (upper-case) name, and false for a column that does not exist; Parse
// calls it once per distinct column.
//
// Errors name the 1-based character position and what was expected
// ("filter: position 6: expected a value after \"==\""), except an unknown
// column, which reads "unknown column: X" with X as written, exactly as
// lsns says it.
//
// The right side of =~ and !~ is a Go regular expression (RE2 syntax,
// package regexp), where libsmartcols uses POSIX ERE via regcomp(3). The
// two agree on everything a column filter needs (anchors, classes,
// alternation, repetition); RE2 lacks only backreferences, which ERE does
// not have either, and its matching time is linear in the input and never
// backtracks, which matters because expressions and the values they are
// matched against (process command lines) are both untrusted.
func Parse(expr string, columnKind func(name string) (Kind, bool)) (*Filter, error) {
	p := &parser{src: expr, columnKind: columnKind, kinds: map[string]Kind{}}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	return &Filter{root: root, columns: p.columns}, nil
}

// Columns returns the canonical (upper-case) names of the columns the filter
// reads, in order of first use, so that callers compute them even when they
// are not shown. Match asks value for no other column.
func (f *Filter) Columns() []string {
	return slices.Clone(f.columns)
}

// Match evaluates the filter on one row. value returns a column's value,
// given the column's canonical name: nil for an empty cell, or a string,
// int64, uint64, float64 or bool (other integer and float types, and named
// types of these, are accepted too). Match may call value more than once
// for a column, or not at all where the outcome is already decided.
//
// A value that does not fit its column's kind (a string that is not a
// number, in a number column) is treated as empty rather than failing the
// row, because it can only come from the caller, and one odd row should not
// hide the others.
func (f *Filter) Match(value func(name string) any) bool {
	return f.root.eval(value)
}
