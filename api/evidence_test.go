package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// evidenceFixture writes the story of the article's sourcing through the API: Meduza
// relays an NBC News report and a TASS report; one event rests on NBC for its date and
// status, on Meduza for its place; a later one on TASS for its date.
func evidenceFixture(t *testing.T, c *client) {
	t.Helper()
	for _, o := range []string{
		`{"slug":"meduza","name":"Meduza","country":"LV","language":"ru","state_owned":false,"url":"https://meduza.io","aliases":["Медуза"]}`,
		`{"slug":"nbc-news","name":"NBC News","country":"US","language":"en","external_ids":{"wikidata":"Q13974"}}`,
		`{"slug":"tass","name":"TASS","country":"RU","language":"ru","state_owned":true}`,
	} {
		c.do("POST", "/api/v1/outlets", o).want(t, 201, nil)
	}
	for _, s := range []string{
		`{"slug":"meduza-live","outlet_id":"meduza","title":"Talks in Abu Dhabi","published":"2026-01-23"}`,
		`{"slug":"nbc-report","outlet_id":"nbc-news","via_id":"meduza-live","title":"Talks to continue","published":"2026-01-23"}`,
		`{"slug":"tass-report","outlet":"TASS wire","outlet_id":"tass","via_id":"meduza-live","title":"A source said","published":"2026-01-24"}`,
	} {
		c.do("POST", "/api/v1/sources", s).want(t, 201, nil)
	}
	c.do("POST", "/api/v1/events", `{"slug":"abu-dhabi-talks","title":"Talks in Abu Dhabi","type":"negotiation","status":"held","date":"2026-01-23",
		"source_ids":["meduza-live","nbc-report"],
		"evidence":[{"source_id":"nbc-report","supports":["status","date"],"quote":"=the talks began on Friday"},
			{"source_id":"meduza-live","supports":["location"]}]}`).want(t, 201, nil)
	c.do("POST", "/api/v1/events", `{"slug":"second-day","title":"Second day","type":"negotiation","status":"scheduled","date":"2026-01-24",
		"source_ids":["nbc-report","tass-report"],
		"evidence":[{"source_id":"tass-report","supports":["date"],"quote":"set to continue tomorrow"},
			{"source_id":"nbc-report","supports":["participants"]}]}`).want(t, 201, nil)
	c.do("POST", "/api/v1/statements", `{"text":"No one is slamming the door","quote":true,"attribution":"a TASS source","date":"2026-01-24",
		"event_id":"second-day","source_ids":["tass-report"],
		"evidence":[{"source_id":"tass-report","supports":["text","attribution"],"quote":"No one is slamming the door, a source said"}]}`).want(t, 201, nil)
}

// TestOutletsAndVia: outlets are entities; a source names its outlet (whose name fills
// outlet) and the source it came via; embedded sources carry the via source and the
// credit "NBC News, via Meduza"; a via that would close a cycle is refused; a source
// another comes via cannot be deleted.
func TestOutletsAndVia(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		evidenceFixture(t, c)
		var o models.Outlet
		c.get("/api/v1/outlets/tass").want(t, 200, &o)
		if o.Name != "TASS" || o.StateOwned == nil || !*o.StateOwned || o.Country != "RU" {
			t.Errorf("outlet %+v", o)
		}
		var nbc models.Outlet
		c.get("/api/v1/outlets/nbc-news").want(t, 200, &nbc)
		if nbc.StateOwned != nil {
			t.Errorf("unknown state ownership came back as %v", *nbc.StateOwned)
		}
		var ol handlers.List[models.Outlet]
		c.get("/api/v1/outlets"+q("q", "медуза")).want(t, 200, &ol)
		if len(ol.Items) != 1 || ol.Items[0].Slug != "meduza" {
			t.Errorf("q=медуза: %+v", ol.Items)
		}

		var src models.Source
		c.get("/api/v1/sources/nbc-report").want(t, 200, &src)
		if src.Outlet != "NBC News" || src.OutletID == nil || src.OutletID.ID != nbc.ID || src.Via == nil {
			t.Errorf("source %+v", src)
		}
		c.get("/api/v1/sources/tass-report").want(t, 200, &src)
		if src.Outlet != "TASS wire" {
			t.Errorf("a given outlet name was overwritten: %q", src.Outlet)
		}

		var e models.Event
		c.get("/api/v1/events/abu-dhabi-talks"+q("include", "sources")).want(t, 200, &e)
		if len(e.SourcesData) != 2 || e.SourcesData[1].Credit != "NBC News, via Meduza" ||
			e.SourcesData[1].ViaData == nil || e.SourcesData[1].ViaData.Slug != "meduza-live" || e.SourcesData[0].Credit != "Meduza" {
			t.Errorf("embedded sources %+v", e.SourcesData)
		}

		t.Run("bad sources", func(t *testing.T) {
			before := c.fingerprint()
			p := c.do("PATCH", "/api/v1/sources/meduza-live", `{"via_id":"nbc-report"}`).problem(t, 422)
			if !hasField(p, "via_id") {
				t.Errorf("cycle: %+v", p)
			}
			p = c.do("PATCH", "/api/v1/sources/meduza-live", `{"via_id":"meduza-live"}`).problem(t, 422)
			if !hasField(p, "via_id") {
				t.Errorf("self: %+v", p)
			}
			p = c.do("POST", "/api/v1/sources", `{"title":"No outlet","published":"2026"}`).problem(t, 422)
			if !hasField(p, "outlet") {
				t.Errorf("no outlet: %+v", p)
			}
			p = c.do("POST", "/api/v1/sources", `{"outlet_id":"nowhere","title":"x","published":"2026"}`).problem(t, 422)
			if !hasField(p, "outlet_id") {
				t.Errorf("missing outlet: %+v", p)
			}
			p = c.do("POST", "/api/v1/sources", `{"outlet":"X","title":"x","published":"2026","credit":"forged","via":{"slug":"x"}}`).problem(t, 422)
			if !hasField(p, "via") {
				t.Errorf("embedded via in a body: %+v", p)
			}
			p = c.do("POST", "/api/v1/outlets", `{"name":"Bad","country":"Latvia"}`).problem(t, 422)
			if !hasField(p, "country") {
				t.Errorf("bad country: %+v", p)
			}
			if after := c.fingerprint(); !maps.Equal(before, after) {
				t.Errorf("refused writes changed the database: %v → %v", before, after)
			}
		})

		t.Run("a source another comes via cannot be deleted", func(t *testing.T) {
			c.do("POST", "/api/v1/sources", `{"slug":"relay","outlet":"Relay","title":"r","published":"2026"}`).want(t, 201, nil)
			c.do("POST", "/api/v1/sources", `{"slug":"origin","outlet":"Origin","title":"o","published":"2026","via_id":"relay"}`).want(t, 201, nil)
			p := c.do("DELETE", "/api/v1/sources/relay", nil).problem(t, 409)
			if !strings.Contains(p.Detail, "origin") {
				t.Errorf("409 does not name the citing source: %s", p.Detail)
			}
			p = c.do("DELETE", "/api/v1/outlets/tass", nil).problem(t, 409)
			if !strings.Contains(p.Detail, "tass-report") {
				t.Errorf("409 does not name the source: %s", p.Detail)
			}
			c.do("DELETE", "/api/v1/sources/origin", nil).want(t, 204, nil)
			c.do("DELETE", "/api/v1/sources/relay", nil).want(t, 204, nil)
		})
	})
}

// TestEvidence: evidence says which claims a cited source supports; supports= finds
// what a source supports, and bad evidence is refused with the field named.
func TestEvidence(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		evidenceFixture(t, c)
		var e models.Event
		c.get("/api/v1/events/abu-dhabi-talks").want(t, 200, &e)
		if len(e.Evidence) != 2 || strings.Join(e.Evidence[0].Supports, ",") != "date,status" ||
			e.Evidence[0].Quote != "=the talks began on Friday" || len(e.Evidence[1].Supports) != 1 {
			t.Errorf("evidence %+v", e.Evidence)
		}

		slugs := func(path string) string {
			t.Helper()
			var l handlers.List[models.Event]
			c.get(path).want(t, 200, &l)
			var out []string
			for _, e := range l.Items {
				out = append(out, e.Slug)
			}
			return strings.Join(out, " ")
		}
		for path, want := range map[string]string{
			"/api/v1/events" + q("source", "nbc-report"):                                  "second-day abu-dhabi-talks",
			"/api/v1/events" + q("source", "nbc-report", "supports", "date"):              "abu-dhabi-talks",
			"/api/v1/events" + q("source", "tass-report", "supports", "date"):             "second-day",
			"/api/v1/events" + q("supports", "date"):                                      "second-day abu-dhabi-talks",
			"/api/v1/events" + q("source", "meduza-live", "supports", "date"):             "",
			"/api/v1/events" + q("source", "nbc-report", "supports", "date,participants"): "second-day abu-dhabi-talks",
			"/api/v1/timeline" + q("source", "nbc-report", "supports", "status"):          "abu-dhabi-talks",
		} {
			if got := slugs(path); got != want {
				t.Errorf("%s: %q, want %q", path, got, want)
			}
		}
		var sl handlers.List[models.Statement]
		c.get("/api/v1/statements"+q("source", "tass-report", "supports", "attribution")).want(t, 200, &sl)
		if len(sl.Items) != 1 || len(sl.Items[0].Evidence) != 1 {
			t.Errorf("statements supported by TASS: %+v", sl.Items)
		}
		c.get("/api/v1/statements"+q("source", "nbc-report", "supports", "text")).want(t, 200, &sl)
		if len(sl.Items) != 0 {
			t.Errorf("statements supported by NBC: %+v", sl.Items)
		}
		if p := c.get("/api/v1/events"+q("supports", "weather")).problem(t, 400); !hasField(p, "supports") {
			t.Errorf("unknown claim filter: %+v", p)
		}
		if p := c.get("/api/v1/statements"+q("supports", "location")).problem(t, 400); !hasField(p, "supports") {
			t.Errorf("an event claim on statements: %+v", p)
		}

		t.Run("bad evidence", func(t *testing.T) {
			before := c.fingerprint()
			for body, field := range map[string]string{
				`{"title":"T","type":"meeting","status":"held","date":"2026","source_ids":["nbc-report"],"evidence":[{"source_id":"tass-report","supports":["date"]}]}`:       "evidence[0].source_id",
				`{"title":"T","type":"meeting","status":"held","date":"2026","source_ids":["nbc-report"],"evidence":[{"source_id":"nbc-report","supports":["weather"]}]}`:     "evidence[0].supports[0]",
				`{"title":"T","type":"meeting","status":"held","date":"2026","source_ids":["nbc-report"],"evidence":[{"source_id":"nbc-report","supports":[]}]}`:              "evidence[0].supports",
				`{"title":"T","type":"meeting","status":"held","date":"2026","source_ids":["nbc-report"],"evidence":[{"source_id":"nbc-report","supports":["date","date"]}]}`: "evidence[0].supports[1]",
				`{"title":"T","type":"meeting","status":"held","date":"2026","source_ids":["nbc-report"],"evidence":[{"supports":["date"]}]}`:                                 "evidence[0].source_id",
				`{"title":"T","type":"meeting","status":"held","date":"2026","source_ids":["nbc-report"],"evidence":[{"source_id":"nbc-report","supports":["text"]}]}`:        "evidence[0].supports[0]",
				// Held, with evidence that says only when it was planned: held needs a source saying it happened.
				`{"title":"T","type":"meeting","status":"held","date":"2026","source_ids":["nbc-report"],"evidence":[{"source_id":"nbc-report","supports":["date"]}]}`: "status",
			} {
				p := c.do("POST", "/api/v1/events", body).problem(t, 422)
				if !hasField(p, field) {
					t.Errorf("%s: want %s, got %+v", body, field, p.Errors)
				}
			}
			p := c.do("POST", "/api/v1/statements", `{"text":"x","attribution":"a source","date":"2026","source_ids":["nbc-report"],"evidence":[{"source_id":"tass-report","supports":["text"]}]}`).problem(t, 422)
			if !hasField(p, "evidence[0].source_id") {
				t.Errorf("statement: %+v", p.Errors)
			}
			p = c.do("PATCH", "/api/v1/events/abu-dhabi-talks", `{"source_ids":["meduza-live"]}`).problem(t, 422)
			if !hasField(p, "evidence[0].source_id") {
				t.Errorf("dropping a source its evidence names: %+v", p.Errors)
			}
			if after := c.fingerprint(); !maps.Equal(before, after) {
				t.Errorf("refused writes changed the database: %v → %v", before, after)
			}
		})
	})
}

// TestEvidenceExports: the timeline and the exports print the credit, and carry the
// evidence: JSON, CSV, ICS, JSON-LD citation, and the claims table.
func TestEvidenceExports(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		evidenceFixture(t, c)
		body := string(c.get("/api/v1/timeline"+q("format", "timelinejs")).want(t, 200, nil).Body)
		if !strings.Contains(body, "NBC News, via Meduza") {
			t.Errorf("timeline without the credit: %.1500s", body)
		}
		if ics := string(c.get("/api/v1/export"+q("format", "ics")).want(t, 200, nil).Body); !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), `NBC News\, via Meduza`) {
			t.Errorf("ics without the credit: %.2000s", ics)
		}

		rows := readCSV(t, c.get("/api/v1/export"+q("format", "csv")).want(t, 200, nil).Body)
		col := indexOf(rows[0], "source_credits")
		if col < 0 || len(rows) != 3 {
			t.Fatalf("csv header %v, %d rows", rows[0], len(rows))
		}
		for _, r := range rows[1:] {
			if !strings.Contains(r[col], "NBC News, via Meduza") {
				t.Errorf("csv source_credits %q", r[col])
			}
		}

		claims := readCSV(t, c.get("/api/v1/export"+q("format", "claims", "sort", "date")).want(t, 200, nil).Body)
		var got []string
		for _, r := range claims[1:] {
			got = append(got, r[0]+"/"+r[2]+"/"+r[5]+"/"+r[6]+"/"+r[7])
		}
		want := []string{
			"event/abu-dhabi-talks/NBC News, via Meduza/date/'=the talks began on Friday",
			"event/abu-dhabi-talks/NBC News, via Meduza/status/'=the talks began on Friday",
			"event/abu-dhabi-talks/Meduza/location/",
			"event/second-day/TASS wire, via Meduza/date/set to continue tomorrow",
			"event/second-day/NBC News, via Meduza/participants/",
			"statement//TASS wire, via Meduza/text/No one is slamming the door, a source said",
			"statement//TASS wire, via Meduza/attribution/No one is slamming the door, a source said",
		}
		if strings.Join(claims[0], ",") != "entity_type,entity_id,entity_slug,source_id,source_title,credit,claim,quote" ||
			strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("claims table:\n%v\n%s\nwant\n%s", claims[0], strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		var events []models.Event
		c.get("/api/v1/export"+q("format", "json", "sort", "date")).want(t, 200, &events)
		if len(events) != 2 || len(events[0].Evidence) != 2 || len(events[1].StatementsData) != 1 || len(events[1].StatementsData[0].Evidence) != 1 {
			t.Errorf("json export without evidence: %+v", events)
		}

		var ld struct {
			Graph []struct {
				Identifier string `json:"identifier"`
				Citation   []struct {
					Identifier string `json:"identifier"`
					CreditText string `json:"creditText"`
					IsBasedOn  struct {
						Identifier string `json:"identifier"`
					} `json:"isBasedOn"`
					HasPart []struct {
						Type     string   `json:"@type"`
						Text     string   `json:"text"`
						Keywords []string `json:"keywords"`
					} `json:"hasPart"`
				} `json:"citation"`
			} `json:"@graph"`
		}
		c.get("/api/v1/export"+q("format", "jsonld", "sort", "date")).want(t, 200, &ld)
		if len(ld.Graph) != 2 || len(ld.Graph[0].Citation) != 2 {
			t.Fatalf("jsonld: %+v", ld)
		}
		nbc := ld.Graph[0].Citation[1]
		if nbc.CreditText != "NBC News, via Meduza" || nbc.IsBasedOn.Identifier != "meduza-live" || len(nbc.HasPart) != 1 ||
			nbc.HasPart[0].Text != "=the talks began on Friday" || strings.Join(nbc.HasPart[0].Keywords, ",") != "date,status" {
			t.Errorf("jsonld citation %+v", nbc)
		}
	})
}

// TestEvidenceBundleRoundTrip: outlets, via and evidence survive a bundle export and an
// import into an empty database of the other kind, byte for byte.
func TestEvidenceBundleRoundTrip(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]store.Dialect{{store.SQLite, store.Postgres}, {store.Postgres, store.SQLite}} {
		origin := newClient(t, openStore(t, pair[0]), false)
		evidenceFixture(t, origin)
		want := origin.get("/api/v1/export/bundle").want(t, 200, nil).Body
		for _, s := range []string{`"type":"outlet"`, `"via_id"`, `"evidence"`, `"outlet_id"`} {
			if !bytes.Contains(want, []byte(s)) {
				t.Fatalf("bundle without %s", s)
			}
		}
		// A relayed source comes after the one it came via.
		if bytes.Index(want, []byte(`"slug":"meduza-live"`)) > bytes.Index(want, []byte(`"slug":"nbc-report"`)) {
			t.Errorf("a source before the one it came via")
		}
		c := newClient(t, openStore(t, pair[1]), false)
		rep := importBundle(t, c, want, "")
		if !rep.Committed || len(rep.Problems) != 0 {
			t.Fatalf("import: %+v", rep.Problems)
		}
		if got := c.get("/api/v1/export/bundle").Body; !bytes.Equal(got, want) {
			t.Fatalf("%s → %s: bundle changed:\n%s", pair[0], pair[1], firstDiff(want, got))
		}
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("csv: %v\n%s", err, b)
	}
	return rows
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// TestImportViaCycle: an import whose sources come via one another in a cycle is
// refused on via_id, and writes nothing; a chain in any line order is taken.
func TestImportViaCycle(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		before := c.fingerprint()
		cycle := `{"type":"source","data":{"slug":"a","outlet":"A","title":"a","published":"2026","via_id":"b"}}
{"type":"source","data":{"slug":"b","outlet":"B","title":"b","published":"2026","via_id":"a"}}
`
		rep := importBundle(t, c, []byte(cycle), "")
		if rep.Committed || len(rep.Problems) == 0 || !strings.Contains(fmt.Sprint(rep.Problems), "via_id") {
			t.Fatalf("cycle imported: %+v", rep)
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("a refused import changed the database")
		}
		chain := `{"type":"source","data":{"slug":"c","outlet":"C","title":"c","published":"2026","via_id":"d"}}
{"type":"outlet","data":{"slug":"d-outlet","name":"D outlet"}}
{"type":"source","data":{"slug":"d","outlet_id":"d-outlet","title":"d","published":"2026"}}
`
		rep = importBundle(t, c, []byte(chain), "")
		if !rep.Committed || len(rep.Problems) != 0 {
			t.Fatalf("chain: %+v", rep.Problems)
		}
		var e models.Source
		c.get("/api/v1/sources/d").want(t, 200, &e)
		if e.Outlet != "D outlet" {
			t.Errorf("imported source's outlet %q", e.Outlet)
		}
	})
}
