package api_test

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// measuresEvent is an event with GDELT's numbers, between Russia and Ukraine.
func measuresEvent(slug string, goldstein float64, quad, mentions int, tone float64) map[string]any {
	return map[string]any{
		"slug": slug, "title": "GDELT " + slug, "type": "meeting", "status": "held", "date": "2026-01-23",
		"participants": []map[string]any{{"actor_id": "russia", "role": "participant"}, {"actor_id": "ukraine", "role": "participant"}},
		"source_ids":   []string{"gdelt-src-measures"},
		"gdelt": map[string]any{"goldstein": goldstein, "quad_class": quad, "avg_tone": tone,
			"num_mentions": mentions, "num_sources": 1, "num_articles": mentions},
	}
}

// measuredSlugs lists the slugs of events, sorted.
func measuredSlugs(es []models.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Slug)
	}
	slices.Sort(out)
	return out
}

// TestGDELTMeasures keeps GDELT's numbers per event and filters by them on GET /events
// and everything that takes its filters, on SQLite and PostgreSQL; bad values are
// refused with the parameter named, and a source says its date is GDELT's DATEADDED.
func TestGDELTMeasures(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		c.do(http.MethodPost, "/api/v1/sources", map[string]any{"slug": "gdelt-src-measures", "outlet": "example.org",
			"url": "https://example.org/a", "published": "2026-01-24", "date_basis": "gdelt_dateadded"}).want(t, 201, nil)
		for _, e := range []map[string]any{
			measuresEvent("gd-cooperate", 7, 1, 40, 2.5),
			measuresEvent("gd-aid", 3.4, 2, 5, 0),
			measuresEvent("gd-threat", -4.4, 3, 12, -6.25),
			measuresEvent("gd-fight", -10, 4, 1, -9),
		} {
			c.do(http.MethodPost, "/api/v1/events", e).want(t, 201, nil)
		}

		t.Run("the event and the source carry them", func(t *testing.T) {
			var e models.Event
			r := c.get("/api/v1/events/gd-threat?include=sources").want(t, 200, &e)
			m := e.Measures
			if m.Goldstein == nil || *m.Goldstein != -4.4 || *m.QuadClass != 3 || *m.AvgTone != -6.25 || *m.NumMentions != 12 ||
				*m.NumSources != 1 || *m.NumArticles != 12 || len(e.SourcesData) != 1 || e.SourcesData[0].DateBasis != "gdelt_dateadded" {
				t.Errorf("event %s", r.Body)
			}
			// An event without GDELT numbers has no gdelt member at all.
			r = c.get("/api/v1/events/abu-dhabi-trilateral-talks")
			if r.Status != 200 || bytes.Contains(r.Body, []byte(`"gdelt"`)) {
				t.Errorf("an event without measures: %d %s", r.Status, r.Body)
			}
		})

		t.Run("filters", func(t *testing.T) {
			for query, want := range map[string][]string{
				"min_goldstein=3.4":                {"gd-aid", "gd-cooperate"},
				"max_goldstein=-4.4":               {"gd-fight", "gd-threat"},
				"min_goldstein=-5&max_goldstein=5": {"gd-aid", "gd-threat"},
				"quad_class=4":                     {"gd-fight"},
				"quad_class=1&quad_class=2":        {"gd-aid", "gd-cooperate"},
				"quad_class=3,4":                   {"gd-fight", "gd-threat"},
				"min_mentions=12":                  {"gd-cooperate", "gd-threat"},
				"min_articles=40":                  {"gd-cooperate"},
				"min_sources=1&min_tone=0":         {"gd-aid", "gd-cooperate"},
				"max_tone=-6.25":                   {"gd-fight", "gd-threat"},
				"min_mentions=0&actor=russia":      {"gd-aid", "gd-cooperate", "gd-fight", "gd-threat"},
				"quad_class=1&actor=steve-witkoff": nil,
				"min_goldstein=-10&type=meeting":   {"gd-aid", "gd-cooperate", "gd-fight", "gd-threat"},
			} {
				var l handlers.List[models.Event]
				c.get("/api/v1/events?limit=500&"+query).want(t, 200, &l)
				if got := measuredSlugs(l.Items); !slices.Equal(got, want) {
					t.Errorf("%s: %v, want %v", query, got, want)
				}
			}
			// The other endpoints that take the /events filters.
			var l handlers.List[models.Event]
			c.get("/api/v1/actors/ukraine/events?min_mentions=12").want(t, 200, &l)
			if got := measuredSlugs(l.Items); !slices.Equal(got, []string{"gd-cooperate", "gd-threat"}) {
				t.Errorf("actor events: %v", got)
			}
			var st store.Stats
			c.get("/api/v1/stats/events?interval=year&quad_class=3&quad_class=4").want(t, 200, &st)
			if st.Total != 2 {
				t.Errorf("stats quad_class=3,4: total %d, want 2", st.Total)
			}
			exp := c.get("/api/v1/export?format=ndjson&min_goldstein=7")
			if exp.Status != 200 || strings.Count(string(exp.Body), "\n") != 1 || !bytes.Contains(exp.Body, []byte(`"gd-cooperate"`)) ||
				!bytes.Contains(exp.Body, []byte(`"gdelt":{"goldstein":7,"quad_class":1,"avg_tone":2.5,"num_mentions":40,"num_sources":1,"num_articles":40}`)) {
				t.Errorf("export ndjson min_goldstein=7: %d %s", exp.Status, exp.Body)
			}
			if cd := exp.Header.Get("Content-Disposition"); !strings.Contains(cd, "min_goldstein-7") {
				t.Errorf("file name %q does not say the filter", cd)
			}
			csv := c.get("/api/v1/export?format=csv&quad_class=4")
			lines := strings.Split(strings.TrimSpace(string(csv.Body)), "\n")
			if csv.Status != 200 || len(lines) != 2 || !strings.HasSuffix(strings.TrimSpace(lines[1]), ",-10,4,-9,1,1,1") {
				t.Errorf("export csv quad_class=4: %d %q", csv.Status, lines)
			}
			tl := c.get("/api/v1/timeline?format=timelinejs&max_goldstein=-10")
			if tl.Status != 200 || !bytes.Contains(tl.Body, []byte("GDELT gd-fight")) || bytes.Contains(tl.Body, []byte("GDELT gd-threat")) {
				t.Errorf("timeline max_goldstein=-10: %d %.300s", tl.Status, tl.Body)
			}
		})

		t.Run("bad values are refused, naming the parameter", func(t *testing.T) {
			for query, field := range map[string]string{
				"min_goldstein=high":                           "min_goldstein",
				"min_goldstein=10.5":                           "min_goldstein",
				"max_goldstein=-11":                            "max_goldstein",
				"min_goldstein=NaN":                            "min_goldstein",
				"min_goldstein=3&max_goldstein=2":              "max_goldstein",
				"quad_class=0":                                 "quad_class",
				"quad_class=5":                                 "quad_class",
				"quad_class=verbal":                            "quad_class",
				"min_tone=-101":                                "min_tone",
				"max_tone=Inf":                                 "max_tone",
				"min_tone=5&max_tone=1":                        "max_tone",
				"min_mentions=-1":                              "min_mentions",
				"min_sources=1.5":                              "min_sources",
				"min_articles=many":                            "min_articles",
				"min_mentions=1&min_mentions=2":                "min_mentions",
				"quad_class=" + strings.Repeat("1,", 60) + "1": "quad_class",
			} {
				for _, path := range []string{"/api/v1/events?", "/api/v1/stats/events?interval=year&", "/api/v1/export?format=csv&",
					"/api/v1/actors/russia/events?"} {
					p := c.get(path+query).problem(t, 400)
					if !hasField(p, field) {
						t.Errorf("%s%s: errors %+v, want one on %s", path, query, p.Errors, field)
					}
				}
			}
		})

		t.Run("bad measures and date bases in a body are refused, writing nothing", func(t *testing.T) {
			before := c.fingerprint()
			for field, body := range map[string]map[string]any{
				"gdelt.quad_class":   measuresEvent("gd-bad-quad", 1, 7, 1, 0),
				"gdelt.goldstein":    measuresEvent("gd-bad-goldstein", 12, 1, 1, 0),
				"gdelt.avg_tone":     measuresEvent("gd-bad-tone", 1, 1, 1, -100.5),
				"gdelt.num_mentions": measuresEvent("gd-bad-mentions", 1, 1, -3, 0),
			} {
				p := c.do(http.MethodPost, "/api/v1/events", body).problem(t, 422)
				if !hasField(p, field) {
					t.Errorf("%s: errors %+v", field, p.Errors)
				}
			}
			p := c.do(http.MethodPost, "/api/v1/sources", map[string]any{"slug": "bad-basis", "outlet": "x",
				"published": "2026", "date_basis": "guessed"}).problem(t, 422)
			if !hasField(p, "date_basis") {
				t.Errorf("date_basis: errors %+v", p.Errors)
			}
			if after := c.fingerprint(); !maps.Equal(before, after) {
				t.Errorf("a refused body wrote: %v → %v", before, after)
			}
		})

		t.Run("patched as a merge patch, unknown members refused", func(t *testing.T) {
			var e models.Event
			c.do("PATCH", "/api/v1/events/gd-aid", `{"gdelt":{"quad_class":3,"avg_tone":null}}`, "Content-Type", "application/merge-patch+json").want(t, 200, &e)
			m := e.Measures
			if m.QuadClass == nil || *m.QuadClass != 3 || m.Goldstein == nil || *m.Goldstein != 3.4 || m.AvgTone != nil {
				t.Errorf("after the patch: %+v", m)
			}
			c.do("PATCH", "/api/v1/events/gd-aid", `{"gdelt":{"quad_class":2,"avg_tone":0}}`, "Content-Type", "application/merge-patch+json").want(t, 200, nil)
			before := c.fingerprint()
			body := measuresEvent("gd-unknown-member", 1, 1, 1, 0)
			body["gdelt"].(map[string]any)["weight"] = 2
			p := c.do(http.MethodPost, "/api/v1/events", body).problem(t, 400)
			if !strings.Contains(p.Detail+fmt.Sprint(p.Errors), "weight") {
				t.Errorf("unknown member: %+v", p)
			}
			if after := c.fingerprint(); !maps.Equal(before, after) {
				t.Errorf("a refused body wrote: %v → %v", before, after)
			}
		})

		t.Run("the bundle keeps them", func(t *testing.T) {
			b := c.get("/api/v1/export/bundle")
			if b.Status != 200 || !bytes.Contains(b.Body, []byte(`"date_basis":"gdelt_dateadded"`)) ||
				!bytes.Contains(b.Body, []byte(`"gdelt":{"goldstein":-4.4,"quad_class":3,"avg_tone":-6.25,"num_mentions":12,"num_sources":1,"num_articles":12}`)) {
				t.Fatalf("bundle: %d", b.Status)
			}
			other := newClient(t, openStore(t, store.SQLite), false)
			rep := importBundle(t, other, b.Body, "")
			if !rep.Committed || len(rep.Problems) != 0 {
				t.Fatalf("import: %+v", rep)
			}
			again := other.get("/api/v1/export/bundle")
			if !bytes.Equal(again.Body, b.Body) {
				t.Errorf("the bundle changed on a round trip")
			}
			var l handlers.List[models.Event]
			other.get("/api/v1/events?quad_class=4").want(t, 200, &l)
			if got := measuredSlugs(l.Items); !slices.Equal(got, []string{"gd-fight"}) {
				t.Errorf("after the round trip, quad_class=4: %v", got)
			}
		})
	})
}
