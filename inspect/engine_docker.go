package inspect

import (
	"path/filepath"
	"regexp"
)

// dockerContainers is where docker keeps its containers, below the root:
// ID/config.v2.json.
const dockerContainers = "var/lib/docker/containers"

// docker names its containers in config.v2.json, "Name" with a leading
// slash. Its cgroups: /docker/ID with cgroupfs, docker-ID.scope with
// systemd.
var docker = engine{
	label:   "docker",
	cgroups: []*regexp.Regexp{regexp.MustCompile(`(?:/docker/|docker-)([0-9a-f]{64})(?:\.scope)?(?:/|$)`)},
	name: func(e *engineState, ref containerRef, r *resolved) {
		var cfg struct{ Name string }
		if e.readJSON(filepath.Join(dockerContainers, ref.id, "config.v2.json"), &cfg) && len(cfg.Name) > 1 {
			r.container = "docker:" + cfg.Name[1:]
		}
	},
}
