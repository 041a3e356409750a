package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The profiler serves on loopback only, answers there, and stops with the server.
func TestPprofListener(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, addr := range []string{"0.0.0.0:0", ":6060", "192.0.2.1:6060", "[::]:0", "example.org:6060"} {
		if _, err := servePprof(context.Background(), addr, log); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("--pprof-addr %s: %v, want a refusal naming loopback", addr, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr, err := servePprof(ctx, "127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(body) == 0 {
		t.Fatalf("cmdline: %d %q", res.StatusCode, body)
	}
	res, err = http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "heap profile") {
		t.Fatalf("heap: %d %.80q", res.StatusCode, body)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := http.Get("http://" + addr + "/debug/pprof/"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the profiler still answers after the server stopped")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
