package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmoke runs the whole harness on a small dataset against the server of
// PARLEY_TEST_POSTGRES_URL and checks that every workload kind was measured with a
// positive rate on both sides and without a single error. It asserts no timings.
func TestSmoke(t *testing.T) {
	t.Parallel()
	server := os.Getenv("PARLEY_TEST_POSTGRES_URL")
	if server == "" {
		t.Skip("PARLEY_TEST_POSTGRES_URL is not set: the harness needs a PostgreSQL server")
	}
	if testing.Short() {
		t.Skip("the benchmark smoke run takes about half a minute; skipped under -short")
	}
	out := filepath.Join(t.TempDir(), "bench.json")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"--events", "2000", "--postgres", server, "--duration", "200ms", "--rounds", "1",
		"--clients", "4", "--json", out}, &stdout, &stderr)
	t.Log(stdout.String())
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var results []Result
	if err := json.Unmarshal(b, &results); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range results {
		if r.Errors != 0 || r.ParleyRPS <= 0 || r.RawRPS <= 0 || r.Ratio <= 0 {
			t.Errorf("%s: %+v", r.Workload, r)
		}
		for _, kind := range []string{"list", "search", "stats", "timeline", "network", "graph", "export", "import"} {
			if strings.Contains(r.Workload, kind) {
				seen[kind] = true
			}
		}
	}
	for _, kind := range []string{"list", "search", "stats", "timeline", "network", "graph", "export", "import"} {
		if !seen[kind] {
			t.Errorf("no %s workload in %s", kind, b)
		}
	}
}
