package api_test

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBadInput sends malformed and hostile requests: each must get a 4xx problem+json
// naming the problem, and leave the database exactly as it was.
func TestBadInput(t *testing.T) {
	t.Parallel()
	huge := `{"name":"` + strings.Repeat("x", 1<<20) + `","kind":"person"}`
	inject := "x' OR '1'='1'; DROP TABLE events; --"
	cases := []struct {
		name         string
		method, path string
		body         any
		hdr          []string
		status       int
		field        string // a field the problem must name, if any
	}{
		{"broken JSON", "POST", "/api/v1/actors", `{"name":`, nil, 400, ""},
		{"wrong type", "POST", "/api/v1/actors", `{"name":5,"kind":"person"}`, nil, 400, "name"},
		{"unknown field", "POST", "/api/v1/actors", `{"name":"A","kind":"person","nmae":"B"}`, nil, 400, "nmae"},
		{"duplicate key", "POST", "/api/v1/actors", `{"name":"A","name":"B","kind":"person"}`, nil, 400, ""},
		{"case-variant key", "POST", "/api/v1/actors", `{"Name":"A","kind":"person"}`, nil, 400, "Name"},
		{"trailing data", "POST", "/api/v1/actors", `{"name":"A","kind":"person"} {}`, nil, 400, ""},
		{"array instead of object", "POST", "/api/v1/actors", `[{"name":"A","kind":"person"}]`, nil, 400, ""},
		{"empty body", "POST", "/api/v1/actors", ``, nil, 400, ""},
		{"invalid UTF-8 in body", "POST", "/api/v1/actors", []byte("{\"name\":\"\xff\xfe\",\"kind\":\"person\"}"), nil, 400, ""},
		{"control character", "POST", "/api/v1/actors", `{"name":"A\u0000B","kind":"person"}`, nil, 422, "name"},
		{"bad enum", "POST", "/api/v1/actors", `{"name":"A","kind":"wizard"}`, nil, 422, "kind"},
		{"bad country", "POST", "/api/v1/actors", `{"name":"A","kind":"state","country":"ua"}`, nil, 422, "country"},
		{"bad slug", "POST", "/api/v1/actors", `{"name":"A","kind":"person","slug":"Not A Slug"}`, nil, 422, "slug"},
		{"latitude out of range", "POST", "/api/v1/locations", `{"name":"Nowhere","latitude":91,"longitude":0}`, nil, 422, "latitude"},
		{"bad date", "POST", "/api/v1/events", `{"title":"T","type":"meeting","status":"held","date":"2025-13-01"}`, nil, 422, "date"},
		{"interval ending before it starts", "POST", "/api/v1/events", `{"title":"T","type":"meeting","status":"held","date":"2026-01-24/2026-01-23"}`, nil, 422, "date"},
		{"bad event type", "POST", "/api/v1/events", `{"title":"T","type":"party","status":"held","date":"2026"}`, nil, 422, "type"},
		{"missing participant", "POST", "/api/v1/events", `{"title":"T","type":"meeting","status":"held","date":"2026","participants":[{"actor_id":"nobody-here","role":"host"}]}`, nil, 422, "participants[0].actor_id"},
		{"missing location", "POST", "/api/v1/events", `{"title":"T","type":"meeting","status":"held","date":"2026","location_id":"atlantis"}`, nil, 422, "location_id"},
		{"statement without speaker", "POST", "/api/v1/statements", `{"text":"hello","date":"2026"}`, nil, 422, ""},
		{"duplicate slug", "POST", "/api/v1/actors", `{"name":"Ukraine again","kind":"state","slug":"ukraine"}`, nil, 409, "slug"},
		{"oversized body", "POST", "/api/v1/actors", huge, nil, 413, ""},
		{"unsupported media type", "POST", "/api/v1/actors", `name=A`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, ""},
		{"huge limit", "GET", "/api/v1/events?limit=100000", nil, nil, 400, "limit"},
		{"negative limit", "GET", "/api/v1/events?limit=-1", nil, nil, 400, "limit"},
		{"garbage cursor", "GET", "/api/v1/events?cursor=bm90LWEtY3Vyc29y", nil, nil, 400, "cursor"},
		{"SQL in actor filter", "GET", "/api/v1/events" + q("actor", "x' OR '1'='1"), nil, nil, 400, "actor"},
		{"SQL in sort", "GET", "/api/v1/events" + q("sort", "date; DROP TABLE events"), nil, nil, 400, "sort"},
		{"SQL in tag", "GET", "/api/v1/events" + q("tag", "x');DELETE FROM events;--"), nil, nil, 400, "tag"},
		{"invalid UTF-8 in query", "GET", "/api/v1/events?actor=%ff%fe", nil, nil, 400, "actor"},
		{"unknown parameter", "GET", "/api/v1/events?actr=ukraine", nil, nil, 400, "actr"},
		{"unknown filter actor", "GET", "/api/v1/events?actor=nobody-here", nil, nil, 400, "actor"},
		{"from after to", "GET", "/api/v1/events?from=2026-02&to=2026-01", nil, nil, 400, "to"},
		{"bad include", "GET", "/api/v1/events/abu-dhabi-trilateral-talks?include=everything", nil, nil, 400, "include"},
		{"stale If-Match", "PUT", "/api/v1/actors/ukraine", `{"name":"Ukraine","kind":"state"}`, []string{"If-Match", `"99"`}, 412, ""},
		{"garbage If-Match", "DELETE", "/api/v1/actors/ukraine", nil, []string{"If-Match", "yesterday"}, 412, ""},
		{"PUT with another id", "PUT", "/api/v1/actors/ukraine", `{"id":"01a20000-0000-7000-8000-000000000000","name":"Ukraine","kind":"state"}`, nil, 422, "id"},
		// Injection in every filter and sort value: each is validated, none reaches SQL.
		{"SQL in role", "GET", "/api/v1/events" + q("role", inject), nil, nil, 400, "role"},
		{"SQL in country", "GET", "/api/v1/events" + q("country", inject), nil, nil, 400, "country"},
		{"SQL in location", "GET", "/api/v1/events" + q("location", inject), nil, nil, 400, "location"},
		{"SQL in type", "GET", "/api/v1/events" + q("type", inject), nil, nil, 400, "type"},
		{"SQL in status", "GET", "/api/v1/events" + q("status", inject), nil, nil, 400, "status"},
		{"SQL in from", "GET", "/api/v1/events" + q("from", inject), nil, nil, 400, "from"},
		{"SQL in to", "GET", "/api/v1/events" + q("to", inject), nil, nil, 400, "to"},
		{"SQL in source", "GET", "/api/v1/events" + q("source", inject), nil, nil, 400, "source"},
		{"SQL in parent", "GET", "/api/v1/events" + q("parent", inject), nil, nil, 400, "parent"},
		{"SQL in match", "GET", "/api/v1/events?actor=russia&match=" + url.QueryEscape(inject), nil, nil, 400, "match"},
		{"SQL in include", "GET", "/api/v1/events" + q("include", inject), nil, nil, 400, "include"},
		{"SQL in limit", "GET", "/api/v1/events" + q("limit", "1 OR 1=1"), nil, nil, 400, "limit"},
		{"a search of exclusions only", "GET", "/api/v1/events" + q("q", "-davos"), nil, nil, 400, "q"},
		{"SQL in speaker", "GET", "/api/v1/statements" + q("speaker", inject), nil, nil, 400, "speaker"},
		{"SQL in statement event", "GET", "/api/v1/statements" + q("event", inject), nil, nil, 400, "event"},
		{"SQL in quote", "GET", "/api/v1/statements" + q("quote", inject), nil, nil, 400, "quote"},
		{"SQL in statement sort", "GET", "/api/v1/statements" + q("sort", inject), nil, nil, 400, "sort"},
		{"SQL in actor kind", "GET", "/api/v1/actors" + q("kind", inject), nil, nil, 400, "kind"},
		{"SQL in actor sort", "GET", "/api/v1/actors" + q("sort", "name, (SELECT 1)"), nil, nil, 400, "sort"},
		{"SQL in location sort", "GET", "/api/v1/locations" + q("sort", inject), nil, nil, 400, "sort"},
		{"SQL in source sort", "GET", "/api/v1/sources" + q("sort", inject), nil, nil, 400, "sort"},
		{"SQL in export format", "GET", "/api/v1/export" + q("format", inject), nil, nil, 400, "format"},
		{"SQL in stats interval", "GET", "/api/v1/stats/events" + q("interval", inject), nil, nil, 400, "interval"},
		{"SQL in timeline grouping", "GET", "/api/v1/timeline" + q("group_by", inject), nil, nil, 400, "group_by"},
		{"SQL in a revision cursor", "GET", "/api/v1/actors/ukraine/revisions" + q("cursor", inject), nil, nil, 400, "cursor"},
		// Paths, numbers, nesting, lengths, control characters, media types.
		{"path traversal in a slug", "GET", "/api/v1/actors/..%2f..%2fetc%2fpasswd", nil, nil, 404, ""},
		{"NUL in a slug", "GET", "/api/v1/actors/ukraine%00", nil, nil, 404, ""},
		{"path traversal in revisions", "GET", "/api/v1/events/..%2factors/revisions", nil, nil, 404, ""},
		{"a limit past int64", "GET", "/api/v1/events?limit=99999999999999999999", nil, nil, 400, "limit"},
		{"a graph weight past int64", "GET", "/api/v1/graph?min_weight=99999999999999999999", nil, nil, 400, "min_weight"},
		{"a year past 9998", "GET", "/api/v1/events?from=99999", nil, nil, 400, "from"},
		{"a latitude past float64", "POST", "/api/v1/locations", `{"name":"Far","latitude":1e400,"longitude":0}`, nil, 422, ""},
		{"a version past int64 in If-Match", "DELETE", "/api/v1/actors/ukraine", nil, []string{"If-Match", `"99999999999999999999"`}, 412, ""},
		{"deep JSON nesting", "POST", "/api/v1/actors", `{"name":"A","kind":"person","external_ids":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}`, nil, 400, ""},
		{"a 100,000-character name", "POST", "/api/v1/actors", `{"name":"` + strings.Repeat("я", 100000) + `","kind":"person"}`, nil, 422, "name"},
		{"NUL in a tag filter", "GET", "/api/v1/events?tag=peace%00talks", nil, nil, 400, "tag"},
		{"escape characters in a title", "POST", "/api/v1/events", `{"title":"T\u001b[2J","type":"meeting","status":"held","date":"2026"}`, nil, 422, "title"},
		{"XML declared as JSON", "POST", "/api/v1/actors", `<actor><name>A</name></actor>`, nil, 400, ""},
		{"JSON declared as CSV", "POST", "/api/v1/events", `{"title":"T"}`, []string{"Content-Type", "text/csv"}, 415, ""},
		{"JSON declared as XML in a PATCH", "PATCH", "/api/v1/actors/ukraine", `{"title":"T"}`, []string{"Content-Type", "application/xml"}, 415, ""},
		{"a bundle declared as JSON", "POST", "/api/v1/import", `{"type":"actor","data":{}}`, []string{"Content-Type", "text/plain"}, 415, ""},
		{"a semicolon in the query string", "GET", "/api/v1/events?sort=title;DROP", nil, nil, 400, "query"},
		{"a weak ETag in If-Match", "DELETE", "/api/v1/actors/ukraine", nil, []string{"If-Match", `W/"1"`}, 412, ""},
		{"entity with a timeline export", "GET", "/api/v1/export?format=timelinejs&entity=participants", nil, nil, 400, "entity"},
		{"a key longer than any key", "GET", "/api/v1/events", nil, []string{"Authorization", "Bearer parley_" + strings.Repeat("A", 10000)}, 401, ""},
		{"PATCH with an array", "PATCH", "/api/v1/actors/ukraine", `[1,2]`, nil, 400, ""},
		{"PATCH to an invalid state", "PATCH", "/api/v1/actors/ukraine", `{"kind":null}`, nil, 422, "kind"},
		{"delete a referenced actor", "DELETE", "/api/v1/actors/ukraine", nil, nil, 409, ""},
		{"unknown id", "GET", "/api/v1/events/01a20000-0000-7000-8000-000000000000", nil, nil, 404, ""},
		{"unknown route", "GET", "/api/v1/meetings", nil, nil, 404, ""},
		{"wrong method", "POST", "/api/v1/events/abu-dhabi-trilateral-talks", `{}`, nil, 405, ""},
	}
	each(t, true, func(t *testing.T, c *client) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := c.fingerprint()
				p := c.do(tc.method, tc.path, tc.body, tc.hdr...).problem(t, tc.status)
				if tc.field != "" && !hasField(p, tc.field) {
					t.Errorf("problem does not name %q: %+v", tc.field, p.Errors)
				}
				if after := c.fingerprint(); !maps.Equal(before, after) {
					t.Errorf("database changed:\nbefore %v\nafter  %v", before, after)
				}
			})
		}
	})
	if len(cases) < 60 {
		t.Fatalf("only %d hostile-input cases", len(cases))
	}
}

// TestNotFoundEverywhere checks every item route answers 404 for an unknown id or slug.
func TestNotFoundEverywhere(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		for _, coll := range []string{"actors", "locations", "sources", "events", "statements"} {
			for _, ref := range []string{"no-such-thing", "01a20000-0000-7000-8000-000000000000"} {
				for _, m := range []string{http.MethodGet, http.MethodDelete} {
					c.do(m, "/api/v1/"+coll+"/"+ref, nil).problem(t, 404)
				}
				c.get("/api/v1/"+coll+"/"+ref+"/revisions").problem(t, 404)
			}
		}
		c.get("/api/v1/actors/no-such-actor/events").problem(t, 404)
		c.get("/api/v1/actors/no-such-actor/statements").problem(t, 404)
	})
}
