package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestPgBouncerTransactionPooling runs parley through a real PgBouncer in transaction
// pooling mode with two server connections (Debian's pgbouncer, started by the test in
// front of a database of its own, whose defaults carry statement_timeout and jit as an
// operator sets them). Migrations refuse the pooled URL and run on the direct one;
// three first starts at once load the built-in dataset once under the store's lock; then
// 8 clients create events with participants at once, and every event reads back by id
// and in the pages of a list; an Idempotency-Key replays. No request fails (a named
// prepared statement, pgx's default, fails here with "does not exist" or "already
// exists"), no session setting of parley's leaks into the pooled server connections,
// the database's statement_timeout holds on them, and parley used more connections than
// PgBouncer has, so they were shared between transactions.
func TestPgBouncerTransactionPooling(t *testing.T) {
	t.Parallel()
	const timeout = 3 * time.Second
	b := storetest.StartPgBouncer(t, fmt.Sprintf("statement_timeout = '%dms'", timeout.Milliseconds()), "jit = off", "max_parallel_workers_per_gather = 0")
	ctx := context.Background()
	logs := &storetest.SyncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	open := func(opts store.Options) *store.Store {
		t.Helper()
		opts.Logger, opts.StatementTimeout = log, timeout
		s, err := store.Open(ctx, b.URL(), opts)
		if err != nil {
			t.Fatalf("open through pgbouncer: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}

	// Through the pooler alone, migrations refuse to run: goose's session lock would
	// stay on a server connection lent to others.
	if _, err := open(store.Options{}).MigrateUp(ctx); err == nil || !strings.Contains(err.Error(), "migrate-url") {
		t.Fatalf("migrating through the transaction pooler: %v, want a refusal naming --migrate-url", err)
	}
	s := open(store.Options{MigrateURL: b.DirectURL(), MaxOpenConns: 16})
	if n, err := s.MigrateUp(ctx); err != nil || n == 0 {
		t.Fatalf("migrate on the direct URL: %d, %v", n, err)
	}
	if pending, err := s.Pending(ctx); err != nil || pending {
		t.Fatalf("pending through the pooler after migrating: %v, %v", pending, err)
	}

	// Three instances starting at once: the lock holds across the pooler's transactions,
	// so exactly one loads the dataset.
	starts := make([]*store.Store, 3)
	for i := range starts {
		starts[i] = open(store.Options{MigrateURL: b.DirectURL(), MaxOpenConns: 4})
	}
	var (
		wg     sync.WaitGroup
		loaded = make([]bool, len(starts))
		errs   = make([]error, len(starts))
	)
	for i, st := range starts {
		wg.Go(func() { _, loaded[i], errs[i] = seed.LoadIfEmpty(ctx, st) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("first starts through the pooler: %v", err)
	}
	if n := countTrue(loaded); n != 1 {
		t.Fatalf("%d of %d first starts loaded the dataset, want 1", n, len(starts))
	}

	c := serveClient(t, s, log)
	const clients, perClient = 8, 6
	ids := make([][]models.ID, clients)
	failures := make(chan string, clients*perClient)
	for g := range clients {
		wg.Go(func() {
			for i := range perClient {
				body := fmt.Sprintf(`{"title":"Pooled round %d.%d","type":"meeting","status":"held","date":"2025-09-%02d",
					"participants":[{"actor_id":"ukraine","role":"delegation"},{"actor_id":"russia","role":"delegation"}],"tags":["pooled"]}`,
					g, i, 1+(g*perClient+i)%28)
				status, out, err := post(c, "/api/v1/events", body)
				var ev models.Event
				if err == nil && status == http.StatusCreated {
					err = json.Unmarshal(out, &ev)
				}
				if err != nil || status != http.StatusCreated {
					failures <- fmt.Sprintf("client %d event %d: %d %v %.300s", g, i, status, err, out)
					continue
				}
				ids[g] = append(ids[g], ev.ID)
			}
		})
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if t.Failed() {
		t.FailNow()
	}
	if open := s.Stats().OpenConnections; open <= storetest.PgBouncerPoolSize {
		t.Fatalf("parley opened %d connections: not more than PgBouncer's %d, so none was shared", open, storetest.PgBouncerPoolSize)
	}

	made := slices.Concat(ids...)
	for _, id := range made {
		var ev models.Event
		c.get("/api/v1/events/"+id.String()).want(t, http.StatusOK, &ev)
		if len(ev.Participants) != 2 || !strings.HasPrefix(ev.Title, "Pooled round") {
			t.Fatalf("event %s read back as %q with %d participants", id, ev.Title, len(ev.Participants))
		}
	}
	seen := map[models.ID]bool{}
	cursor, pages := "", 0
	for {
		var page struct {
			Items      []models.Event `json:"items"`
			NextCursor string         `json:"next_cursor"`
		}
		path := "/api/v1/events?tag=pooled&actor=ukraine&limit=7"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		c.get(path).want(t, http.StatusOK, &page)
		pages++
		for _, ev := range page.Items {
			if seen[ev.ID] {
				t.Fatalf("event %s on two pages", ev.ID)
			}
			seen[ev.ID] = true
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != len(made) || pages < len(made)/7 {
		t.Fatalf("the pages listed %d events in %d pages, want the %d created", len(seen), pages, len(made))
	}

	var first, again models.Actor
	actor := map[string]any{"name": "Pooled Envoy", "kind": "person"}
	c.do(http.MethodPost, "/api/v1/actors", actor, "Idempotency-Key", "pooled-1").want(t, http.StatusCreated, &first)
	r := c.do(http.MethodPost, "/api/v1/actors", actor, "Idempotency-Key", "pooled-1").want(t, http.StatusCreated, &again)
	if r.Header.Get("Idempotency-Replayed") != "true" || again.ID != first.ID {
		t.Fatalf("replay: replayed=%q, ids %s and %s", r.Header.Get("Idempotency-Replayed"), first.ID, again.ID)
	}

	// Every pooled server connection has the database's settings and none of the session
	// settings parley makes on a direct connection.
	for _, q := range []struct{ show, want string }{
		{"SHOW statement_timeout", fmt.Sprintf("%ds", int(timeout.Seconds()))},
		{"SHOW jit", "off"},
		{"SHOW max_parallel_workers_per_gather", "0"},
		{"SHOW plan_cache_mode", "auto"},
	} {
		for i, got := range b.EachServer(q.show) {
			if got != q.want {
				t.Errorf("%s on server connection %d: %q, want %q (a session setting leaked through the pooler?)", q.show, i, got, q.want)
			}
		}
	}
	// The statement timeout cuts a slow statement off through the pooler.
	began := time.Now()
	err := b.Exec(ctx, "SELECT pg_sleep(20)")
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "57014" || time.Since(began) > 15*time.Second {
		t.Errorf("pg_sleep(20) through the pooler: %v after %s, want a statement timeout (57014) after %s", err, time.Since(began), timeout)
	}

	// A store whose statement timeout differs from the database's says so at Open.
	other, err := store.Open(ctx, b.URL(), store.Options{Logger: log, StatementTimeout: 7 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_ = other.Close()
	text := logs.String()
	if !strings.Contains(text, "statement_timeout is 3000 ms, want 7000 ms") {
		t.Errorf("no warning about a statement timeout unlike the database's; log:\n%s", text)
	}
	// 26000: the prepared statement does not exist; 42P05: it exists already.
	for _, bad := range []string{"prepared statement", "26000", "42P05"} {
		if strings.Contains(text, bad) {
			t.Errorf("the log has %q:\n%s", bad, text)
		}
	}
	if n := strings.Count(text, "cannot set its session settings"); n != 1 {
		t.Errorf("%d warnings about the database's settings, want 1 (the store with another timeout):\n%s", n, text)
	}
}

// post sends a JSON body with the client's key from any goroutine (client.do fails the
// test, which only the test's own goroutine may do).
func post(c *client, path, body string) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.key)
	res, err := c.srv.Client().Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	var out json.RawMessage
	err = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out, err
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
