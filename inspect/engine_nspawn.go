package inspect

import (
	"regexp"
	"strings"
)

// nspawn: systemd-nspawn's machines are scopes, machine-NAME.scope, or,
// run as a service, systemd-nspawn@NAME.service; the name, unescaped, is
// all there is to show.
var nspawn = engine{
	label: "nspawn",
	cgroups: []*regexp.Regexp{
		regexp.MustCompile(`/machine-([^/]+)\.scope(?:/|$)`),
		regexp.MustCompile(`/systemd-nspawn@([^/]+)\.service(?:/|$)`),
	},
	id: unescapeSystemd,
}

// unescapeSystemd undoes systemd's unit-name escaping, "\x2d" for "-".
func unescapeSystemd(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, ok := unhex(s[i+2 : i+4]); ok {
				b.WriteByte(v)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func unhex(s string) (byte, bool) {
	var v byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | (c - '0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | (c - 'a' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}
