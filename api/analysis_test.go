package api_test

import (
	"encoding/json"
	"encoding/xml"
	"slices"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// TestSearchAPI asks the built-in dataset about words, phrases and exclusions, and a
// Cyrillic event added for the purpose.
func TestSearchAPI(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		c.do("POST", "/api/v1/events", `{"title":"Переговоры в Стамбуле","slug":"istanbul-1","type":"negotiation","status":"held","date":"2022-03-29",
			"summary":"Делегации России и Украины обсуждали гарантии безопасности."}`).want(t, 201, nil)
		cases := []struct {
			q    string
			want []string
		}{
			{"donbas", []string{"abu-dhabi-trilateral-talks", "abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"}},
			{`"formula agreed upon in Anchorage"`, []string{"putin-witkoff-kushner-moscow-meeting"}},
			{"territory -anchorage", []string{"abu-dhabi-trilateral-talks", "abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"}},
			{"territory -donbas", []string{"putin-trump-anchorage-summit", "putin-witkoff-kushner-moscow-meeting"}},
			{"гарантии", []string{"istanbul-1"}},
			{`"делегации россии"`, []string{"istanbul-1"}},
			{"стамбуле or davos", []string{"istanbul-1", "zelensky-trump-davos-meeting"}},
		}
		for _, tc := range cases {
			var l handlers.List[models.Event]
			c.get("/api/v1/events"+q("q", tc.q, "sort", "date")).want(t, 200, &l)
			if got := slugs(l); !slices.Equal(got, tc.want) {
				t.Errorf("q=%s: got %v, want %v", tc.q, got, tc.want)
			}
		}
		var st handlers.List[models.Statement]
		c.get("/api/v1/statements"+q("q", "territorial", "sort", "relevance")).want(t, 200, &st)
		if len(st.Items) != 1 || st.Items[0].Quote != true {
			t.Errorf("statements about territorial: %+v", st.Items)
		}
		c.get("/api/v1/events"+q("q", "-donbas")).problem(t, 400)
		c.get("/api/v1/events"+q("sort", "relevance")).problem(t, 400)
	})
}

// TestStatsAPI checks buckets, empty intervals, ISO weeks and groupings.
func TestStatsAPI(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var s store.Stats
		c.get("/api/v1/stats/events"+q("interval", "month", "group_by", "type", "from", "2025-07", "to", "2026-02")).want(t, 200, &s)
		if len(s.Buckets) != 8 || s.Buckets[0].Key != "2025-07" || s.Buckets[7].Key != "2026-02" || s.Total != 6 {
			t.Fatalf("buckets: %+v", s)
		}
		if b := s.Buckets[1]; b.Count != 1 || b.Groups["summit"] != 1 {
			t.Errorf("August 2025: %+v", b)
		}
		if b := s.Buckets[6]; b.Count != 5 || b.Groups["negotiation"] != 3 || b.Groups["meeting"] != 2 {
			t.Errorf("January 2026: %+v", b)
		}
		if s.Buckets[2].Count != 0 || s.Buckets[2].Groups != nil {
			t.Errorf("empty September: %+v", s.Buckets[2])
		}
		c.get("/api/v1/stats/events"+q("interval", "week", "from", "2026-01-19", "to", "2026-01-25")).want(t, 200, &s)
		// 2026-01-19 is a Monday: ISO week 4 holds every January event.
		if len(s.Buckets) != 1 || s.Buckets[0].Key != "2026-W04" || s.Buckets[0].Start != "2026-01-19" || s.Buckets[0].Count != 5 {
			t.Errorf("ISO week: %+v", s.Buckets)
		}
		c.get("/api/v1/stats/events"+q("interval", "year", "group_by", "actor", "actor", "russia")).want(t, 200, &s)
		if len(s.Buckets) != 1 || s.Buckets[0].Groups["russia"] != 3 || s.Buckets[0].Groups["ukraine"] != 3 || s.Labels["russia"] != "Russia" {
			t.Errorf("by actor: %+v", s)
		}
		c.get("/api/v1/stats/events"+q("interval", "day", "group_by", "country", "from", "2026-01-22", "to", "2026-01-24")).want(t, 200, &s)
		if len(s.Buckets) != 3 || s.Buckets[0].Groups["US"] != 2 || s.Buckets[1].Groups["RU"] != 2 {
			t.Errorf("by country: %+v", s.Buckets)
		}
		c.get("/api/v1/stats/events"+q("interval", "fortnight")).problem(t, 400)
		c.get("/api/v1/stats/events").problem(t, 400)
		c.get("/api/v1/stats/events"+q("interval", "day", "from", "1900", "to", "2026")).problem(t, 400)
	})
}

// TestNetworkGraphRelated checks co-participation from both ends and the series links.
func TestNetworkGraphRelated(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var n store.Network
		c.get("/api/v1/actors/donald-trump/network").want(t, 200, &n)
		var got []string
		for _, cp := range n.CoParticipants {
			got = append(got, cp.Actor.Slug)
			if cp.SharedEvents != 1 {
				t.Errorf("%s: %d shared", cp.Actor.Slug, cp.SharedEvents)
			}
		}
		if !slices.Equal(got, []string{"vladimir-putin", "volodymyr-zelensky"}) {
			t.Errorf("Trump's co-participants: %v", got)
		}
		if n.CoParticipants[0].FirstShared.Format("2006-01") != "2025-08" {
			t.Errorf("first shared with Putin: %v", n.CoParticipants[0].FirstShared)
		}
		c.get("/api/v1/actors/nobody/network").problem(t, 404)
		// A limit keeps the most shared (ties by slug) and total still counts them all.
		c.get("/api/v1/actors/donald-trump/network"+q("limit", "1")).want(t, 200, &n)
		if len(n.CoParticipants) != 1 || n.CoParticipants[0].Actor.Slug != "vladimir-putin" || n.Total != 2 {
			t.Errorf("Trump's network, limit 1: %d co-participants of %d", len(n.CoParticipants), n.Total)
		}
		for _, bad := range []string{"0", "1001", "x"} {
			c.get("/api/v1/actors/donald-trump/network"+q("limit", bad)).problem(t, 400)
		}

		var g formats.D3Graph
		c.get("/api/v1/graph"+q("min_weight", "3")).want(t, 200, &g)
		// Russia, Ukraine and the US share the three Abu Dhabi events.
		if len(g.Links) != 3 || len(g.Nodes) != 8 {
			t.Errorf("graph min_weight=3: %d links, %d nodes", len(g.Links), len(g.Nodes))
		}
		for _, l := range g.Links {
			if l.Value != 3 {
				t.Errorf("link %+v", l)
			}
		}
		var cy formats.CytoscapeGraph
		c.get("/api/v1/graph"+q("format", "cytoscape", "actor", "vladimir-putin")).want(t, 200, &cy)
		// Anchorage (Putin, Trump) and Moscow (Putin, Witkoff, Kushner).
		if len(cy.Elements.Nodes) != 4 || len(cy.Elements.Edges) != 4 {
			t.Errorf("cytoscape around Putin: %d nodes, %d edges", len(cy.Elements.Nodes), len(cy.Elements.Edges))
		}
		r := c.get("/api/v1/graph" + q("format", "gexf", "actor", "vladimir-putin"))
		var doc struct {
			Nodes []struct {
				ID    string `xml:"id,attr"`
				Label string `xml:"label,attr"`
			} `xml:"graph>nodes>node"`
			Edges []struct {
				Weight int `xml:"weight,attr"`
			} `xml:"graph>edges>edge"`
		}
		if err := xml.Unmarshal(r.Body, &doc); err != nil || r.Status != 200 || len(doc.Nodes) != 4 || len(doc.Edges) != 4 {
			t.Errorf("gexf: %d %v %d nodes %d edges", r.Status, err, len(doc.Nodes), len(doc.Edges))
		}
		c.get("/api/v1/graph"+q("format", "dot")).problem(t, 400)
		c.get("/api/v1/graph"+q("min_weight", "0")).problem(t, 400)
		// A limit keeps the heaviest edges; the nodes are then the kept edges' actors and
		// a header counts the edges before the cut.
		r = c.get("/api/v1/graph" + q("min_weight", "3", "limit", "1"))
		if err := json.Unmarshal(r.Body, &g); err != nil || r.Status != 200 || len(g.Links) != 1 || len(g.Nodes) != 2 ||
			r.Header.Get("Parley-Total-Edges") != "3" {
			t.Errorf("graph limit=1: %d %v, %d links, %d nodes, total %q", r.Status, err, len(g.Links), len(g.Nodes), r.Header.Get("Parley-Total-Edges"))
		}
		for _, bad := range []string{"0", "10001", "x"} {
			c.get("/api/v1/graph"+q("limit", bad)).problem(t, 400)
		}

		var rel store.Related
		c.get("/api/v1/events/abu-dhabi-trilateral-talks-day-2/related").want(t, 200, &rel)
		if rel.Parent == nil || rel.Parent.Slug != "abu-dhabi-trilateral-talks" || len(rel.Children) != 0 {
			t.Errorf("day 2 parent: %+v", rel.Parent)
		}
		if len(rel.Relations) != 1 || rel.Relations[0].Direction != "outgoing" || rel.Relations[0].Event.Slug != "abu-dhabi-trilateral-talks-day-1" {
			t.Errorf("day 2 relations: %+v", rel.Relations)
		}
		c.get("/api/v1/events/putin-trump-anchorage-summit/related").want(t, 200, &rel)
		if len(rel.Relations) != 1 || rel.Relations[0].Direction != "incoming" || rel.Relations[0].Type != models.RelationReferences {
			t.Errorf("Anchorage is referenced by the talks: %+v", rel.Relations)
		}
		c.get("/api/v1/events/no-such-event/related").problem(t, 404)
	})
}

// TestTimelineAPI checks the three timeline formats carry every event once, in date order.
func TestTimelineAPI(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var pl handlers.List[models.Event]
		c.get("/api/v1/timeline").want(t, 200, &pl)
		want := []string{"putin-trump-anchorage-summit", "zelensky-trump-davos-meeting", "putin-witkoff-kushner-moscow-meeting",
			"abu-dhabi-trilateral-talks", "abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"}
		if got := slugs(pl); !slices.Equal(got, want) {
			t.Errorf("parley timeline: %v", got)
		}
		var tl formats.TimelineJSDoc
		c.get("/api/v1/timeline"+q("format", "timelinejs", "group_by", "type", "title", "Abu Dhabi")).want(t, 200, &tl)
		var ids []string
		for _, s := range tl.Events {
			ids = append(ids, s.UniqueID)
		}
		if !slices.Equal(ids, want) || tl.Title == nil {
			t.Errorf("timelinejs: %v", ids)
		}
		var vis formats.VisDoc
		c.get("/api/v1/timeline"+q("format", "vis", "group_by", "location", "actor", "russia")).want(t, 200, &vis)
		if len(vis.Items) != 3 || len(vis.Groups) != 1 {
			t.Errorf("vis for Russia: %d items, %d groups", len(vis.Items), len(vis.Groups))
		}
		c.get("/api/v1/timeline"+q("format", "svg")).problem(t, 400)
		c.get("/api/v1/timeline"+q("group_by", "mood")).problem(t, 400)
		c.get("/api/v1/timeline"+q("sort", "-date")).problem(t, 400)
	})
}

// TestSameAnswersOnBothDatabases loads one generated dataset into SQLite and PostgreSQL
// and asks both the same research questions: the answers must be identical.
func TestSameAnswersOnBothDatabases(t *testing.T) {
	t.Parallel()
	var clients []*client
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		s := openStore(t, d)
		generate(t, s, 7, 400)
		clients = append(clients, newClient(t, s, false))
	}
	queries := []string{
		"/api/v1/events" + q("sort", "date", "limit", "500"),
		"/api/v1/events" + q("q", "territory or security", "sort", "date", "limit", "500"),
		"/api/v1/events" + q("q", `"peace talks" -ceasefire`, "sort", "-date", "limit", "500"),
		"/api/v1/events" + q("q", "переговоры", "limit", "500"),
		"/api/v1/events" + q("actor", "actor-1", "actor", "actor-2", "match", "all", "limit", "500"),
		"/api/v1/events" + q("country", "UA", "type", "summit", "from", "2019", "to", "2021-06", "limit", "500"),
		"/api/v1/statements" + q("q", "territory", "limit", "500"),
		"/api/v1/stats/events" + q("interval", "month", "group_by", "type"),
		"/api/v1/stats/events" + q("interval", "week", "group_by", "country", "from", "2020-01", "to", "2020-12"),
		"/api/v1/stats/events" + q("interval", "year", "group_by", "actor", "q", "talks"),
		"/api/v1/actors/actor-1/network",
		"/api/v1/graph" + q("min_weight", "2"),
		"/api/v1/timeline" + q("format", "vis", "group_by", "type", "from", "2021", "to", "2021"),
		"/api/v1/timeline" + q("format", "timelinejs", "actor", "actor-3"),
	}
	for _, path := range queries {
		var answers []any
		for _, c := range clients {
			var v any
			c.get(path).want(t, 200, &v)
			answers = append(answers, stripTimestamps(v))
		}
		a, _ := json.Marshal(answers[0])
		b, _ := json.Marshal(answers[1])
		if string(a) != string(b) {
			t.Errorf("%s differs:\nsqlite   %.400s\npostgres %.400s", path, a, b)
		}
		if len(a) < 50 {
			t.Errorf("%s: suspiciously empty answer %s", path, a)
		}
	}
}

// stripTimestamps drops created_at and updated_at, the one thing that differs between
// two loads of the same data.
func stripTimestamps(v any) any {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "created_at")
		delete(x, "updated_at")
		for k, e := range x {
			x[k] = stripTimestamps(e)
		}
	case []any:
		for i, e := range x {
			x[i] = stripTimestamps(e)
		}
	}
	return v
}
