package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// loggedClient is newClient for a server that writes its log, as JSON lines, to w.
func loggedClient(t *testing.T, s *store.Store, w io.Writer) *client {
	t.Helper()
	return serveClient(t, s, slog.New(slog.NewJSONHandler(w, nil)))
}

// send is do for other goroutines than the test's: a transport error comes back rather
// than ending the test, and ctx may cut the request short.
func (c *client) send(ctx context.Context, method, path, body string, hdr ...string) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.srv.URL+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("If-Match", "*")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	r := &response{Status: res.StatusCode, Header: res.Header, Body: out}
	c.validate(req, r)
	return r, nil
}

// contentionAnswer checks one answer to a write that met other writers: a success, a
// conflict or precondition the client can act on, or a 503 problem with Retry-After.
func contentionAnswer(r *response, ok ...int) error {
	if r.Status == http.StatusServiceUnavailable {
		if r.Header.Get("Retry-After") == "" || !strings.HasPrefix(r.Header.Get("Content-Type"), api.ProblemContentType) {
			return fmt.Errorf("503 without Retry-After or problem body: %v %s", r.Header, r.Body)
		}
		return nil
	}
	for _, s := range ok {
		if r.Status == s {
			return nil
		}
	}
	return fmt.Errorf("status %d: %s", r.Status, r.Body)
}

// TestCrossPatches sends, for 15 pairs at once, two PATCHes that make A the parent of B
// and B the parent of A (and the same with actors' affiliations). On PostgreSQL the two
// lock the rows in opposite orders and one is a deadlock's victim: it is retried, so
// every answer is 200, 409, 412 or 422 (503 with Retry-After at worst, never 500), no
// event ends up its own ancestor, and on PostgreSQL the retries leave no 503.
func TestCrossPatches(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("concurrent cross-PATCHes: slow")
	}
	each(t, false, func(t *testing.T, c *client) {
		const pairs = 15
		type pair struct{ coll, ref, a, b string }
		var ps []pair
		for i := range pairs {
			var a, b models.Event
			c.do("POST", "/api/v1/events", fmt.Sprintf(`{"title":"Round %d A","type":"meeting","status":"held","date":"2026-02-%02d"}`, i, i+1)).want(t, 201, &a)
			c.do("POST", "/api/v1/events", fmt.Sprintf(`{"title":"Round %d B","type":"meeting","status":"held","date":"2026-02-%02d"}`, i, i+1)).want(t, 201, &b)
			ps = append(ps, pair{"events", "parent_id", a.ID.String(), b.ID.String()})
			var x, y models.Actor
			c.do("POST", "/api/v1/actors", fmt.Sprintf(`{"name":"Envoy %d X","kind":"person"}`, i)).want(t, 201, &x)
			c.do("POST", "/api/v1/actors", fmt.Sprintf(`{"name":"Envoy %d Y","kind":"group"}`, i)).want(t, 201, &y)
			ps = append(ps, pair{"actors", "affiliation_id", x.ID.String(), y.ID.String()})
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		counts := map[string]map[int]int{"events": {}, "actors": {}}
		for _, p := range ps {
			for _, dir := range [][2]string{{p.a, p.b}, {p.b, p.a}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					r, err := c.send(context.Background(), "PATCH", "/api/v1/"+p.coll+"/"+dir[0], fmt.Sprintf(`{%q:%q}`, p.ref, dir[1]))
					if err != nil {
						t.Error(err)
						return
					}
					if err := contentionAnswer(r, 200, 409, 412, 422); err != nil {
						t.Errorf("PATCH %s %s: %v", p.coll, p.ref, err)
					}
					mu.Lock()
					counts[p.coll][r.Status]++
					mu.Unlock()
				}()
			}
		}
		close(start)
		wg.Wait()
		t.Logf("answers: %v", counts)
		for _, p := range ps {
			if p.coll != "events" {
				continue
			}
			var a, b models.Event
			c.get("/api/v1/events/"+p.a).want(t, 200, &a)
			c.get("/api/v1/events/"+p.b).want(t, 200, &b)
			if a.Parent != nil && b.Parent != nil && a.Parent.ID == b.ID && b.Parent.ID == a.ID {
				t.Errorf("events %s and %s are each other's parent", a.ID, b.ID)
			}
		}
		if c.st.Dialect() == store.Postgres && (counts["events"][503] > 0 || counts["actors"][503] > 0) {
			t.Errorf("deadlocks were not retried away: %v", counts)
		}
	})
}

// blockingImport starts an import whose transaction stays open until release is closed:
// it updates actor (locking its row on PostgreSQL; on SQLite the whole database is
// locked for writing from the start), adds locations, then waits for more records. It
// returns the channel the import's outcome arrives on.
func blockingImport(t *testing.T, s *store.Store, actor models.Actor, release <-chan struct{}) <-chan error {
	t.Helper()
	recs := []store.ImportRecord{{Line: 1, Kind: "actor", Entity: &models.Actor{Meta: models.Meta{ID: actor.ID}, Slug: actor.Slug, Name: actor.Name + " (imported)", Kind: actor.Kind}}}
	// A full window, so that the importer writes it before it waits for the next one.
	for i := 2; i <= 500; i++ {
		recs = append(recs, store.ImportRecord{Line: i, Kind: "location", Entity: &models.Location{Name: fmt.Sprintf("Place %d", i), Slug: fmt.Sprintf("place-%d", i)}})
	}
	n := 0
	next := func() (store.ImportRecord, error) {
		if n < len(recs) {
			n++
			return recs[n-1], nil
		}
		<-release
		return store.ImportRecord{}, io.EOF
	}
	done := make(chan error, 1)
	go func() {
		rep, err := s.Import(context.Background(), next, store.ImportOptions{Atomic: true})
		if err == nil && (!rep.Committed || len(rep.Problems) > 0) {
			err = fmt.Errorf("import not committed: %+v", rep)
		}
		done <- err
	}()
	return done
}

// TestWritesDuringImport writes through the API while an import holds the database: on
// SQLite every write answers within a bounded time, 503 with Retry-After when the import
// outlasts its wait, never 500; on PostgreSQL writes to other rows go through. A client
// that gives up on a write stuck behind the import is logged and counted as 499, not as
// a 500 (or a 503 nobody received).
func TestWritesDuringImport(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("writes behind a long import: slow")
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		logs := &requestLog{}
		c := loggedClient(t, s, logs)
		var x models.Actor
		c.do("POST", "/api/v1/actors", `{"name":"Ali Larijani","kind":"person","country":"IR"}`).want(t, 201, &x)
		release := make(chan struct{})
		done := blockingImport(t, s, x, release)
		defer func() {
			select {
			case <-release:
			default:
				close(release)
				<-done
			}
		}()

		// A no-op PATCH of the imported actor answers 200 at once until the import holds
		// its row (or, on SQLite, the database); then it waits, and the client gives up.
		var aborted bool
		for try := 0; try < 100 && !aborted; try++ {
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			r, err := c.send(ctx, "PATCH", "/api/v1/actors/"+x.ID.String(), `{}`)
			cancel()
			switch {
			case errors.Is(err, context.DeadlineExceeded):
				aborted = true
			case err != nil:
				t.Fatal(err)
			case r.Status != 200:
				t.Fatalf("PATCH {} before the import took the lock: %d %s", r.Status, r.Body)
			default:
				time.Sleep(50 * time.Millisecond)
			}
		}
		if !aborted {
			t.Fatal("the import never held the actor's row")
		}

		// Writes meanwhile: each answers, within two of the store's 5 s waits for
		// SQLite's write lock at most (its own lock, then SQLite's busy timeout).
		const writers = 6
		const maxWait = 12 * time.Second
		var wg sync.WaitGroup
		statuses := make([]int, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				r, err := c.send(context.Background(), "POST", "/api/v1/actors", fmt.Sprintf(`{"name":"Writer %d","kind":"person"}`, i))
				if err != nil {
					t.Error(err)
					return
				}
				if took := time.Since(start); took > maxWait {
					t.Errorf("a write during the import answered after %v", took)
				}
				if err := contentionAnswer(r, 201); err != nil {
					t.Errorf("write during the import: %v", err)
				}
				statuses[i] = r.Status
			}()
		}
		wg.Wait()
		close(release)
		if err := <-done; err != nil {
			t.Fatalf("import: %v", err)
		}
		t.Logf("writes during the import: %v", statuses)
		for _, st := range statuses {
			if want := map[store.Dialect]int{store.SQLite: 503, store.Postgres: 201}[s.Dialect()]; st != want {
				t.Errorf("write during the import: %d, want %d on %s", st, want, s.Dialect())
			}
		}
		c.do("POST", "/api/v1/actors", `{"name":"After the import","kind":"person"}`).want(t, 201, nil)

		// The abandoned PATCH is a 499 in the access log and the metrics; nothing is a 500.
		var logged []int
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			logged = patchStatuses(logs, x.ID)
			if len(logged) > 0 && logged[len(logged)-1] != 200 || time.Now().After(deadline) {
				break
			}
		}
		if len(logged) == 0 || logged[len(logged)-1] != 499 {
			t.Errorf("statuses logged for the PATCHes: %v, want the last (abandoned) one as 499", logged)
		}
		for _, line := range logs.snapshot() {
			if strings.Contains(line, `"status":500`) {
				t.Errorf("logged as a 500: %s", line)
			}
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(bytes.NewReader(c.get("/metrics").Body))
		if err != nil {
			t.Fatal(err)
		}
		var abandoned float64
		for _, m := range families["parley_http_requests_total"].GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["status"] == "500" {
				t.Errorf("counted as a 500: %v", labels)
			}
			if labels["status"] == "499" && labels["route"] == "/api/v1/actors/:id" && labels["method"] == "PATCH" {
				abandoned += m.GetCounter().GetValue()
			}
		}
		if abandoned != 1 {
			t.Errorf("%v PATCHes counted as 499, want 1", abandoned)
		}
	})
}

// snapshot copies the lines logged so far.
func (l *requestLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// patchStatuses are the statuses the access log gives the PATCHes of actor id, in order.
func patchStatuses(l *requestLog, id models.ID) []int {
	var out []int
	for _, line := range l.snapshot() {
		var r struct {
			Msg, Method, Path string
			Status            int
		}
		if json.Unmarshal([]byte(line), &r) == nil && r.Msg == "request" && r.Method == "PATCH" && r.Path == "/api/v1/actors/"+id.String() {
			out = append(out, r.Status)
		}
	}
	return out
}
