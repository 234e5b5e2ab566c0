//go:build privileged && !race

package e2e

const raceEnabled = false
