package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
)

// TestCRUD walks each collection through its whole life over HTTP: create, read by id
// and slug, list, replace, merge-patch, stale writes, revisions, delete.
func TestCRUD(t *testing.T) {
	t.Parallel()
	cases := []struct {
		coll      string
		create    string // body
		slug      string // expected derived slug ("" for statements)
		replace   string // PUT body
		patch     string // merge patch
		check     func(t *testing.T, doc map[string]any)
		listQuery string // a filter that finds the created entity
	}{
		{
			coll:    "actors",
			create:  `{"name":"Recep Tayyip Erdoğan","kind":"person","country":"TR","title":"President of Turkey","aliases":["Erdogan"]}`,
			slug:    "recep-tayyip-erdogan",
			replace: `{"name":"Recep Tayyip Erdoğan","kind":"person","country":"TR","title":"President of Türkiye","aliases":["Erdogan"]}`,
			patch:   `{"title":null,"external_ids":{"wikidata":"Q39723"}}`,
			check: func(t *testing.T, d map[string]any) {
				if _, ok := d["title"]; ok || d["country"] != "TR" || d["external_ids"].(map[string]any)["wikidata"] != "Q39723" {
					t.Errorf("after patch: %v", d)
				}
			},
			listQuery: "?country=TR",
		},
		{
			coll:    "locations",
			create:  `{"name":"Istanbul","country":"TR","latitude":41.0082,"longitude":28.9784}`,
			slug:    "istanbul",
			replace: `{"name":"Istanbul","country":"TR","admin_area":"Istanbul Province","latitude":41.0082,"longitude":28.9784}`,
			patch:   `{"latitude":41.01}`,
			check: func(t *testing.T, d map[string]any) {
				if d["latitude"] != 41.01 || d["admin_area"] != "Istanbul Province" {
					t.Errorf("after patch: %v", d)
				}
			},
			listQuery: "?country=TR",
		},
		{
			coll:    "sources",
			create:  `{"outlet":"Reuters","title":"Talks in Istanbul","published":"2025-05-16","url":"https://example.org/a","language":"en"}`,
			slug:    "reuters-talks-in-istanbul",
			replace: `{"outlet":"Reuters","title":"Talks in Istanbul end","published":"2025-05-16","language":"en"}`,
			patch:   `{"published":"2025-05~"}`,
			check: func(t *testing.T, d map[string]any) {
				if d["published"].(map[string]any)["edtf"] != "2025-05~" || d["title"] != "Talks in Istanbul end" {
					t.Errorf("after patch: %v", d)
				}
			},
			listQuery: "?outlet=Reuters",
		},
		{
			coll: "events",
			create: `{"title":"Russia–Ukraine talks in Istanbul","type":"negotiation","status":"held","date":"2025-05-16",
				"location_id":"davos","participants":[{"actor_id":"russia","role":"delegation"},{"actor_id":"ukraine","role":"delegation"}],
				"tags":["peace-talks"],"source_ids":["meduza-2026-01-23-first-trilateral-talks"]}`,
			slug: "russia-ukraine-talks-in-istanbul",
			replace: `{"title":"Russia–Ukraine talks in Istanbul","type":"negotiation","status":"held","date":"2025-05-16",
				"participants":[{"actor_id":"russia","role":"delegation"}],"tags":["istanbul","peace-talks"],
				"relations":[{"type":"precedes","event_id":"abu-dhabi-trilateral-talks"}]}`,
			patch: `{"status":"postponed","date":"2025-05~"}`,
			check: func(t *testing.T, d map[string]any) {
				ps := d["participants"].([]any)
				if d["status"] != "postponed" || d["date"].(map[string]any)["precision"] != "month" || len(ps) != 1 ||
					len(d["relations"].([]any)) != 1 || len(d["tags"].([]any)) != 2 {
					t.Errorf("after patch: %v", d)
				}
			},
			listQuery: "?location=davos&from=2025-05-16&to=2025-05-16",
		},
		{
			coll:    "statements",
			create:  `{"text":"We are ready to talk.","quote":true,"speaker_id":"volodymyr-zelensky","date":"2025-05-15","medium":"press conference","source_ids":["meduza-2026-01-23-first-trilateral-talks"]}`,
			replace: `{"text":"We are ready to talk.","quote":true,"speaker_id":"volodymyr-zelensky","date":"2025-05-15","medium":"press conference","tags":["istanbul"]}`,
			patch:   `{"quote":false}`,
			check: func(t *testing.T, d map[string]any) {
				if d["quote"] != false || d["medium"] != "press conference" {
					t.Errorf("after patch: %v", d)
				}
			},
			listQuery: "?speaker=volodymyr-zelensky&from=2025-05-15&to=2025-05-15&quote=true",
		},
	}
	each(t, true, func(t *testing.T, c *client) {
		for _, tc := range cases {
			t.Run(tc.coll, func(t *testing.T) {
				base := "/api/v1/" + tc.coll
				var created map[string]any
				r := c.do("POST", base, tc.create).want(t, http.StatusCreated, &created)
				id, _ := created["id"].(string)
				if _, err := models.ParseID(id); err != nil || created["version"] != 1.0 {
					t.Fatalf("created: %v", created)
				}
				if loc := r.Header.Get("Location"); loc != base+"/"+id {
					t.Errorf("Location %q", loc)
				}
				if r.Header.Get("ETag") != `"1"` {
					t.Errorf("ETag %q", r.Header.Get("ETag"))
				}
				if tc.slug != "" {
					if created["slug"] != tc.slug {
						t.Errorf("slug %v, want %s", created["slug"], tc.slug)
					}
					var bySlug map[string]any
					c.get(base+"/"+tc.slug).want(t, 200, &bySlug)
					if bySlug["id"] != id {
						t.Errorf("by slug: %v", bySlug)
					}
				}
				var got map[string]any
				c.get(base+"/"+id).want(t, 200, &got)
				if !jsonEqual(got, created) {
					t.Errorf("GET differs from POST response:\n%v\n%v", got, created)
				}
				var list handlers.List[map[string]any]
				c.get(base+tc.listQuery).want(t, 200, &list)
				if !slices.ContainsFunc(list.Items, func(m map[string]any) bool { return m["id"] == id }) {
					t.Errorf("list %s%s misses %s", base, tc.listQuery, id)
				}

				var replaced map[string]any
				r = c.do("PUT", base+"/"+id, tc.replace, "If-Match", `"1"`).want(t, 200, &replaced)
				if replaced["version"] != 2.0 || replaced["created_at"] != created["created_at"] || r.Header.Get("ETag") != `"2"` {
					t.Errorf("replaced: %v", replaced)
				}
				c.do("PUT", base+"/"+id, tc.replace, "If-Match", `"1"`).problem(t, 412)

				var patched map[string]any
				c.do("PATCH", base+"/"+id, tc.patch, "If-Match", `"2"`).want(t, 200, &patched)
				if patched["version"] != 3.0 {
					t.Errorf("patched: %v", patched)
				}
				tc.check(t, patched)

				c.do("DELETE", base+"/"+id, nil, "If-Match", `"2"`).problem(t, 412)
				r = c.do("DELETE", base+"/"+id, nil, "If-Match", `"3"`)
				if r.Status != http.StatusNoContent || len(r.Body) != 0 {
					t.Fatalf("delete: %d %s", r.Status, r.Body)
				}
				c.get(base+"/"+id).problem(t, 404)

				var revs handlers.List[models.Revision]
				c.get(base+"/"+id+"/revisions").want(t, 200, &revs)
				var actions []string
				for i, rv := range revs.Items {
					actions = append(actions, string(rv.Action))
					if rv.Version != i+1 || rv.EntityID.String() != id || rv.Author != "key:tests ("+c.key[:19]+")" {
						t.Errorf("revision %d: %+v", i, rv)
					}
				}
				if want := []string{"create", "update", "update", "delete"}; !slices.Equal(actions, want) {
					t.Errorf("revision actions %v, want %v", actions, want)
				}
				var last map[string]any
				if err := json.Unmarshal(revs.Items[2].Data, &last); err != nil || last["version"] != 3.0 {
					t.Errorf("revision 3 data: %s", revs.Items[2].Data)
				}
			})
		}
	})
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

var nextLink = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// TestPaginationFollowsLinks pages through events by the Link header in every sort order
// and checks the pages add up to the full listing: no duplicates, no gaps.
func TestPaginationFollowsLinks(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		for i := 0; i < 23; i++ {
			date := "2025-0" + strconv.Itoa(1+i%7) + "-1" + strconv.Itoa(i%3) // several share a date
			body := `{"title":"Event ` + strconv.Itoa(i) + `","type":"meeting","status":"held","date":"` + date + `"}`
			c.do("POST", "/api/v1/events", body).want(t, 201, nil)
		}
		for _, sort := range []string{"date", "-date", "updated", "-updated"} {
			t.Run(sort, func(t *testing.T) {
				var all handlers.List[models.Event]
				c.get("/api/v1/events"+q("sort", sort, "limit", "500")).want(t, 200, &all)
				if len(all.Items) != 23 || all.NextCursor != "" {
					t.Fatalf("full listing: %d items, cursor %q", len(all.Items), all.NextCursor)
				}
				var paged []string
				path := "/api/v1/events" + q("sort", sort, "limit", "4")
				pages := 0
				for path != "" {
					var page handlers.List[models.Event]
					r := c.get(path).want(t, 200, &page)
					pages++
					for _, e := range page.Items {
						paged = append(paged, e.ID.String())
					}
					path = ""
					if link := r.Header.Get("Link"); link != "" {
						m := nextLink.FindStringSubmatch(link)
						if m == nil || page.NextCursor == "" || !strings.Contains(m[1], "cursor=") {
							t.Fatalf("bad Link %q with cursor %q", link, page.NextCursor)
						}
						path = m[1]
					} else if page.NextCursor != "" {
						t.Fatal("next_cursor without Link header")
					}
				}
				want := make([]string, len(all.Items))
				for i, e := range all.Items {
					want[i] = e.ID.String()
				}
				if pages != 6 || !slices.Equal(paged, want) {
					t.Errorf("%d pages; paged %v\nwant %v", pages, paged, want)
				}
				for i := 1; i < len(all.Items); i++ {
					a, b := all.Items[i-1], all.Items[i]
					if (sort == "date" && a.Date.Start.After(b.Date.Start)) || (sort == "-date" && a.Date.Start.Before(b.Date.Start)) {
						t.Errorf("order broken at %d: %s then %s", i, a.Date, b.Date)
					}
				}
			})
		}
		// A cursor belongs to its sort order.
		var page handlers.List[models.Event]
		c.get("/api/v1/events"+q("sort", "date", "limit", "4")).want(t, 200, &page)
		p := c.get("/api/v1/events"+q("sort", "-date", "cursor", page.NextCursor)).problem(t, 400)
		if !hasField(p, "cursor") {
			t.Errorf("problem: %+v", p)
		}
	})
}

// TestHealthAndDocs checks the operational endpoints.
func TestHealthAndDocs(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		var st handlers.Status
		c.get("/healthz").want(t, 200, &st)
		c.get("/readyz").want(t, 200, &st)
		if st.Status != "ok" {
			t.Errorf("readyz: %+v", st)
		}
		r := c.get("/swagger/index.html")
		if r.Status != 200 || !strings.Contains(string(r.Body), "swagger") {
			t.Errorf("swagger UI: %d", r.Status)
		}
		var spec map[string]any
		c.get("/openapi.json").want(t, 200, &spec)
		if !strings.HasPrefix(spec["openapi"].(string), "3.") {
			t.Errorf("openapi version %v", spec["openapi"])
		}
		if m := c.get("/metrics"); m.Status != 200 || !strings.Contains(string(m.Body), "parley_http_requests_total") {
			t.Errorf("metrics: %d", m.Status)
		}
		if id := c.do("GET", "/healthz", nil, "X-Request-ID", "abc-123").Header.Get("X-Request-ID"); id != "abc-123" {
			t.Errorf("request id not propagated: %q", id)
		}
	})
}

// TestActorEventsListsEachEventOnce covers the single-actor range scan: an actor with two
// roles in one event still gets the event once, in date order, with roles and dates
// filtered on the participation rows.
func TestActorEventsListsEachEventOnce(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		c.do("POST", "/api/v1/events", `{"title":"Erdoğan hosts talks","slug":"istanbul-talks","type":"negotiation","status":"held","date":"2025-05-16",
			"participants":[{"actor_id":"ukraine","role":"host"},{"actor_id":"ukraine","role":"delegation"},{"actor_id":"russia","role":"delegation"}]}`).want(t, 201, nil)
		cases := []struct {
			path string
			want []string
		}{
			{"/api/v1/actors/ukraine/events" + q("sort", "date"),
				[]string{"istanbul-talks", "abu-dhabi-trilateral-talks", "abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"}},
			{"/api/v1/events" + q("actor", "ukraine", "role", "host"), []string{"istanbul-talks"}},
			{"/api/v1/events" + q("actor", "ukraine", "role", "delegation", "role", "host", "to", "2025-12"), []string{"istanbul-talks"}},
			// The series is dated to the day held (23 January); only its scheduled day 2 is on the 24th.
			{"/api/v1/events" + q("actor", "russia", "from", "2026-01-24"), []string{"abu-dhabi-trilateral-talks-day-2"}},
		}
		for _, tc := range cases {
			var l handlers.List[models.Event]
			c.get(tc.path).want(t, 200, &l)
			if got := slugs(l); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.path, got, tc.want)
			}
		}
		// Paging one actor's events one at a time visits each once.
		var seen []string
		path := "/api/v1/actors/ukraine/events" + q("limit", "1")
		for path != "" {
			var l handlers.List[models.Event]
			c.get(path).want(t, 200, &l)
			seen = append(seen, slugs(l)...)
			path = ""
			if l.NextCursor != "" {
				path = "/api/v1/actors/ukraine/events" + q("limit", "1", "cursor", l.NextCursor)
			}
		}
		if want := []string{"abu-dhabi-trilateral-talks-day-2", "abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks", "istanbul-talks"}; !slices.Equal(seen, want) {
			t.Errorf("paged: %v, want %v", seen, want)
		}
	})
}
