//go:build race

package inspect

// raceEnabled: the race detector makes sync.Pool drop a quarter of what is
// put back, at random, so pooled buffers are allocated again more often.
const raceEnabled = true
