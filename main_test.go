package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/internal/fixture"
	"github.com/nsinspect/nsinspect/internal/testenv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.RemoveBuilt()
	os.Exit(code)
}

// TestMetricsLoop: with --interval, the metrics file is written again and
// again until the context ends (SIGTERM in nsinspect), and the loop then
// returns 0.
func TestMetricsLoop(t *testing.T) {
	root := fixture.Build(t, filepath.Join("testdata", "host.txtar"))
	file := filepath.Join(t.TempDir(), "nsinspect.prom")
	o, err := parseFlags([]string{"--procfs", root, "--metrics", file, "--interval", "10ms"}, personaOf("nsinspect"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlan(o, personaOf("nsinspect"), os.Getenv)
	if err != nil || p.output != outMetrics {
		t.Fatalf("plan %+v, %v; want the metrics", p, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() { done <- p.metricsLoop(ctx, io.Discard, &stderr) }()
	// Each time the file is gone, a later scan writes it again.
	for range 3 {
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if data, err := os.ReadFile(file); err == nil && bytes.Contains(data, []byte("\nnsinspect_processes 19\n")) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no metrics written in 20 s; stderr %q", stderr.String())
			}
		}
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 || stderr.Len() != 0 {
			t.Errorf("loop ended with %d, stderr %q; want 0 and nothing", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the loop did not end when its context did")
	}
}
