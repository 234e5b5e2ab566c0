//go:build privileged && race

package e2e

// raceEnabled: the test binary has the race detector, and so gets the
// binary that stands for run() in-process (runBinary).
const raceEnabled = true
