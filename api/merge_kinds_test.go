package api_test

import (
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/parley-api/parley/models"
)

// TestMergeOtherKinds merges the other named kinds over HTTP: a location (the events
// held there move), an outlet (its sources move, its names become aliases) and a source
// (the events citing it, their evidence, and the sources known through it move); each
// old slug answers 308, and a source merge that would make a source known through itself
// is refused and writes nothing.
func TestMergeOtherKinds(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		c.do("POST", "/api/v1/locations", map[string]any{"name": "Abu Dhabi", "slug": "abu-dhabi", "country": "AE"}).want(t, 201, nil)
		c.do("POST", "/api/v1/locations", map[string]any{"name": "Abu Dhabi, UAE", "slug": "abu-dhabi-uae", "country": "AE"}).want(t, 201, nil)
		c.do("POST", "/api/v1/outlets", map[string]any{"name": "Meduza", "slug": "meduza"}).want(t, 201, nil)
		c.do("POST", "/api/v1/outlets", map[string]any{"name": "Meduza (English)", "slug": "meduza-en", "aliases": []string{"meduza.io/en"}}).want(t, 201, nil)
		c.do("POST", "/api/v1/sources", map[string]any{"slug": "article", "outlet_id": "meduza", "title": "Talks", "published": "2026-01-23"}).want(t, 201, nil)
		c.do("POST", "/api/v1/sources", map[string]any{"slug": "article-copy", "outlet_id": "meduza-en", "title": "Talks", "published": "2026-01-23"}).want(t, 201, nil)
		c.do("POST", "/api/v1/sources", map[string]any{"slug": "nbc", "outlet": "NBC News", "title": "Official", "published": "2026-01-23", "via_id": "article-copy"}).want(t, 201, nil)
		c.do("POST", "/api/v1/events", map[string]any{"title": "Talks", "slug": "talks", "type": "negotiation", "status": "held", "date": "2026-01-23",
			"location_id": "abu-dhabi-uae", "source_ids": []string{"article", "article-copy"},
			"evidence": []map[string]any{{"source_id": "article-copy", "supports": []string{"status", "location"}, "quote": "held talks in Abu Dhabi"}}}).want(t, 201, nil)

		var loc models.Location
		c.do("POST", "/api/v1/locations/abu-dhabi-uae/merge", map[string]any{"into": "abu-dhabi"}).want(t, 200, &loc)
		var art, nbc models.Source
		c.get("/api/v1/sources/article").want(t, 200, &art)

		// With article known via nbc, and nbc via article-copy, merging article-copy into
		// article would make article known through itself (article → nbc → article).
		c.do("PATCH", "/api/v1/sources/article", `{"via_id":"nbc"}`, "Content-Type", "application/merge-patch+json").want(t, 200, &art)
		before := c.fingerprint()
		c.do("POST", "/api/v1/sources/article-copy/merge", map[string]any{"into": "article"}).problem(t, 409)
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("a refused merge wrote: %v → %v", before, after)
		}
		c.do("PATCH", "/api/v1/sources/article", `{"via_id":null}`, "Content-Type", "application/merge-patch+json").want(t, 200, nil)

		c.do("POST", "/api/v1/sources/article-copy/merge", map[string]any{"into": "article"}).want(t, 200, &art)
		var out models.Outlet
		c.do("POST", "/api/v1/outlets/meduza-en/merge", map[string]any{"into": "meduza"}).want(t, 200, &out)
		if !slices.Contains(out.Aliases, "Meduza (English)") || !slices.Contains(out.Aliases, "meduza.io/en") {
			t.Errorf("outlet aliases after the merge: %v", out.Aliases)
		}

		var e models.Event
		c.get("/api/v1/events/talks").want(t, 200, &e)
		if e.Location == nil || e.Location.ID != loc.ID {
			t.Errorf("the event's location after the merge: %+v, want %s", e.Location, loc.ID)
		}
		if len(e.Sources) != 1 || e.Sources[0].ID != art.ID || len(e.Evidence) != 1 || e.Evidence[0].Source.ID != art.ID {
			t.Errorf("the event's sources and evidence after the merge: %+v %+v", e.Sources, e.Evidence)
		}
		c.get("/api/v1/sources/nbc").want(t, 200, &nbc)
		if nbc.Via == nil || nbc.Via.ID != art.ID {
			t.Errorf("nbc is known via %+v, want the surviving article", nbc.Via)
		}
		c.get("/api/v1/sources/article").want(t, 200, &art)
		if art.OutletID == nil {
			t.Errorf("the article lost its outlet: %+v", art)
		}
		for path, want := range map[string]string{
			"/api/v1/locations/abu-dhabi-uae": "/api/v1/locations/abu-dhabi",
			"/api/v1/outlets/meduza-en":       "/api/v1/outlets/meduza",
			"/api/v1/sources/article-copy":    "/api/v1/sources/article",
		} {
			if code, loc := noFollow(t, c, http.MethodGet, path); code != http.StatusPermanentRedirect || loc != want {
				t.Errorf("GET %s: %d %q, want 308 to %s", path, code, loc, want)
			}
		}
	})
}
