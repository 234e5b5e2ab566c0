package inspect

import (
	"runtime"
	"sync"
)

// parallel calls f(i) for i in [0, n) on one goroutine per CPU, each taking
// a contiguous share. Reading /proc is bound by syscalls, which run in
// parallel; f must only touch what index i owns.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/32))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				f(i)
			}
		})
	}
	wg.Wait()
}
