package render

import "strings"

// Matcher decides whether a row is shown: a -Q filter.
type Matcher interface {
	Match(value func(name string) any) bool
}

// Matches reports whether m keeps row r. The filter sees each column as
// JSON has it, but multi-line, array and object cells as the text that
// tables show: `NSFS =~ "netns"`, `IFACES =~ "eth0"`.
func Matches(m Matcher, r *Row, e *Env) bool {
	return m.Match(func(name string) any {
		c, err := ColumnByName(name)
		if err != nil {
			return nil
		}
		switch v := c.value(r, e).(type) {
		case multiline:
			return strings.Join(v, "\n")
		case []any, object:
			return c.Text(v)
		default:
			return v
		}
	})
}
