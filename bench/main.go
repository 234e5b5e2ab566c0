// Command bench measures nsinspect against lsns and against the floor, the
// least work any namespace lister must do, on a host it populates itself: N
// processes spread over M groups, each group in fresh uts, ipc, net, pid,
// mnt and cgroup namespaces. It runs the commands alternately, prints
// medians and ratios, and kills every process it started. It needs root.
// With -scale (the default) it measures again at 2N processes in 2M groups,
// for linearity, and at 2N in M, where the contents columns should cost what
// they cost at N in M: they read each namespace, not each process. With
// -argv it then measures a hostile host: K processes, each in its own ipc
// namespace, whose command lines are as long as execve allows, with the
// bytes each command writes.
//
//	go run ./bench -procs 7200 -groups 600 -runs 7
//	go run ./bench -procs 0 -argv 2000000 -argv-procs 200
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
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "floor":
			floor()
			return
		case "run":
			os.Exit(runCommand(os.Args[2:]))
		}
	}
	procs := flag.Int("procs", 3600, "processes to start")
	groups := flag.Int("groups", 300, "groups of fresh namespaces to spread them over")
	runs := flag.Int("runs", 7, "runs of each command")
	scale := flag.Bool("scale", true, "also measure at 2N processes in 2M groups (linearity) and 2N in M (contents cost)")
	hold := flag.Duration("hold", 0, "only populate the host, hold it this long (for profiling), clean up")
	bin := flag.String("nsinspect", "./nsinspect", "the nsinspect binary")
	lsns := flag.String("lsns", "lsns", "the lsns binary")
	sockets := flag.Int("sockets", 0, "sockets the harness holds meanwhile, as a busy server does")
	argv := flag.Int("argv", 2000000, "bytes of argv of each long-argv process (0: no long-argv case)")
	argvProcs := flag.Int("argv-procs", 200, "processes with a long argv, each in its own ipc namespace")
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
	if err := holdSockets(*sockets); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	b := &bench{self: self, nsinspect: *bin, lsns: *lsns, runs: *runs}
	// The second size doubles both, for linearity; the third doubles the
	// processes only, for what the contents columns cost: it should not
	// move from the first's (lsns is not run there).
	var sizes []size
	if *procs > 0 {
		sizes = append(sizes, size{*procs, *groups, true})
		if *scale {
			sizes = append(sizes, size{2 * *procs, 2 * *groups, true}, size{2 * *procs, *groups, false})
		}
	}
	var results [][]result
	for _, sz := range sizes {
		rs, err := b.measure(sz)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		results = append(results, rs)
	}
	if len(results) > 0 {
		report(os.Stdout, results)
	}
	if *argv > 0 && *argvProcs > 0 {
		rs, err := b.measureArgv(*argvProcs, *argv)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		reportArgv(os.Stdout, *argvProcs, *argv, rs)
	}
}

// size is a host to populate: processes in groups of fresh namespaces, and
// whether lsns is run there too.
type size struct {
	procs, groups int
	lsns          bool
}

type bench struct {
	self, nsinspect, lsns string
	runs                  int
}

// result is one command's medians at one host size.
type result struct {
	name              string
	procs, namespaces int
	wall, cpu         time.Duration // medians
	maxRSS            int64         // KiB; 0 where too small to tell
	output            int64         // bytes written to stdout, in the last run
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// workloads are the commands measured, each as lsns and nsinspect run it;
// lsns has no contents columns: those run as nsinspect only, to tell what
// reading the namespaces' contents costs per namespace.
var workloads = []struct {
	name, args string
	lsns       bool
}{
	{"default", "", true},
	{"json", "-J -l -o NS,TYPE,NPROCS,PID,PPID,UID,USER,COMMAND", true},
	{"json+relations", "-J -l -o NS,TYPE,NPROCS,PID,PPID,UID,USER,COMMAND,PNS,ONS,NSFS,NETNSID", true},
	{"plain", "-J -l -o NS,TYPE,NPROCS", false},
	{"contents", "-J -l -o NS,TYPE,NPROCS,HOSTNAME,UIDMAP,IFACES,TIMEOFFSETS", false},
}

func (b *bench) measure(sz size) ([]result, error) {
	stop, err := populate(sz.procs, sz.groups)
	defer stop()
	if err != nil {
		return nil, err
	}
	hostProcs, hostNS := census()
	fmt.Fprintf(os.Stderr, "bench: %d processes, %d namespaces\n", hostProcs, hostNS)

	cmds := []cmd{{"floor", []string{b.self, "floor"}}}
	for _, w := range workloads {
		args := strings.Fields(w.args)
		if w.lsns && sz.lsns {
			cmds = append(cmds, cmd{"lsns " + w.name, append([]string{b.lsns}, args...)})
		}
		cmds = append(cmds, cmd{"nsinspect " + w.name, append([]string{b.nsinspect}, args...)})
	}
	return b.alternate(cmds, hostProcs, hostNS)
}

// cmd is a command to measure, by name.
type cmd struct {
	name string
	argv []string
}

// alternate runs cmds one after the other, b.runs rounds, and returns their
// medians on a host of procs processes in namespaces namespaces.
func (b *bench) alternate(cmds []cmd, procs, namespaces int) ([]result, error) {
	samples := make([][]sample, len(cmds))
	for range b.runs {
		for i, c := range cmds { // alternate, so that drift hits all alike
			sm, err := b.timeCommand(c.argv)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.name, err)
			}
			samples[i] = append(samples[i], sm)
		}
	}
	var rs []result
	for i, c := range cmds {
		r := result{name: c.name, procs: procs, namespaces: namespaces}
		var walls, cpus []time.Duration
		for _, sm := range samples[i] {
			walls, cpus = append(walls, sm.wall), append(cpus, sm.cpu)
			r.maxRSS = max(r.maxRSS, sm.rss)
			r.output = sm.output
		}
		r.wall, r.cpu = median(walls), median(cpus)
		rs = append(rs, r)
	}
	return rs, nil
}

// sample is one run of a command.
type sample struct {
	wall, cpu time.Duration
	rss       int64 // peak resident KiB; 0 where no higher than the runner's own
	output    int64 // bytes written to stdout
}

// timeCommand runs argv through "bench run", a runner whose own RSS is small:
// a child's ru_maxrss starts at the RSS of the process it was forked from (Go
// forks with vfork), and the harness holds thousands of processes' worth of
// bookkeeping.
func (b *bench) timeCommand(argv []string) (sample, error) {
	c := exec.Command(b.self, append([]string{"run"}, argv...)...)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		return sample{}, fmt.Errorf("%v: %s", err, stderr.String())
	}
	var wall, cpu, rss, base, output int64
	if _, err := fmt.Sscan(stdout.String(), &wall, &cpu, &rss, &base, &output); err != nil {
		return sample{}, fmt.Errorf("runner said %q: %v", stdout.String(), err)
	}
	if rss <= base {
		rss = 0
	}
	return sample{time.Duration(wall), time.Duration(cpu), rss, output}, nil
}

// countingWriter counts what is written to it and drops it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// runCommand runs argv with its output counted and dropped, and prints its
// wall time and CPU time in nanoseconds, its peak RSS and the runner's own,
// in KiB, and the bytes it wrote to stdout.
func runCommand(argv []string) int {
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "bench run: no command")
		return 2
	}
	var self syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	c := exec.Command(argv[0], argv[1:]...)
	c.Stderr = os.Stderr
	var out countingWriter
	c.Stdout = &out
	start := time.Now()
	err := c.Run()
	wall := time.Since(start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench run:", err)
		return 1
	}
	ru := c.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	fmt.Println(int64(wall), int64(cpu), ru.Maxrss, self.Maxrss, out.n)
	return 0
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

// argvWorkloads are the commands measured on the long-argv host, as lsns and
// nsinspect run them: tables show lsns's 8191 bytes of each command line,
// raw and JSON output nsinspect's 128 KiB.
var argvWorkloads = []struct{ name, args string }{
	{"default", ""},
	{"json", "-J"},
	{"raw", "-r"},
	{"output-all", "--output-all"},
}

// measureArgv starts procs processes with an argv of argvBytes bytes, each
// in a fresh ipc namespace, and runs lsns and nsinspect on them alternately.
func (b *bench) measureArgv(procs, argvBytes int) ([]result, error) {
	stop, err := populateArgv(procs, argvBytes)
	defer stop()
	if err != nil {
		return nil, err
	}
	hostProcs, hostNS := census()
	fmt.Fprintf(os.Stderr, "bench: %d processes, %d namespaces, %d with a %d-byte argv\n", hostProcs, hostNS, procs, argvBytes)
	var cmds []cmd
	for _, w := range argvWorkloads {
		args := strings.Fields(w.args)
		cmds = append(cmds, cmd{"lsns " + w.name, append([]string{b.lsns}, args...)},
			cmd{"nsinspect " + w.name, append([]string{b.nsinspect}, args...)})
	}
	return b.alternate(cmds, hostProcs, hostNS)
}

// populateArgv starts procs shells, each in a fresh ipc namespace, whose
// argv is argvBytes long: arguments of 100,000 bytes (execve takes at most
// 128 KiB per argument) after the script. The shell runs the script and
// waits; the ":" after sleep keeps dash from exec'ing sleep in its place,
// which would drop the argv.
func populateArgv(procs, argvBytes int) (stop func(), err error) {
	const chunk = 100000
	args := []string{"-c", "echo ready; sleep 3600; :", "sh"}
	for left := argvBytes; left > 0; left -= chunk {
		args = append(args, strings.Repeat("A", min(left, chunk)))
	}
	var started []*exec.Cmd
	stop = func() {
		for _, c := range started {
			_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
			_ = c.Wait()
		}
	}
	for i := range procs {
		c := exec.Command("/bin/sh", args...)
		c.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWIPC, Setpgid: true}
		out, err := c.StdoutPipe()
		if err != nil {
			return stop, err
		}
		if err := c.Start(); err != nil {
			return stop, fmt.Errorf("start long-argv process %d: %w", i, err)
		}
		started = append(started, c)
		if _, err := out.Read(make([]byte, 1)); err != nil {
			return stop, fmt.Errorf("long-argv process %d did not start: %w", i, err)
		}
	}
	return stop, nil
}

// reportArgv prints the medians on the long-argv host, and how many bytes
// each command wrote.
func reportArgv(w io.Writer, procs, argvBytes int, rs []result) {
	fmt.Fprintf(w, "\nlong argv: %d processes with a %d-byte argv, each in its own ipc namespace\n", procs, argvBytes)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "processes\tnamespaces\tcommand\twall\tvs lsns\tCPU\tpeak RSS\toutput\t")
	byName := map[string]result{}
	for _, r := range rs {
		byName[r.name] = r
	}
	for _, r := range rs {
		vsLsns := ""
		if name, ok := strings.CutPrefix(r.name, "nsinspect "); ok {
			l := byName["lsns "+name]
			vsLsns = fmt.Sprintf("%.1fx faster", float64(l.wall)/float64(r.wall))
			if l.wall < r.wall {
				vsLsns = fmt.Sprintf("%.1fx slower", float64(r.wall)/float64(l.wall))
			}
		}
		rss := "small"
		if r.maxRSS > 0 {
			rss = fmt.Sprintf("%.1f MiB", float64(r.maxRSS)/1024)
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%.1f MB\t\n", r.procs, r.namespaces, r.name,
			r.wall.Round(time.Millisecond), vsLsns, r.cpu.Round(time.Millisecond), rss, float64(r.output)/1e6)
	}
	tw.Flush()
}

// holdSockets opens n sockets (unix socket pairs), kept until the harness
// exits and not inherited by the commands it runs.
func holdSockets(n int) error {
	if n <= 0 {
		return nil
	}
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return err
	}
	if uint64(n)+256 > rl.Max {
		return fmt.Errorf("hold %d sockets: the fd limit is %d", n, rl.Max)
	}
	rl.Cur = max(rl.Cur, uint64(n)+256)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return err
	}
	for range (n + 1) / 2 {
		if _, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0); err != nil {
			return fmt.Errorf("hold %d sockets: %w", n, err)
		}
	}
	fmt.Fprintf(os.Stderr, "bench: holding %d sockets\n", n)
	return nil
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
		// syscall, not os.Open: an *os.File adds fcntls and an epoll
		// registration, which would flatter nsinspect's ratio.
		if fd, err := syscall.Open(dir+"/stat", syscall.O_RDONLY|syscall.O_CLOEXEC, 0); err == nil {
			_, _ = syscall.Read(fd, buf)
			syscall.Close(fd)
		}
	}
}

// report prints the medians and ratios at each size, what the contents
// columns cost per namespace, and how each command scales. CPU time is
// user and system time: the load of other processes on the machine
// lengthens wall times, the more so for nsinspect's, which uses every CPU.
func report(w io.Writer, results [][]result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "processes\tnamespaces\tcommand\twall\tvs lsns\tvs floor\tCPU\tvs floor\tpeak RSS\t")
	byName := make([]map[string]result, len(results)) // at each size
	for i, rs := range results {
		byName[i] = map[string]result{}
		for _, r := range rs {
			byName[i][r.name] = r
		}
	}
	for i, rs := range results {
		fl := byName[i]["floor"]
		for _, r := range rs {
			vsLsns, vsFloor, cpuVsFloor := "", "", ""
			if name, ok := strings.CutPrefix(r.name, "nsinspect "); ok {
				if l, ok := byName[i]["lsns "+name]; ok {
					vsLsns = fmt.Sprintf("%.1fx faster", float64(l.wall)/float64(r.wall))
					if l.wall < r.wall {
						vsLsns = fmt.Sprintf("%.1fx slower", float64(r.wall)/float64(l.wall))
					}
				}
				vsFloor = fmt.Sprintf("%.2fx", float64(r.wall)/float64(fl.wall))
				cpuVsFloor = fmt.Sprintf("%.2fx", float64(r.cpu)/float64(fl.cpu))
			}
			rss := "small"
			if r.maxRSS > 0 {
				rss = fmt.Sprintf("%.1f MiB", float64(r.maxRSS)/1024)
			}
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.procs, r.namespaces, r.name,
				r.wall.Round(time.Millisecond), vsLsns, vsFloor, r.cpu.Round(time.Millisecond), cpuVsFloor, rss)
		}
	}
	for i := range results {
		plain, contents := byName[i]["nsinspect plain"], byName[i]["nsinspect contents"]
		extra := contents.cpu - plain.cpu
		fmt.Fprintf(tw, "contents\t%d\tCPU for HOSTNAME,UIDMAP,IFACES,TIMEOFFSETS\t\t\t\t%s\t%.0f µs per namespace\t\t\n",
			contents.namespaces, extra.Round(time.Millisecond), float64(extra.Microseconds())/float64(contents.namespaces))
	}
	if len(results) >= 2 {
		for i, r := range results[1] {
			fmt.Fprintf(tw, "scaling\t\t%s\t%.2fx\t\t\t%.2fx\t\t\t\n", r.name,
				float64(r.wall)/float64(results[0][i].wall), float64(r.cpu)/float64(results[0][i].cpu))
		}
	}
	tw.Flush()
}
