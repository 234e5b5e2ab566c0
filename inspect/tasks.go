package inspect

var taskName = nulName("task")

// tasks reads the links of the threads of the process open at dirfd, other
// than the leader, which is the process itself.
func (sc *scanner) tasks(dirfd, pid int) {
	taskfd, errno := openat(dirfd, taskName, oDir)
	if errno != 0 {
		return
	}
	defer closeFD(taskfd)
	readDir(taskfd, sc.dir[:], func(name []byte) {
		tid, ok := atoi(name)
		if !ok || tid == pid {
			return
		}
		fd, errno := openat(taskfd, name, oPath)
		if errno != 0 {
			return
		}
		defer closeFD(fd)
		if t, _ := sc.process(fd, tid); t != nil {
			t.task = true
			sc.procs = append(sc.procs, t)
		}
	})
}
