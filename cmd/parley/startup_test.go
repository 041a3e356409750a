package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestInstancesStartTogether builds the parley binary and starts three `parley serve`
// processes at once on one empty database of each kind, four rounds each (two on a
// database with no tables, two on one migrated but empty): all three become ready
// (/readyz 200), the built-in dataset is loaded exactly once (its entity count in
// revisions, every slug on its own entity, none suffixed -2), and each stops cleanly on
// SIGINT. Before start-up took its locks, one instance in most rounds exited with a
// duplicate key in `migrate up` on PostgreSQL, "table actors already exists" on SQLite,
// or a seed conflict.
func TestInstancesStartTogether(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: builds the binary and starts nine instances per database")
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH to build parley")
	}
	bin := filepath.Join(t.TempDir(), "parley")
	build := exec.Command(gocmd, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	total := int64(f.Count())
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			for round := range 4 {
				url := storetest.URL(t, d)
				if round >= 2 {
					// Migrated by a separate job, as deployments often do: the instances
					// then race straight into loading the dataset.
					if out, err := exec.Command(bin, "migrate", "up", "--database-url", url).CombinedOutput(); err != nil {
						t.Fatalf("migrate up: %v\n%s", err, out)
					}
				}
				var procs []*instance
				for range 3 {
					procs = append(procs, startInstance(t, bin, url))
				}
				for i, p := range procs {
					if err := p.waitReady(60 * time.Second); err != nil {
						t.Fatalf("round %d, instance %d: %v\n%s", round, i, err, p.output())
					}
				}

				ctx := context.Background()
				st, err := store.Open(ctx, url, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				fp, err := st.Fingerprint(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if fp["revisions"] != total || fp["events"] != int64(len(f.Events)) || fp["actors"] != int64(len(f.Actors)) {
					t.Errorf("round %d: %d revisions, %d events, %d actors; want the dataset once: %d, %d, %d",
						round, fp["revisions"], fp["events"], fp["actors"], total, len(f.Events), len(f.Actors))
				}
				for _, e := range f.Events {
					if got, err := st.GetEvent(ctx, e.Slug, store.Include{}); err != nil || got.ID != e.ID {
						t.Errorf("round %d: event %s: %v %v", round, e.Slug, got, err)
					}
				}
				for _, a := range f.Actors {
					if got, err := st.GetActor(ctx, a.Slug); err != nil || got.ID != a.ID {
						t.Errorf("round %d: actor %s: %v %v", round, a.Slug, got, err)
					}
				}
				_ = st.Close()

				for i, p := range procs {
					if err := p.stop(20 * time.Second); err != nil {
						t.Errorf("round %d, instance %d: %v\n%s", round, i, err, p.output())
					}
				}
			}
		})
	}
}

// instance is one running `parley serve` process.
type instance struct {
	cmd    *exec.Cmd
	addr   chan string   // the listening address, once logged
	exited chan struct{} // closed when the process has ended
	err    error         // its exit status, once exited is closed
	mu     sync.Mutex
	log    strings.Builder
}

// startInstance starts `parley serve` on a free port of 127.0.0.1 against url; the test
// kills it if it is still running at the end.
func startInstance(t *testing.T, bin, url string) *instance {
	t.Helper()
	p := &instance{addr: make(chan string, 1), exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--database-url", url,
		"--seed", "auto", "--log-format", "json", "--log-level", "info")
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log.WriteString(line + "\n")
			p.mu.Unlock()
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				p.addr <- rec.Addr
			}
		}
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// output is what the process has logged so far.
func (p *instance) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// waitReady waits until the process listens and its /readyz answers 200.
func (p *instance) waitReady(limit time.Duration) error {
	deadline := time.After(limit)
	var addr string
	select {
	case addr = <-p.addr:
	case <-p.exited:
		return fmt.Errorf("exited before listening: %v", p.err)
	case <-deadline:
		return fmt.Errorf("not listening after %s", limit)
	}
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		var last string
		res, err := client.Get("http://" + addr + "/readyz")
		if err != nil {
			last = err.Error()
		} else {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			last = res.Status
		}
		select {
		case <-p.exited:
			return fmt.Errorf("exited before ready: %v", p.err)
		case <-deadline:
			return fmt.Errorf("/readyz not 200 after %s (last: %s)", limit, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop interrupts the process as Ctrl-C or an orchestrator's stop would, and wants a
// clean exit.
func (p *instance) stop(limit time.Duration) error {
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		return err
	}
	select {
	case <-p.exited:
		return p.err
	case <-time.After(limit):
		return fmt.Errorf("still running %s after SIGINT", limit)
	}
}
