package query

import (
	"strings"

	"github.com/nsinspect/nsinspect/internal/filter"
	"github.com/nsinspect/nsinspect/render"
)

// filterKind tells the filter how a column compares.
func filterKind(name string) (filter.Kind, bool) {
	c, err := columnByName(name)
	if err != nil {
		return 0, false
	}
	switch c.Kind {
	case render.Number:
		return filter.Number, true
	case render.Bool:
		return filter.Bool, true
	}
	return filter.String, true
}

// matches reports whether f keeps row r. The filter sees each column as
// JSON has it, but multi-line, array and object cells as the text that
// tables show: `NSFS =~ "netns"`, `IFACES =~ "eth0"`.
func matches(f *filter.Filter, r *Row, e *env) bool {
	return f.Match(func(name string) any {
		c, err := columnByName(name)
		if err != nil {
			return nil
		}
		switch v := c.value(r, e).(type) {
		case render.Lines:
			return strings.Join(v, "\n")
		case []any, render.Fields:
			return c.Text(v)
		default:
			return v
		}
	})
}
