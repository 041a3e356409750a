package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReadmeQuickstart runs the README's quickstart as written: the parley commands of
// its shell blocks (serve on a free port instead of :8080, on a database of its own),
// the read it shows, and the write with the key that `keys create` printed, which must
// be a 201. A quickstart edited into something that no longer works fails here.
func TestReadmeQuickstart(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	quick := section(t, string(text), "## Quickstart")
	joined := strings.ReplaceAll(quick, "\\\n", " ")
	var parley [][]string
	var curls []string
	lines := strings.Split(joined, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		// A quoted body may go on over lines: read on until its quotes close.
		for strings.HasPrefix(line, "curl ") && strings.Count(line, "'")%2 == 1 && i+1 < len(lines) {
			i++
			line += "\n" + lines[i]
		}
		switch {
		case strings.HasPrefix(line, "go run ./cmd/parley "):
			cmd, _, _ := strings.Cut(strings.TrimPrefix(line, "go run ./cmd/parley "), "#")
			parley = append(parley, strings.Fields(cmd))
		case strings.HasPrefix(line, "curl "):
			curls = append(curls, line)
		}
	}
	if len(parley) < 2 || len(curls) < 1 {
		t.Fatalf("the quickstart has %d parley commands and %d curls: %q", len(parley), len(curls), quick)
	}
	db := filepath.Join(t.TempDir(), "parley.db")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	key := ""
	for _, args := range parley {
		switch args[0] {
		case "serve":
			args = append(withoutFlag(args, "--addr"), "--addr", addr, "--log-level", "error", "--database-url", db)
			go func() {
				_, err := run(t, ctx, args...)
				done <- err
			}()
			waitReady(t, "http://"+addr+"/readyz")
		case "keys":
			out, err := run(t, context.Background(), append(args, "--database-url", db)...)
			if err != nil {
				t.Fatalf("parley %v: %v", args, err)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			key = strings.TrimSpace(lines[len(lines)-1])
		default:
			t.Fatalf("the quickstart runs parley %v, which this test does not know", args)
		}
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	if !strings.HasPrefix(key, "parley_") {
		t.Fatalf("keys create printed no key last: %q", key)
	}
	if !strings.Contains(quick, "export PARLEY_KEY=") {
		t.Error("the quickstart does not export PARLEY_KEY")
	}
	for _, c := range append(curls, inlineCurls(quick)...) {
		status := curl(t, c, "http://"+addr, key)
		want := http.StatusOK
		if strings.Contains(c, "-X POST") {
			want = http.StatusCreated
		}
		if status != want {
			t.Errorf("%s: %d, want %d", c, status, want)
		}
	}
}

// section is the text of a README section, from its heading to the next of its level.
func section(t *testing.T, text, heading string) string {
	t.Helper()
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("no %q in the README", heading)
	}
	rest := text[i+len(heading)+2:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// withoutFlag drops a flag and its value from args.
func withoutFlag(args []string, flag string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		if args[i] == flag {
			i++
			continue
		}
		if strings.HasPrefix(args[i], flag+"=") {
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// inlineCurls finds curl commands written inline in the text (`curl '…'`).
func inlineCurls(text string) []string {
	var out []string
	for _, m := range regexp.MustCompile("`(curl [^`]+)`").FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

var (
	curlURL    = regexp.MustCompile(`'?(http://localhost:8080[^' ]*)'?`)
	curlMethod = regexp.MustCompile(`-X (\w+)`)
	curlBody   = regexp.MustCompile(`(?s)-d '(.*?)'`)
	curlHeader = regexp.MustCompile(`-H (?:'([^']*)'|"([^"]*)")`)
)

// curl sends the request a README curl line describes (method, URL, headers, body) to
// base instead of localhost:8080, with $PARLEY_KEY replaced by key, and returns the
// status.
func curl(t *testing.T, line, base, key string) int {
	t.Helper()
	u := curlURL.FindStringSubmatch(line)
	if u == nil {
		t.Fatalf("no URL in %q", line)
	}
	method := http.MethodGet
	if m := curlMethod.FindStringSubmatch(line); m != nil {
		method = m[1]
	}
	var body io.Reader
	if b := curlBody.FindStringSubmatch(line); b != nil {
		body = strings.NewReader(b[1])
	}
	req, err := http.NewRequest(method, strings.Replace(u[1], "http://localhost:8080", base, 1), body)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range curlHeader.FindAllStringSubmatch(line, -1) {
		name, value, ok := strings.Cut(h[1]+h[2], ":")
		if !ok {
			t.Fatalf("header %q in %q", h[0], line)
		}
		req.Header.Set(strings.TrimSpace(name), strings.ReplaceAll(strings.TrimSpace(value), "$PARLEY_KEY", key))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Logf("%s %s: %s", method, u[1], b)
	}
	return res.StatusCode
}

// waitReady polls url until it answers 200, for at most 10 s.
func waitReady(t *testing.T, url string) {
	t.Helper()
	var last error
	for range 200 {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered 200: %v", url, last)
}
