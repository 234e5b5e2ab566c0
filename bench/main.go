// Command bench measures nsinspect against lsns and against the floor, the
// least work any namespace lister must do, on a host it populates itself: N
// processes spread over M groups, each group in fresh uts, ipc, net, pid,
// mnt and cgroup namespaces. It runs the commands alternately, prints
// medians and ratios, and kills every process it started. It needs root.
//
//	go run ./bench -procs 7200 -groups 600 -runs 7
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		floor()
		return
	}
	procs := flag.Int("procs", 3600, "processes to start")
	groups := flag.Int("groups", 300, "groups of fresh namespaces to spread them over")
	runs := flag.Int("runs", 7, "runs of each command")
	scale := flag.Bool("scale", true, "also measure at twice the processes and groups, for linearity")
	hold := flag.Duration("hold", 0, "only populate the host, hold it this long (for profiling), clean up")
	bin := flag.String("nsinspect", "./nsinspect", "the nsinspect binary")
	lsns := flag.String("lsns", "lsns", "the lsns binary")
	flag.Parse()
	if os.Geteuid() != 0 {
		fmt.Fprintln(os.Stderr, "bench: needs root to create namespaces")
		os.Exit(1)
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if *hold > 0 {
		stop, err := populate(*procs, *groups)
		defer stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return
		}
		fmt.Fprintf(os.Stderr, "bench: holding %d processes in %d groups for %v\n", *procs, *groups, *hold)
		time.Sleep(*hold)
		return
	}
	b := &bench{self: self, nsinspect: *bin, lsns: *lsns, runs: *runs}
	sizes := [][2]int{{*procs, *groups}}
	if *scale {
		sizes = append(sizes, [2]int{2 * *procs, 2 * *groups})
	}
	var results [][]result
	for _, size := range sizes {
		rs, err := b.measure(size[0], size[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		results = append(results, rs)
	}
	report(os.Stdout, results)
}

type bench struct {
	self, nsinspect, lsns string
	runs                  int
}

// result is one command's medians at one host size.
type result struct {
	name              string
	procs, namespaces int
	median            time.Duration
	maxRSS            int64 // KiB
}

// workloads are the commands compared, each as lsns and nsinspect run it.
var workloads = []struct{ name, args string }{
	{"default", ""},
	{"json", "-J -l -o NS,TYPE,NPROCS,PID,PPID,UID,USER,COMMAND"},
	{"json+relations", "-J -l -o NS,TYPE,NPROCS,PID,PPID,UID,USER,COMMAND,PNS,ONS,NSFS,NETNSID"},
}

func (b *bench) measure(procs, groups int) ([]result, error) {
	stop, err := populate(procs, groups)
	defer stop()
	if err != nil {
		return nil, err
	}
	hostProcs, hostNS := census()
	fmt.Fprintf(os.Stderr, "bench: %d processes, %d namespaces\n", hostProcs, hostNS)

	type cmd struct {
		name string
		argv []string
	}
	cmds := []cmd{{"floor", []string{b.self, "floor"}}}
	for _, w := range workloads {
		args := strings.Fields(w.args)
		cmds = append(cmds,
			cmd{"lsns " + w.name, append([]string{b.lsns}, args...)},
			cmd{"nsinspect " + w.name, append([]string{b.nsinspect}, args...)})
	}
	times := make([][]time.Duration, len(cmds))
	rss := make([]int64, len(cmds))
	for range b.runs {
		for i, c := range cmds { // alternate, so that drift hits all alike
			d, kb, err := timeCommand(c.argv)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.name, err)
			}
			times[i] = append(times[i], d)
			rss[i] = max(rss[i], kb)
		}
	}
	var rs []result
	for i, c := range cmds {
		slices.Sort(times[i])
		rs = append(rs, result{c.name, hostProcs, hostNS, times[i][len(times[i])/2], rss[i]})
	}
	return rs, nil
}

// timeCommand runs argv with output to /dev/null and returns its wall time
// and peak resident memory.
func timeCommand(argv []string) (time.Duration, int64, error) {
	c := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	start := time.Now()
	err := c.Run()
	d := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%v: %s", err, stderr.String())
	}
	return d, c.ProcessState.SysUsage().(*syscall.Rusage).Maxrss, nil
}

// populate starts procs processes in groups of fresh namespaces and returns a
// function that kills them all.
func populate(procs, groups int) (stop func(), err error) {
	var leaders []*exec.Cmd
	stop = func() {
		for _, c := range leaders {
			_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
			_ = c.Wait()
		}
	}
	const flags = syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWNET |
		syscall.CLONE_NEWPID | syscall.CLONE_NEWNS | syscall.CLONE_NEWCGROUP
	for g := range groups {
		n := procs / groups
		if g < procs%groups {
			n++
		}
		// The shell is one process; it starts n-1 sleepers and waits.
		script := fmt.Sprintf("i=1; while [ $i -lt %d ]; do sleep 3600 & i=$((i+1)); done; echo ready; wait", n)
		c := exec.Command("/bin/sh", "-c", script)
		c.SysProcAttr = &syscall.SysProcAttr{Cloneflags: flags, Setpgid: true}
		out, err := c.StdoutPipe()
		if err != nil {
			return stop, err
		}
		if err := c.Start(); err != nil {
			return stop, fmt.Errorf("start group %d: %w", g, err)
		}
		leaders = append(leaders, c)
		if _, err := out.Read(make([]byte, 1)); err != nil {
			return stop, fmt.Errorf("group %d did not start: %w", g, err)
		}
	}
	return stop, nil
}

// census counts processes and distinct namespaces, as lsns would list them.
func census() (procs, namespaces int) {
	seen := map[string]bool{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		counted := false
		for _, t := range nsTypes {
			if l, err := os.Readlink(d + "/ns/" + t); err == nil {
				seen[l] = true
				counted = true
			}
		}
		if counted {
			procs++
		}
	}
	return procs, len(seen)
}

var nsTypes = []string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"}

// floor is the least work of any namespace lister: read every process's
// namespace links and its stat line, nothing else.
func floor() {
	d, err := os.Open("/proc")
	if err != nil {
		os.Exit(1)
	}
	names, _ := d.Readdirnames(-1)
	buf := make([]byte, 512)
	for _, name := range names {
		if _, err := strconv.Atoi(name); err != nil {
			continue
		}
		dir := "/proc/" + name
		for _, t := range nsTypes {
			_, _ = syscall.Readlink(dir+"/ns/"+t, buf)
		}
		if f, err := os.Open(dir + "/stat"); err == nil {
			_, _ = f.Read(buf)
			f.Close()
		}
	}
}

func report(w io.Writer, results [][]result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "processes\tnamespaces\tcommand\tmedian\tvs lsns\tvs floor\tpeak RSS\t")
	for _, rs := range results {
		byName := map[string]result{}
		for _, r := range rs {
			byName[r.name] = r
		}
		fl := byName["floor"]
		for _, r := range rs {
			vsLsns, vsFloor := "", ""
			if name, ok := strings.CutPrefix(r.name, "nsinspect "); ok {
				l := byName["lsns "+name]
				vsLsns = fmt.Sprintf("%.1fx faster", float64(l.median)/float64(r.median))
				vsFloor = fmt.Sprintf("%.2fx", float64(r.median)/float64(fl.median))
			}
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%.1f MiB\t\n", r.procs, r.namespaces, r.name,
				r.median.Round(time.Millisecond), vsLsns, vsFloor, float64(r.maxRSS)/1024)
		}
	}
	if len(results) == 2 {
		for i, r := range results[1] {
			fmt.Fprintf(tw, "scaling\t\t%s\t%.2fx time for 2x size\t\t\t\t\n", r.name,
				float64(r.median)/float64(results[0][i].median))
		}
	}
	tw.Flush()
}
