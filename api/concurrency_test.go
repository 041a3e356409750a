package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// TestChangesNeedIfMatch checks that a change without If-Match is refused with 428 and
// changes nothing, that * overwrites knowingly, and that If-None-Match saves a download.
func TestChangesNeedIfMatch(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		before := c.fingerprint()
		for _, tc := range []struct{ method, body string }{
			{"PUT", `{"name":"Ukraine","kind":"state","country":"UA"}`},
			{"PATCH", `{"name":"Ukraina"}`},
			{"DELETE", ""},
		} {
			p := c.do(tc.method, "/api/v1/actors/ukraine", tc.body, "If-Match", "").problem(t, http.StatusPreconditionRequired)
			if p.Type != "urn:parley:problem:precondition_required" {
				t.Errorf("%s without If-Match: %+v", tc.method, p)
			}
			c.do(tc.method, "/api/v1/actors/ukraine", tc.body, "If-Match", "three").problem(t, http.StatusPreconditionFailed)
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Fatalf("refused changes changed the database: %v -> %v", before, after)
		}

		r := c.get("/api/v1/actors/ukraine")
		etag := r.Header.Get("ETag")
		if etag != `"1"` {
			t.Fatalf("ETag %q", etag)
		}
		for _, inm := range []string{etag, `W/"1"`, `"7", "1"`, "*"} {
			if r := c.do("GET", "/api/v1/actors/ukraine", nil, "If-None-Match", inm); r.Status != http.StatusNotModified || len(r.Body) != 0 || r.Header.Get("ETag") != etag {
				t.Errorf("If-None-Match %s: %d %q", inm, r.Status, r.Body)
			}
		}
		c.do("PATCH", "/api/v1/actors/ukraine", `{"title":"Country"}`, "If-Match", etag).want(t, 200, nil)
		if r := c.do("GET", "/api/v1/actors/ukraine", nil, "If-None-Match", etag); r.Status != http.StatusOK || r.Header.Get("ETag") != `"2"` {
			t.Errorf("If-None-Match with a stale ETag: %d %s", r.Status, r.Header.Get("ETag"))
		}
		c.do("PATCH", "/api/v1/actors/ukraine", `{"title":"State"}`, "If-Match", "*").want(t, 200, nil)
	})
}

// TestConcurrentPatches sends 50 PATCHes carrying the same If-Match at once: exactly one
// wins, the others get 412, and the history shows exactly one change.
func TestConcurrentPatches(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		r := c.get("/api/v1/actors/ukraine")
		etag := r.Header.Get("ETag")
		const n = 50
		statuses := make([]int, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, err := http.NewRequest("PATCH", c.srv.URL+"/api/v1/actors/ukraine",
					strings.NewReader(`{"title":"writer `+string(rune('A'+i%26))+`"}`))
				if err != nil {
					t.Error(err)
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+c.key)
				req.Header.Set("If-Match", etag)
				res, err := c.srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				statuses[i] = res.StatusCode
			}()
		}
		close(start)
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[http.StatusOK] != 1 || count[http.StatusPreconditionFailed] != n-1 {
			t.Fatalf("statuses %v, want one 200 and %d 412", count, n-1)
		}
		var revs handlers.List[models.Revision]
		c.get("/api/v1/actors/ukraine/revisions").want(t, 200, &revs)
		updates := 0
		for _, rv := range revs.Items {
			if rv.Action == models.ActionUpdate {
				updates++
			}
		}
		if updates != 1 || revs.Items[len(revs.Items)-1].Version != 2 {
			t.Fatalf("history has %d updates (last version %d), want 1 and version 2", updates, revs.Items[len(revs.Items)-1].Version)
		}
	})
}

// TestStateAt reads an entity as it was at the instants of its history: each version
// from its revision on, nothing before it existed or once it was deleted.
func TestStateAt(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var a models.Actor
		c.do("POST", "/api/v1/actors", `{"name":"Alexander Stubb","kind":"person","country":"FI"}`).want(t, 201, &a)
		c.do("PATCH", "/api/v1/actors/"+a.ID.String(), `{"title":"President of Finland"}`).want(t, 200, nil)
		var revs handlers.List[models.Revision]
		c.get("/api/v1/actors/alexander-stubb/revisions").want(t, 200, &revs)
		c.do("DELETE", "/api/v1/actors/alexander-stubb", nil).want(t, 204, nil)
		at := func(tm time.Time) string {
			return "/api/v1/actors/" + a.ID.String() + "?at=" + url.QueryEscape(tm.Format(time.RFC3339Nano))
		}
		for i, rv := range revs.Items {
			var got models.Actor
			r := c.get(at(rv.CreatedAt)).want(t, 200, &got)
			if got.Version != i+1 || r.Header.Get("X-Parley-Version") != strconv.Itoa(i+1) || (i == 1) != (got.Title == "President of Finland") {
				t.Errorf("at revision %d: %+v (X-Parley-Version %s)", i+1, got, r.Header.Get("X-Parley-Version"))
			}
		}
		c.get(at(revs.Items[0].CreatedAt.Add(-time.Microsecond))).problem(t, 404)
		c.get(at(time.Now().Add(time.Hour))).problem(t, 404) // deleted by then
		c.get("/api/v1/actors/ukraine?at=yesterday").problem(t, 400)
		c.get("/api/v1/events/abu-dhabi-trilateral-talks?include=location&at=2026-01-01T00:00:00Z").problem(t, 400)
		var e models.Event
		c.get("/api/v1/events/abu-dhabi-trilateral-talks?at="+url.QueryEscape(time.Now().Format(time.RFC3339Nano))).want(t, 200, &e)
		if e.Slug != "abu-dhabi-trilateral-talks" {
			t.Errorf("event now: %+v", e)
		}
	})
}

// TestChangesFeed follows the feed as a mirror would: every create, update and delete in
// order, deletions with the last state, and resuming from next gives only what is new.
func TestChangesFeed(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		var first store.ChangePage
		c.get("/api/v1/changes").want(t, 200, &first)
		if len(first.Items) != 0 || first.Next == "" {
			t.Fatalf("empty feed: %+v", first)
		}
		var a models.Actor
		c.do("POST", "/api/v1/actors", `{"name":"Sauli Niinistö","kind":"person","country":"FI"}`).want(t, 201, &a)
		c.do("PATCH", "/api/v1/actors/"+a.ID.String(), `{"title":"Former president"}`).want(t, 200, nil)
		c.do("DELETE", "/api/v1/actors/"+a.ID.String(), nil).want(t, 204, nil)

		// On PostgreSQL a change shows once every older transaction on the server has
		// ended, and other tests' transactions run there too: poll, as a mirror does.
		for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
			var p store.ChangePage
			c.get("/api/v1/changes?since="+first.Next).want(t, 200, &p)
			if len(p.Items) >= 3 || time.Now().After(deadline) {
				break
			}
		}
		var page store.ChangePage
		c.get("/api/v1/changes?since="+first.Next+"&limit=2").want(t, 200, &page)
		var more store.ChangePage
		c.get("/api/v1/changes?since="+page.Next).want(t, 200, &more)
		all := append(page.Items, more.Items...)
		var got []string
		for _, ch := range all {
			if ch.EntityID != a.ID {
				t.Fatalf("change of another entity: %+v", ch)
			}
			got = append(got, string(ch.Action)+strconv.Itoa(ch.Version))
		}
		if strings.Join(got, ",") != "create1,update2,delete3" || len(page.Items) != 2 {
			t.Fatalf("changes %v (first page %d)", got, len(page.Items))
		}
		var last map[string]any
		if err := json.Unmarshal(all[2].Data, &last); err != nil || last["title"] != "Former president" {
			t.Errorf("the deletion's state: %s", all[2].Data)
		}
		var after store.ChangePage
		c.get("/api/v1/changes?since="+more.Next).want(t, 200, &after)
		if len(after.Items) != 0 || after.Next != more.Next {
			t.Errorf("nothing new, yet %+v", after)
		}
		var again store.ChangePage
		c.get("/api/v1/changes?since="+all[0].Cursor).want(t, 200, &again)
		if len(again.Items) != 2 || again.Items[0].Version != 2 {
			t.Errorf("resuming from the first change's cursor: %+v", again.Items)
		}
		c.get("/api/v1/changes?since=bm90LWEtY3Vyc29y").problem(t, 400)
		c.get("/api/v1/changes?limit=501").problem(t, 400)
	})
}
