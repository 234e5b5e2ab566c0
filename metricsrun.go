package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"time"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/metrics"
	"golang.org/x/sys/unix"
)

// writeMetrics writes the metrics for node_exporter's textfile collector
// (scanMetrics), once, or with --interval every interval until SIGTERM or
// SIGINT, on which it exits 0: the DaemonSet's image needs no shell for a
// loop. A first scan that fails is an error, so that a wrong --procfs shows
// at once; later failures are said on stderr and leave the last metrics.
func (p *plan) writeMetrics(stdout, stderr io.Writer) int {
	if err := p.scanMetrics(stdout, stderr); err != nil {
		return p.who.fail(stderr, err)
	}
	if p.opts.interval == 0 {
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), unix.SIGTERM, unix.SIGINT)
	defer stop()
	return p.metricsLoop(ctx, stdout, stderr)
}

// metricsLoop scans every --interval until ctx ends.
func (p *plan) metricsLoop(ctx context.Context, stdout, stderr io.Writer) int {
	tick := time.NewTicker(p.opts.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return 0
		case <-tick.C:
		}
		if err := p.scanMetrics(stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "%s: %s; the previous metrics stay until the next scan\n", p.who.name, err)
		}
	}
}

// scanMetrics scans every type, with the holders and the ghosts that
// relations reveal, and writes the metrics: to a temporary file renamed over
// FILE, so that the collector never reads half of it.
func (p *plan) scanMetrics(stdout, stderr io.Writer) error {
	start := time.Now()
	o := p.opts
	snap, err := inspect.Scan(inspect.Options{Root: o.procfs, RootFS: o.rootfs, FindHolders: true, Threads: o.query.Threads})
	if err != nil {
		return err
	}
	if why := snap.Shortfall(); why != "" {
		fmt.Fprintf(stderr, "%s: %s; the metrics count only the processes seen (nsinspect_incomplete 1)\n", p.who.name, why)
	}
	if err := snap.Relate(snap.Namespaces); err != nil && !errors.Is(err, inspect.ErrNoNSIoctl) {
		return err
	}
	elapsed := time.Since(start)
	if o.metrics == "-" {
		err = metrics.Write(stdout, snap, elapsed)
	} else {
		err = metrics.WriteFile(o.metrics, snap, elapsed)
	}
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}
