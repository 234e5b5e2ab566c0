package inspect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

// podmanDB writes a bolt database laid out as podman's
// (libpod/boltdb_state.go): the bucket allPods maps each pod's id to its
// name; the bucket pod holds each pod's configuration, which is not read.
func podmanDB(t *testing.T, path string, pods map[string]string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		all, err := tx.CreateBucket(podmanAllPods)
		if err != nil {
			return err
		}
		pod, err := tx.CreateBucket([]byte("pod"))
		if err != nil {
			return err
		}
		for id, name := range pods {
			if err := all.Put([]byte(id), []byte(name)); err != nil {
				return err
			}
			b, err := pod.CreateBucket([]byte(id))
			if err != nil {
				return err
			}
			if err := b.Put([]byte("config"), []byte(`{"id":"`+id+`","name":"`+name+`"}`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPodmanNames(t *testing.T) {
	e := engineRoot(t, map[string]string{
		podmanStorage + "/overlay-containers/containers.json": `[{"id":"` + testID + `","names":["web1"]}]`,
	})
	podmanDB(t, filepath.Join(e.root, podmanStorage, "libpod", "bolt_state.db"), map[string]string{testPodID: "pod1"})
	checkResolve(t, e, []resolveCase{
		{"podman", "0::/libpod_parent/libpod-" + testID, "podman:web1", testID, ""},
		{"podman pod", "0::/libpod_parent/" + testPodID + "/libpod-" + testID, "podman:web1", testID, "pod1"},
		{"podman unknown pod", "0::/libpod_parent/" + testID + "/libpod-" + testID, "podman:web1", testID, testID[:12]},
	})
}

// TestPodmanDBUnread: a database that podman holds locked, or that is no
// bolt database, or an empty file, names no pod, and the read changes
// nothing in it.
func TestPodmanDBUnread(t *testing.T) {
	inPod := "0::/libpod_parent/" + testPodID + "/libpod-" + testID
	unnamed := []resolveCase{{"pod", inPod, "podman:" + testID[:12], testID, testPodID[:12]}}
	dbPath := func(e *engineState) string { return filepath.Join(e.root, podmanStorage, "libpod", "bolt_state.db") }

	t.Run("locked", func(t *testing.T) {
		e := engineRoot(t, nil)
		podmanDB(t, dbPath(e), map[string]string{testPodID: "pod1"})
		// As podman holds it while it writes: an exclusive lock.
		db, err := bbolt.Open(dbPath(e), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		checkResolve(t, e, unnamed)
	})
	for name, data := range map[string]string{
		"garbage": strings.Repeat("\x00\x01pod\x00{\"id\":\""+testPodID+"\",\"name\":\"pod1\"}\x00", 400),
		"empty":   "",
	} {
		t.Run(name, func(t *testing.T) {
			e := engineRoot(t, map[string]string{podmanStorage + "/libpod/bolt_state.db": data})
			before, err := os.Stat(dbPath(e))
			if err != nil {
				t.Fatal(err)
			}
			checkResolve(t, e, unnamed)
			after, err := os.Stat(dbPath(e))
			if err != nil {
				t.Fatal(err)
			}
			if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
				t.Errorf("the database changed: %d bytes at %v, was %d at %v", after.Size(), after.ModTime(), before.Size(), before.ModTime())
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		e := engineRoot(t, nil)
		podmanDB(t, dbPath(e), map[string]string{testPodID: "pod1"})
		if err := os.Truncate(dbPath(e), maxPodmanDB+1); err != nil {
			t.Fatal(err)
		}
		checkResolve(t, e, unnamed)
	})
}
