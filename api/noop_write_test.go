package api_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
)

// TestWriteThatChangesNothing: a PATCH {}, a PUT of the entity as read and a PATCH that
// only reorders tags change nothing, of every kind: 200 with the entity, the same version and ETag, no revision, nothing
// written; a real change still moves the version on and records a revision.
func TestWriteThatChangesNothing(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		for _, tc := range []struct {
			coll, change string
		}{
			{"actors", `{"title":"Changed"}`},
			{"locations", `{"admin_area":"Changed"}`},
			{"sources", `{"title":"Changed"}`},
			{"events", `{"summary":"Changed"}`},
			{"statements", `{"attribution":"Changed"}`},
		} {
			var list handlers.List[map[string]any]
			c.get("/api/v1/"+tc.coll+"?limit=1").want(t, 200, &list)
			if len(list.Items) == 0 {
				t.Fatalf("no %s in the dataset", tc.coll)
			}
			path := "/api/v1/" + tc.coll + "/" + list.Items[0]["id"].(string)
			read := c.get(path).want(t, 200, nil)
			revisions := func() int {
				var revs handlers.List[models.Revision]
				c.get(path+"/revisions?limit=500").want(t, 200, &revs)
				return len(revs.Items)
			}
			revs, before := revisions(), c.fingerprint()
			writes := []struct{ method, body string }{{"PATCH", `{}`}, {"PUT", string(read.Body)}}
			if tags, _ := jsonOf(t, read.Body)["tags"].([]any); len(tags) > 1 {
				// Tags are a set: another order is the same.
				slices.Reverse(tags)
				b, _ := json.Marshal(map[string]any{"tags": tags})
				writes = append(writes, struct{ method, body string }{"PATCH", string(b)})
			}
			for _, w := range writes {
				r := c.do(w.method, path, w.body, "If-Match", read.Header.Get("ETag")).want(t, 200, nil)
				if r.Header.Get("ETag") != read.Header.Get("ETag") || !jsonEqual(jsonOf(t, r.Body), jsonOf(t, read.Body)) {
					t.Errorf("%s %s that changes nothing: ETag %s (was %s), body\n%s\nwas\n%s", w.method, tc.coll,
						r.Header.Get("ETag"), read.Header.Get("ETag"), r.Body, read.Body)
				}
			}
			if after := c.fingerprint(); !maps.Equal(before, after) || revisions() != revs {
				t.Errorf("%s: writes that change nothing wrote: %v -> %v, %d revisions -> %d", tc.coll, before, after, revs, revisions())
			}
			var changed map[string]any
			r := c.do("PATCH", path, tc.change, "If-Match", read.Header.Get("ETag")).want(t, 200, &changed)
			if r.Header.Get("ETag") == read.Header.Get("ETag") || changed["version"] != jsonOf(t, read.Body)["version"].(float64)+1 || revisions() != revs+1 {
				t.Errorf("%s: a real change: ETag %s, version %v, %d revisions (had %d)", tc.coll, r.Header.Get("ETag"), changed["version"], revisions(), revs)
			}
		}
	})
}

func jsonOf(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return m
}
