package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// FuzzEventsQuery sends arbitrary query strings to /api/v1/events over the built-in
// dataset: every filter, sort, search and cursor value must give 200 or a 400 problem,
// never a 500 or a panic.
func FuzzEventsQuery(f *testing.F) {
	s := storetest.Open(f, store.SQLite)
	if _, err := seed.Load(context.Background(), s); err != nil {
		f.Fatal(err)
	}
	h, err := api.New(s, nil, api.Options{})
	if err != nil {
		f.Fatal(err)
	}
	get := func(q string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/api/v1/events", nil)
		req.URL.RawQuery = q
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	var page struct {
		NextCursor string `json:"next_cursor"`
	}
	if err := json.Unmarshal(get("limit=2&sort=-date").Body.Bytes(), &page); err != nil || page.NextCursor == "" {
		f.Fatalf("no cursor to seed with: %v", err)
	}
	for _, q := range eventsQueries(page.NextCursor) {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		rec := get(q)
		checkEventsAnswer(t, q, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
	})
}

// eventsQueries are valid and hostile /events query strings: the fuzzer's seeds, and a
// test of their own on both databases, whose search and cursor SQL differ.
func eventsQueries(cursor string) []string {
	return []string{
		"actor=russia&actor=ukraine&match=all", "from=2026-01&to=2026-02~", "type=negotiation&status=held",
		"q=%22peace+talks%22+-davos+or+zelensky", "sort=relevance&q=trump", "country=AE&tag=peace-talks",
		"near=24.45,54.38,50", "limit=500&include=location,statements", "cursor=" + url.QueryEscape(cursor) + "&sort=-date&limit=2",
		"cursor=" + url.QueryEscape(cursor), "sort=title';DROP TABLE events;--", "limit=99999999999999999999",
		"from=0001&to=9998", "q=%00", "actor=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
	}
}

// checkEventsAnswer fails unless an /events answer is a 200 or a 400 problem.
func checkEventsAnswer(t *testing.T, q string, code int, contentType string, body []byte) {
	t.Helper()
	switch code {
	case http.StatusOK:
	case http.StatusBadRequest:
		if !strings.HasPrefix(contentType, api.ProblemContentType) {
			t.Fatalf("?%s: 400 without a problem body", q)
		}
	default:
		t.Fatalf("?%s: %d %s", q, code, body)
	}
}

// TestEventsQueryCorpus runs the fuzzer's seeds on SQLite and PostgreSQL.
func TestEventsQueryCorpus(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var page struct {
			NextCursor string `json:"next_cursor"`
		}
		c.get("/api/v1/events?limit=2&sort=-date").want(t, 200, &page)
		for _, q := range eventsQueries(page.NextCursor) {
			r := c.get("/api/v1/events?" + strings.ReplaceAll(q, " ", "+"))
			checkEventsAnswer(t, q, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
	})
}
