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
	for _, q := range []string{
		"actor=russia&actor=ukraine&match=all", "from=2026-01&to=2026-02~", "type=negotiation&status=held",
		"q=%22peace+talks%22+-davos+or+zelensky", "sort=relevance&q=trump", "country=AE&tag=peace-talks",
		"near=24.45,54.38,50", "limit=500&include=location,statements", "cursor=" + url.QueryEscape(page.NextCursor) + "&sort=-date&limit=2",
		"cursor=" + url.QueryEscape(page.NextCursor), "sort=title';DROP TABLE events;--", "limit=99999999999999999999",
		"from=0001&to=9998", "q=%00", "actor=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		rec := get(q)
		switch rec.Code {
		case http.StatusOK:
		case http.StatusBadRequest:
			if !strings.HasPrefix(rec.Header().Get("Content-Type"), api.ProblemContentType) {
				t.Fatalf("?%s: 400 without a problem body", q)
			}
		default:
			t.Fatalf("?%s: %d %s", q, rec.Code, rec.Body)
		}
	})
}
