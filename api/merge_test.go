package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// noFollow sends one request without following redirects and returns status and Location.
func noFollow(t *testing.T, c *client, method, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// mergeWorld creates two actors that are one (britain, a duplicate of united-kingdom),
// an event naming the duplicate, and two reports of one meeting.
func mergeWorld(t *testing.T, c *client) (britain, uk models.Actor) {
	t.Helper()
	c.do("POST", "/api/v1/actors", map[string]any{"name": "United Kingdom", "slug": "united-kingdom", "kind": "state", "country": "GB"}).want(t, 201, &uk)
	c.do("POST", "/api/v1/actors", map[string]any{"name": "Britain", "slug": "britain", "kind": "state", "country": "GB"}).want(t, 201, &britain)
	c.do("POST", "/api/v1/actors", map[string]any{"name": "France", "slug": "france", "kind": "state", "country": "FR"}).want(t, 201, nil)
	c.do("POST", "/api/v1/events", map[string]any{"title": "London talks on Ukraine", "slug": "london-talks", "type": "meeting", "status": "held", "date": "2026-01-23",
		"participants": []map[string]any{{"actor_id": "britain", "role": "host"}, {"actor_id": "france", "role": "participant"}}}).want(t, 201, nil)
	c.do("POST", "/api/v1/events", map[string]any{"title": "Talks in London on Ukraine", "slug": "london-talks-report", "type": "meeting", "status": "held", "date": "2026-01-23",
		"participants": []map[string]any{{"actor_id": "united-kingdom", "role": "host"}, {"actor_id": "france", "role": "participant"}}}).want(t, 201, nil)
	c.do("POST", "/api/v1/events", map[string]any{"title": "Unrelated call", "slug": "unrelated", "type": "call", "status": "held", "date": "2026-01-25",
		"participants": []map[string]any{{"actor_id": "france", "role": "participant"}}}).want(t, 201, nil)
	return britain, uk
}

// TestMergeActorRedirects merges an actor over HTTP: the survivor gets the references
// and the aliases, the old id and slug answer 308 (sub-paths and query kept), the
// changes feed shows the merge, a write naming the old slug lands on the survivor, and
// a bundle exported after it carries the redirect into a fresh database.
func TestMergeActorRedirects(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		britain, uk := mergeWorld(t, c)
		var got models.Actor
		c.do("POST", "/api/v1/actors/britain/merge", map[string]any{"into": "united-kingdom"}).want(t, 200, &got)
		if got.ID != uk.ID || !strings.Contains(strings.Join(got.Aliases, ","), "Britain") {
			t.Fatalf("survivor: %+v", got)
		}
		for path, want := range map[string]string{
			"/api/v1/actors/britain":                             "/api/v1/actors/united-kingdom",
			"/api/v1/actors/" + britain.ID.String():              "/api/v1/actors/" + uk.ID.String(),
			"/api/v1/actors/britain/events?limit=5":              "/api/v1/actors/united-kingdom/events?limit=5",
			"/api/v1/actors/" + britain.ID.String() + "/network": "/api/v1/actors/" + uk.ID.String() + "/network",
		} {
			methods := []string{"GET", "HEAD", "PUT", "PATCH", "DELETE"}
			if strings.Count(path, "/") > 4 {
				methods = methods[:2] // a sub-path is only read
			}
			for _, m := range methods {
				if st, loc := noFollow(t, c, m, path); st != http.StatusPermanentRedirect || loc != want {
					t.Fatalf("%s %s: %d %q, want 308 %q", m, path, st, loc, want)
				}
			}
		}
		var evs handlers.List[models.Event]
		c.get("/api/v1/actors/britain/events").want(t, 200, &evs) // followed
		if len(evs.Items) != 2 {
			t.Fatalf("the survivor's events: %d", len(evs.Items))
		}
		// The loser's history stays at its old id, ending with the merge.
		var revs handlers.List[models.Revision]
		c.get("/api/v1/actors/"+britain.ID.String()+"/revisions?limit=500").want(t, 200, &revs)
		if n := len(revs.Items); n == 0 || revs.Items[n-1].Action != models.ActionMerge && revs.Items[0].Action != models.ActionMerge {
			t.Fatalf("the loser's revisions: %+v", revs.Items)
		}
		var e models.Event
		c.do("POST", "/api/v1/events", map[string]any{"title": "Later", "type": "call", "status": "held", "date": "2026-02-01",
			"participants": []map[string]any{{"actor_id": "britain", "role": "participant"}}}).want(t, 201, &e)
		if e.Participants[0].Actor.ID != uk.ID {
			t.Fatalf("old slug in a write landed on %s", e.Participants[0].Actor.ID)
		}
		c.do("POST", "/api/v1/actors", map[string]any{"name": "Britain", "slug": "britain", "kind": "state"}).problem(t, 409)

		// On PostgreSQL a change shows once older transactions (other tests', the
		// cluster's) have ended.
		merged := false
		for deadline := time.Now().Add(2 * time.Minute); !merged && time.Now().Before(deadline); {
			var feed store.ChangePage
			c.get("/api/v1/changes?limit=500").want(t, 200, &feed)
			for _, ch := range feed.Items {
				if ch.EntityID == britain.ID && ch.Action == models.ActionMerge && strings.Contains(string(ch.Data), uk.ID.String()) {
					merged = true
				}
			}
			if !merged {
				time.Sleep(50 * time.Millisecond)
			}
		}
		if !merged {
			t.Fatal("the changes feed does not show the merge")
		}

		bundle := c.get("/api/v1/export/bundle").want(t, 200, nil).Body
		if !bytes.Contains(bundle, []byte(`"type":"redirect"`)) {
			t.Fatalf("the bundle has no redirect")
		}
		fresh := serveClient(t, storetest.Open(t, c.st.Dialect()), nil)
		if rep := importBundle(t, fresh, bundle, ""); rep.Counts["redirect"].Created != 1 {
			t.Fatalf("import: %+v", rep.Counts)
		}
		if st, loc := noFollow(t, fresh, "GET", "/api/v1/actors/britain"); st != 308 || loc != "/api/v1/actors/united-kingdom" {
			t.Fatalf("after the round trip: %d %q", st, loc)
		}
		if again := fresh.get("/api/v1/export/bundle").want(t, 200, nil).Body; !bytes.Equal(again, bundle) {
			t.Fatalf("the bundle changed in the round trip:\n%s\n---\n%s", bundle, again)
		}
		if rep := importBundle(t, fresh, bundle, ""); rep.Counts["redirect"].Unchanged != 1 || rep.Counts["actor"].Created != 0 {
			t.Fatalf("second import: %+v", rep.Counts)
		}
	})
}

// TestMergeReimportAddsNothing exports a bundle, merges, and imports the old bundle
// again: the duplicate does not come back, and nothing is created.
func TestMergeReimportAddsNothing(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		mergeWorld(t, c)
		before := c.get("/api/v1/export/bundle").want(t, 200, nil).Body
		c.do("POST", "/api/v1/actors/britain/merge", map[string]any{"into": "united-kingdom"}).want(t, 200, nil)
		rep := importBundle(t, c, before, "")
		for kind, n := range rep.Counts {
			if n.Created != 0 {
				t.Fatalf("re-import created %d %s: %+v", n.Created, kind, rep)
			}
		}
		if st, _ := noFollow(t, c, "GET", "/api/v1/actors/britain"); st != 308 {
			t.Fatalf("the duplicate came back: %d", st)
		}
	})
}

// TestMergeReimportBySlug imports records that name actors by slug only, as the GDELT
// importer writes them, merges, and imports the same lines again: nothing is created,
// and the event stays with the survivor.
func TestMergeReimportBySlug(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		lines := []byte(`{"type":"actor","data":{"slug":"gbr-britain","name":"Britain","kind":"state","country":"GB"}}
{"type":"actor","data":{"slug":"gbr-united-kingdom","name":"United Kingdom","kind":"state","country":"GB"}}
{"type":"event","data":{"slug":"gdelt-1","title":"Britain hosts talks","type":"meeting","status":"held","date":"2026-01-23","participants":[{"actor_id":"gbr-britain","role":"host"},{"actor_id":"gbr-united-kingdom","role":"participant"}]}}
`)
		if rep := importBundle(t, c, lines, ""); rep.Counts["event"].Created != 1 {
			t.Fatalf("first import: %+v", rep.Counts)
		}
		var uk models.Actor
		c.do("POST", "/api/v1/actors/gbr-britain/merge", map[string]any{"into": "gbr-united-kingdom"}).want(t, 200, &uk)
		rep := importBundle(t, c, lines, "")
		for kind, n := range rep.Counts {
			if n.Created != 0 || len(rep.Problems) > 0 {
				t.Fatalf("re-import created %d %s: %+v", n.Created, kind, rep)
			}
		}
		var e models.Event
		c.get("/api/v1/events/gdelt-1").want(t, 200, &e)
		if len(e.Participants) != 2 || e.Participants[0].Actor.ID != uk.ID || e.Participants[1].Actor.ID != uk.ID {
			t.Fatalf("participants: %+v", e.Participants)
		}
	})
}

// TestMergeRefusals: a non-admin key, a merge into itself and an unknown survivor are
// refused, and write nothing.
func TestMergeRefusals(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		mergeWorld(t, c)
		_, writer, err := c.st.CreateKey(context.Background(), "writer", models.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		fp := c.fingerprint()
		c.do("POST", "/api/v1/actors/britain/merge", map[string]any{"into": "united-kingdom"}, "Authorization", "Bearer "+writer).problem(t, 403)
		p := c.do("POST", "/api/v1/actors/britain/merge", map[string]any{"into": "britain"}).problem(t, 422)
		if !hasField(p, "into") {
			t.Fatalf("no field: %+v", p)
		}
		c.do("POST", "/api/v1/actors/britain/merge", map[string]any{"into": "no-such-actor"}).problem(t, 422)
		c.do("POST", "/api/v1/actors/no-such-actor/merge", map[string]any{"into": "britain"}).problem(t, 404)
		c.do("POST", "/api/v1/events/london-talks/merge", map[string]any{"into": "unrelated", "extra": 1}).problem(t, 400)
		c.do("POST", "/api/v1/events/london-talks/merge", map[string]any{"into": "unrelated"}, "If-Match", `"7"`).problem(t, 412)
		after := c.fingerprint()
		for k, v := range fp {
			if after[k] != v {
				t.Fatalf("a refused merge wrote %s: %d -> %d", k, v, after[k])
			}
		}
	})
}

// TestMergeConcurrent runs the same merge, and the reverse one, at once against one
// server: exactly one succeeds, the others get 404 or 422, never a 500.
func TestMergeConcurrent(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		mergeWorld(t, c)
		var wg sync.WaitGroup
		codes := make([]int, 8)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				from, into := "london-talks", "london-talks-report"
				if i%2 == 1 {
					from, into = into, from
				}
				req, _ := http.NewRequest("POST", c.srv.URL+"/api/v1/events/"+from+"/merge", strings.NewReader(`{"into":"`+into+`"}`))
				req.Header.Set("Authorization", "Bearer "+c.key)
				req.Header.Set("Content-Type", "application/json")
				res, err := c.srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				codes[i] = res.StatusCode
			}()
		}
		wg.Wait()
		ok := 0
		for _, code := range codes {
			switch code {
			case 200:
				ok++
			case 404, 409, 422, 503:
			default:
				t.Fatalf("status %d in %v", code, codes)
			}
		}
		if ok != 1 {
			t.Fatalf("%d merges succeeded: %v", ok, codes)
		}
		a, _ := noFollow(t, c, "GET", "/api/v1/events/london-talks")
		b, _ := noFollow(t, c, "GET", "/api/v1/events/london-talks-report")
		if a+b != 200+308 {
			t.Fatalf("after the merges: %d and %d, want one 200 and one 308", a, b)
		}
	})
}

// TestEventDuplicates ranks the other report of the same meeting first, with reasons.
func TestEventDuplicates(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		mergeWorld(t, c)
		var d handlers.Duplicates
		c.get("/api/v1/events/london-talks/duplicates?limit=5").want(t, 200, &d)
		if len(d.Items) == 0 || d.Items[0].Event.Slug != "london-talks-report" {
			t.Fatalf("duplicates: %+v", d.Items)
		}
		r := strings.Join(d.Items[0].Reasons, ",")
		if !strings.Contains(r, "dates overlap") || !strings.Contains(r, "1 shared participant") || !strings.Contains(r, "similar title") {
			t.Fatalf("reasons: %v", d.Items[0].Reasons)
		}
		if len(d.Items) > 1 && d.Items[1].Score >= d.Items[0].Score {
			t.Fatalf("ranking: %+v", d.Items)
		}
		c.get("/api/v1/events/london-talks/duplicates?limit=51").problem(t, 400)
	})
}
