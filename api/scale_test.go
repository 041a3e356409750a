package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// scaleEvents is how many events TestExportHeapBounded exports.
const scaleEvents = 200_000

// exportHeapBound is the most heap (live and not yet swept objects) the whole test process
// (server and the client reading the download) may use while 200,000 events stream
// out. A server that held the result would need several hundred MiB: the bundle alone is
// about 230 MB of JSON.
const exportHeapBound = 64 << 20

// TestExportHeapBounded streams 200,000 events out of PostgreSQL through the HTTP API,
// as a bundle and as ndjson, reading each download line by line, and samples the heap
// with runtime/metrics throughout: its peak must stay under exportHeapBound, whatever the
// size of the export. A client that disconnects half-way stops the export.
func TestExportHeapBounded(t *testing.T) {
	// Not parallel: it measures the heap, which other tests would grow.
	url := storetest.URL(t, store.Postgres)
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.LoadScale(t, url, scaleEvents)

	logs := &requestLog{}
	h, err := api.New(st, slog.New(slog.NewJSONHandler(logs, nil)), api.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	full := map[string]int64{}
	// Every line is checked for what it is; every 100th is parsed in full (a full parse
	// of each would make the race-detector run minutes longer).
	for _, tc := range []struct {
		path string
		// event reports whether a line is one of the events.
		event func(t *testing.T, line []byte, parse bool) bool
	}{
		{"/api/v1/export/bundle", func(t *testing.T, line []byte, parse bool) bool {
			if parse {
				var r struct {
					Type string          `json:"type"`
					Data json.RawMessage `json:"data"`
				}
				if err := json.Unmarshal(line, &r); err != nil || len(r.Data) == 0 {
					t.Fatalf("bundle line %.200s: %v", line, err)
				}
			}
			return bytes.HasPrefix(line, []byte(`{"type":"event","data":{`))
		}},
		{"/api/v1/export?format=ndjson", func(t *testing.T, line []byte, parse bool) bool {
			if parse {
				var e struct {
					Participants []struct {
						ActorID string `json:"actor_id"`
					} `json:"participants"`
				}
				if err := json.Unmarshal(line, &e); err != nil || len(e.Participants) != 3 {
					t.Fatalf("ndjson line %.200s: %v", line, err)
				}
			}
			return bytes.HasPrefix(line, []byte(`{"id":`)) && bytes.Contains(line, []byte(`"slug":"event-`))
		}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			peak, stop := sampleHeap()
			res, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			events, size := 0, int64(0)
			sc := bufio.NewScanner(res.Body)
			sc.Buffer(nil, 1<<20)
			for n := 0; sc.Scan(); n++ {
				size += int64(len(sc.Bytes())) + 1
				if tc.event(t, sc.Bytes(), n%100 == 0) {
					events++
				}
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			stop()
			t.Logf("%d events, %.1f MB, peak heap %.1f MiB (bound %d MiB)", events, float64(size)/1e6, float64(*peak)/(1<<20), exportHeapBound>>20)
			if events != scaleEvents {
				t.Fatalf("%d events exported, want %d", events, scaleEvents)
			}
			if *peak > exportHeapBound {
				t.Fatalf("peak heap %d MiB, over the %d MiB bound", *peak>>20, exportHeapBound>>20)
			}
			full[tc.path] = size
		})
	}

	t.Run("client gone", func(t *testing.T) {
		path := "/api/v1/export/bundle"
		if full[path] == 0 {
			t.Skip("needs the full bundle export's size")
		}
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.CopyN(io.Discard, res.Body, 1<<20); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		sent := logs.wait(t, path, 2)
		if sent >= full[path]/2 {
			t.Fatalf("the server wrote %d of %d bytes to a client gone after 1 MiB", sent, full[path])
		}
	})
}

// sampleHeap records the peak of the heap in use until stop is called.
func sampleHeap() (peak *uint64, stop func()) {
	runtime.GC()
	peak = new(uint64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return peak, func() { close(done); wg.Wait() }
}

// requestLog collects the access log's request lines.
type requestLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *requestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, string(p))
	return len(p), nil
}

// wait returns the bytes the server wrote for the n-th request to path, once logged.
func (l *requestLog) wait(t *testing.T, path string, n int) int64 {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		l.mu.Lock()
		seen := 0
		for _, line := range l.lines {
			var r struct {
				Msg   string `json:"msg"`
				Path  string `json:"path"`
				Bytes int64  `json:"bytes"`
			}
			if json.Unmarshal([]byte(line), &r) == nil && r.Msg == "request" && r.Path == strings.Split(path, "?")[0] {
				if seen++; seen == n {
					l.mu.Unlock()
					return r.Bytes
				}
			}
		}
		l.mu.Unlock()
	}
	t.Fatalf("no log of request %d to %s", n, path)
	return 0
}
