package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

func run(t *testing.T, ctx context.Context, args ...string) (string, error) {
	t.Helper()
	cmd := newRoot()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	return out.String(), err
}

// TestCLI drives migrate, seed and version against a fresh SQLite file.
func TestCLI(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "cli.db")
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "status", "--database-url", db}, "pending"},
		{[]string{"migrate", "up", "--database-url", db}, " migration(s)"},
		{[]string{"migrate", "up", "--database-url", db}, "applied 0 migration(s)"},
		{[]string{"migrate", "status", "--database-url", db}, "applied"},
		{[]string{"seed", "--database-url", db}, "created 41, already present 0"},
		{[]string{"seed", "--database-url", db}, "created 0, already present 41"},
		{[]string{"version"}, "parley "},
	}
	for _, s := range steps {
		out, err := run(t, ctx, s.args...)
		if err != nil || !strings.Contains(out, s.want) {
			t.Fatalf("parley %v: %q, %v; want %q", s.args, out, err, s.want)
		}
	}
	if _, err := run(t, ctx, "migrate", "sideways", "--database-url", db); err == nil {
		t.Error("migrate sideways succeeded")
	}
}

// TestFlagsWinOverEnvironment checks the configuration precedence.
func TestFlagsWinOverEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PARLEY_DATABASE_URL", filepath.Join(dir, "env.db"))
	out, err := run(t, context.Background(), "migrate", "up")
	if err != nil || !strings.Contains(out, "applied ") || strings.Contains(out, "applied 0") {
		t.Fatalf("env database: %q %v", out, err)
	}
	out, err = run(t, context.Background(), "migrate", "status", "--database-url", filepath.Join(dir, "flag.db"))
	if err != nil || !strings.Contains(out, "pending") {
		t.Fatalf("the flag should select a fresh database: %q %v", out, err)
	}
	t.Setenv("PARLEY_LOG_FORMAT", "yaml")
	if _, err := run(t, context.Background(), "seed"); err == nil || !strings.Contains(err.Error(), "yaml") {
		t.Fatalf("bad PARLEY_LOG_FORMAT accepted: %v", err)
	}
}

// TestServeSeedsAndShutsDown starts serve on an empty database, checks the built-in
// dataset is served, then cancels the context (as SIGTERM does) while an import is half
// sent: the import still completes and commits, and serve exits cleanly.
func TestServeSeedsAndShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	db := filepath.Join(t.TempDir(), "serve.db")
	out, err := run(t, context.Background(), "keys", "create", "--name", "drain", "--scope", "admin", "--database-url", db)
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	done := make(chan error, 1)
	go func() {
		_, err := run(t, ctx, "serve", "--addr", addr, "--log-level", "error", "--database-url", db)
		done <- err
	}()
	url := fmt.Sprintf("http://%s/api/v1/events?actor=volodymyr-zelensky", addr)
	var res *http.Response
	for i := 0; i < 100; i++ {
		if res, err = http.Get(url); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}

	// An import in flight when the signal comes: half its body now, half after.
	bundle, err := run(t, context.Background(), "gen", "--events", "20", "--seed", "4")
	if err != nil {
		t.Fatal(err)
	}
	half := len(bundle) / 2
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", fmt.Sprintf("http://%s/api/v1/import", addr), pr)
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+key)
	answer := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("import in flight: %v", err)
		}
		answer <- res
	}()
	if _, err := io.WriteString(pw, bundle[:half]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // let the server take the connection in
	cancel()
	time.Sleep(200 * time.Millisecond) // shutdown has begun: new connections are refused
	if _, err := io.WriteString(pw, bundle[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if res := <-answer; res == nil || res.StatusCode != 200 {
		t.Fatalf("the import in flight at shutdown: %+v", res)
	} else {
		var rep struct{ Committed bool }
		_ = json.NewDecoder(res.Body).Decode(&rep)
		res.Body.Close()
		if !rep.Committed {
			t.Fatal("the import in flight at shutdown did not commit")
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestImportExportCLI generates a bundle, imports it twice (the second time changes
// nothing), exports it again, and imports a GDELT sample twice without duplicates.
func TestImportExportCLI(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.db")
	bundle := filepath.Join(dir, "gen.ndjson")
	if out, err := run(t, ctx, "gen", "--events", "50", "--seed", "9", "--out", bundle); err != nil {
		t.Fatalf("gen: %v %s", err, out)
	}
	out, err := run(t, ctx, "import", bundle, "--database-url", db)
	if err != nil || !strings.Contains(out, `"committed": true`) || !strings.Contains(out, `"created": 50`) {
		t.Fatalf("import: %v %s", err, out)
	}
	out, err = run(t, ctx, "import", bundle, "--database-url", db)
	var rep store.ImportReport
	if err != nil || json.Unmarshal([]byte(out), &rep) != nil || !rep.Committed || rep.Counts["event"].Unchanged != 50 {
		t.Fatalf("second import: %v %s", err, out)
	}
	for kind, c := range rep.Counts {
		if c.Created != 0 || c.Updated != 0 || c.Rejected != 0 {
			t.Errorf("second import changed %ss: %+v", kind, c)
		}
	}
	csvOut := filepath.Join(dir, "events.csv")
	if out, err := run(t, ctx, "export", "--format", "csv", "--out", csvOut, "--database-url", db); err != nil {
		t.Fatalf("export: %v %s", err, out)
	}
	if b, _ := os.ReadFile(csvOut); strings.Count(string(b), "\n") < 51 {
		t.Errorf("csv export has %d lines", strings.Count(string(b), "\n"))
	}
	sample := filepath.Join("..", "..", "formats", "gdelt", "testdata", "gdelt-sample-v1-daily-geoutils-fixture.tsv")
	for i, want := range []string{`"created": 1`, `"unchanged": 1`} {
		out, err := run(t, ctx, "import", "--format", "gdelt", sample, "--database-url", db)
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("gdelt import %d: %v %s", i+1, err, out)
		}
	}
}

// TestKeysCLI makes, lists and revokes a key, and checks that the store accepts the
// secret printed until the key is revoked.
func TestKeysCLI(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "keys.db")
	out, err := run(t, ctx, "keys", "create", "--name", "newsroom", "--scope", "write", "--database-url", db)
	if err != nil {
		t.Fatalf("keys create: %v %s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	if !strings.HasPrefix(secret, "parley_") || !strings.Contains(out, "shown once") {
		t.Fatalf("keys create printed %q", out)
	}
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k, err := st.Authenticate(ctx, secret)
	if err != nil || k.Scope != models.ScopeWrite || k.Name != "newsroom" {
		t.Fatalf("authenticate the printed secret: %+v %v", k, err)
	}
	if out, err := run(t, ctx, "keys", "list", "--database-url", db); err != nil || !strings.Contains(out, k.Prefix) || strings.Contains(out, secret) {
		t.Fatalf("keys list: %v %q", err, out)
	}
	if out, err := run(t, ctx, "keys", "create", "--name", "x", "--scope", "root", "--database-url", db); err == nil {
		t.Fatalf("a key with scope root was made: %q", out)
	}
	if out, err := run(t, ctx, "keys", "revoke", k.Prefix, "--database-url", db); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("keys revoke: %v %q", err, out)
	}
	if _, err := st.Authenticate(ctx, secret); models.ErrorCodeOf(err) != models.EUNAUTHORIZED {
		t.Fatalf("a revoked key authenticates: %v", err)
	}
}

// TestServePortTaken: serve on an address that is in use fails at once with a message
// naming the address and --addr, and leaves the database as it was (not migrated, not
// seeded).
func TestServePortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	db := filepath.Join(t.TempDir(), "taken.db")
	_, err = run(t, context.Background(), "serve", "--addr", ln.Addr().String(), "--log-level", "error", "--database-url", db)
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("serve on a taken port: %v", err)
	}
	out, err := run(t, context.Background(), "migrate", "status", "--database-url", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.Contains(line, "pending") {
			t.Fatalf("the database was migrated before the port was checked: %q", out)
		}
	}
}
