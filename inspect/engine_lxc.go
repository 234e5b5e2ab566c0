package inspect

import "regexp"

// lxc names a container's cgroup after it: /lxc.payload.NAME (lxc 4 and
// later), /lxc/NAME before. The name is all there is to show.
var lxc = engine{
	label:   "lxc",
	cgroups: []*regexp.Regexp{regexp.MustCompile(`/lxc(?:\.payload\.|/)([^/]+)`)},
}
