package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/paulmach/orb/geojson"

	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// edgeDates are the events of the edge-value tests: the first instant parley stores
// (0001-01-01T00:00Z, which is Go's zero time) at year and day precision, and the last
// day, whose end (9999-01-01T00:00Z) is the top of the supported range. Each maps to
// its slug's [start, end) in RFC 3339.
var edgeDates = map[string][3]string{
	"year-one":  {"0001", "0001-01-01T00:00:00Z", "0002-01-01T00:00:00Z"},
	"day-one":   {"0001-01-01", "0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z"},
	"last-day":  {"9998-12-31", "9998-12-31T00:00:00Z", "9999-01-01T00:00:00Z"},
	"last-year": {"9998", "9998-01-01T00:00:00Z", "9999-01-01T00:00:00Z"},
}

// edgeSetup creates the edgeDates events, each with a located participant, and a
// statement dated 0001-01-01 about day-one.
func edgeSetup(t *testing.T, c *client) {
	t.Helper()
	c.do("POST", "/api/v1/actors", `{"name":"Edge State","slug":"edge-state","kind":"state","country":"CH"}`).want(t, 201, nil)
	c.do("POST", "/api/v1/locations", `{"name":"Edge Town","slug":"edge-town","country":"CL","latitude":-33.9,"longitude":-70.65}`).want(t, 201, nil)
	for _, slug := range slices.Sorted(maps.Keys(edgeDates)) {
		c.do("POST", "/api/v1/events", fmt.Sprintf(`{"title":"Edge %s","slug":%q,"type":"meeting","status":"held","date":%q,
			"location_id":"edge-town","participants":[{"actor_id":"edge-state","role":"host"}]}`, slug, slug, edgeDates[slug][0])).want(t, 201, nil)
	}
	c.do("POST", "/api/v1/statements", `{"text":"First words.","speaker_id":"edge-state","date":"0001-01-01","event_id":"day-one"}`).want(t, 201, nil)
}

// TestEdgeYearsStats: over HTTP, on both databases, the buckets of year 0001 and year
// 9998 are there for every interval and grouping; a histogram of more than MaxBuckets
// intervals, stated or the data's own 9,998 years, is a 400 naming the interval and
// the cap; a date past the supported range is a 400 on its parameter.
func TestEdgeYearsStats(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		edgeSetup(t, c)
		groupKey := map[string]string{"": "", "type": "meeting", "actor": "edge-state", "country": "CH"}
		first := map[string][3]string{ // key, start, end of the first bucket of 0001
			"day": {"0001-01-01", "0001-01-01", "0001-01-02"}, "week": {"0001-W01", "0001-01-01", "0001-01-08"},
			"month": {"0001-01", "0001-01-01", "0001-02-01"}, "year": {"0001", "0001-01-01", "0002-01-01"},
		}
		last := map[string][3]string{ // key, start, end of the last bucket of 9998
			"day": {"9998-12-31", "9998-12-31", "9999-01-01"}, "week": {"9998-W53", "9998-12-28", "9999-01-04"},
			"month": {"9998-12", "9998-12-01", "9999-01-01"}, "year": {"9998", "9998-01-01", "9999-01-01"},
		}
		lastCount := map[string]int64{"day": 1, "week": 1, "month": 1, "year": 2}
		for _, interval := range store.StatsIntervals {
			for _, group := range store.StatsGroupings {
				what := interval + "/" + group
				var s store.Stats
				c.get("/api/v1/stats/events"+q("interval", interval, "group_by", group, "from", "0001", "to", "0001")).want(t, 200, &s)
				if len(s.Buckets) == 0 || s.Total != 2 {
					t.Fatalf("%s in 0001: %+v", what, s)
				}
				b := s.Buckets[0]
				if [3]string{b.Key, b.Start, b.End} != first[interval] || b.Count != 2 || (group != "" && b.Groups[groupKey[group]] != 2) {
					t.Errorf("%s: first bucket of 0001 %+v, want %v holding 2", what, b, first[interval])
				}
				c.get("/api/v1/stats/events"+q("interval", interval, "group_by", group, "from", "9998", "to", "9998")).want(t, 200, &s)
				if len(s.Buckets) == 0 || s.Total != 2 {
					t.Fatalf("%s in 9998: %+v", what, s)
				}
				b = s.Buckets[len(s.Buckets)-1]
				if [3]string{b.Key, b.Start, b.End} != last[interval] || b.Count != lastCount[interval] ||
					(group != "" && b.Groups[groupKey[group]] != lastCount[interval]) {
					t.Errorf("%s: last bucket of 9998 %+v, want %v holding %d", what, b, last[interval], lastCount[interval])
				}
			}
			// 9,998 years, stated or the data's own, are over the cap at every interval.
			for _, r := range []string{q("interval", interval, "from", "0001", "to", "9998"), q("interval", interval)} {
				p := c.get("/api/v1/stats/events"+r).problem(t, 400)
				if len(p.Errors) != 1 || p.Errors[0].Field != "interval" || !strings.Contains(p.Errors[0].Message, interval) ||
					!strings.Contains(p.Errors[0].Message, fmt.Sprint(store.MaxBuckets)) {
					t.Errorf("%s: %+v does not name the interval and the cap", r, p.Errors)
				}
			}
		}
		// Exactly the cap is answered; a year past the supported range is refused.
		var s store.Stats
		c.get("/api/v1/stats/events"+q("interval", "year", "from", "0001", "to", "5000")).want(t, 200, &s)
		if len(s.Buckets) != store.MaxBuckets || s.Buckets[0].Count != 2 {
			t.Errorf("0001-5000 by year: %d buckets, first %+v", len(s.Buckets), s.Buckets[0])
		}
		for _, to := range []string{"9999", "9999-12-31"} {
			if p := c.get("/api/v1/stats/events"+q("interval", "year", "from", "0001", "to", to)).problem(t, 400); !hasField(p, "to") {
				t.Errorf("to=%s: %+v", to, p.Errors)
			}
		}
	})
}

// TestEdgeYearsExports: every export format that shows a date, and every /timeline
// format, shows the year-0001 and year-9998 events with their own dates.
func TestEdgeYearsExports(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		edgeSetup(t, c)
		export := func(format string, kv ...string) []byte {
			t.Helper()
			r := c.get("/api/v1/export" + q(append([]string{"format", format}, kv...)...))
			if r.Status != 200 {
				t.Fatalf("export %s: %d %s", format, r.Status, r.Body)
			}
			return r.Body
		}
		bounds := func(what, slug, start, end string) {
			t.Helper()
			if want := edgeDates[slug]; start != want[1] || end != want[2] {
				t.Errorf("%s %s: [%q, %q), want [%q, %q)", what, slug, start, end, want[1], want[2])
			}
		}
		csvRows := func(b []byte) []map[string]string {
			t.Helper()
			recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var out []map[string]string
			for _, rec := range recs[1:] {
				m := map[string]string{}
				for i, col := range recs[0] {
					m[col] = rec[i]
				}
				out = append(out, m)
			}
			return out
		}

		// csv, all three tables.
		rows := csvRows(export("csv"))
		for _, r := range rows {
			bounds("csv", r["slug"], r["date_start"], r["date_end"])
		}
		for _, r := range csvRows(export("csv", "entity", "participants")) {
			bounds("csv participants", r["event_slug"], r["event_date_start"], edgeDates[r["event_slug"]][2])
		}
		st := csvRows(export("csv", "entity", "statements"))
		if len(st) != 1 || st[0]["date_start"] != "0001-01-01T00:00:00Z" || st[0]["date_end"] != "0001-01-02T00:00:00Z" {
			t.Errorf("csv statements: %v", st)
		}

		// ndjson and json: the API's own date object.
		type dated struct {
			Slug string          `json:"slug"`
			Date models.DateJSON `json:"date"`
		}
		n := 0
		sc := bufio.NewScanner(bytes.NewReader(export("ndjson")))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e dated
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatal(err)
			}
			bounds("ndjson", e.Slug, e.Date.Start, e.Date.End)
			n++
		}
		var arr []dated
		if err := json.Unmarshal(export("json"), &arr); err != nil {
			t.Fatal(err)
		}
		for _, e := range arr {
			bounds("json", e.Slug, e.Date.Start, e.Date.End)
		}
		if n != len(edgeDates) || len(arr) != len(edgeDates) || len(rows) != len(edgeDates) {
			t.Errorf("events exported: ndjson %d, json %d, csv %d, want %d", n, len(arr), len(rows), len(edgeDates))
		}

		// geojson.
		fc, err := geojson.UnmarshalFeatureCollection(export("geojson"))
		if err != nil || len(fc.Features) != len(edgeDates) {
			t.Fatalf("geojson: %v, %d features", err, len(fc.Features))
		}
		for _, f := range fc.Features {
			bounds("geojson", f.Properties.MustString("slug"), f.Properties.MustString("date_start"), f.Properties.MustString("date_end"))
		}

		// jsonld: startDate and endDate at the stated precision.
		var ld struct {
			Graph []struct {
				Identifier string `json:"identifier"`
				StartDate  string `json:"startDate"`
				EndDate    string `json:"endDate"`
			} `json:"@graph"`
		}
		if err := json.Unmarshal(export("jsonld"), &ld); err != nil || len(ld.Graph) != len(edgeDates) {
			t.Fatalf("jsonld: %v, %d nodes", err, len(ld.Graph))
		}
		gotLD := map[string]string{}
		for _, g := range ld.Graph {
			gotLD[g.StartDate+"/"+g.EndDate] = g.Identifier
		}
		for _, want := range []string{"0001/0001", "0001-01-01/0001-01-01", "9998-12-31/9998-12-31", "9998/9998"} {
			if _, ok := gotLD[want]; !ok {
				t.Errorf("jsonld: no event with startDate/endDate %s in %v", want, gotLD)
			}
		}

		// ics: all-day DTSTART and DTEND (exclusive).
		cal, err := ics.ParseCalendar(bytes.NewReader(export("ics")))
		if err != nil {
			t.Fatal(err)
		}
		gotICS := map[string]bool{}
		for _, ev := range cal.Events() {
			s, e := ev.GetProperty(ics.ComponentPropertyDtStart), ev.GetProperty(ics.ComponentPropertyDtEnd)
			if s == nil || e == nil {
				t.Fatalf("ics event without DTSTART or DTEND: %s", ev.Serialize(nil))
			}
			gotICS[s.Value+"/"+e.Value] = true
		}
		for _, want := range []string{"00010101/00020101", "00010101/00010102", "99981231/99990101", "99980101/99990101"} {
			if !gotICS[want] {
				t.Errorf("ics: no event from/to %s in %v", want, gotICS)
			}
		}

		// timelinejs, exported and from /timeline; vis and the parley list from /timeline.
		type tl struct {
			Events []struct {
				UniqueID  string            `json:"unique_id"`
				StartDate formatsTLDateEdge `json:"start_date"`
			} `json:"events"`
		}
		wantTL := map[string]formatsTLDateEdge{
			"year-one": {Year: 1}, "day-one": {Year: 1, Month: 1, Day: 1},
			"last-day": {Year: 9998, Month: 12, Day: 31}, "last-year": {Year: 9998},
		}
		for what, body := range map[string][]byte{
			"export timelinejs":   export("timelinejs"),
			"timeline timelinejs": c.get("/api/v1/timeline"+q("format", "timelinejs")).want(t, 200, nil).Body,
		} {
			var doc tl
			if err := json.Unmarshal(body, &doc); err != nil || len(doc.Events) != len(edgeDates) {
				t.Fatalf("%s: %v, %d slides", what, err, len(doc.Events))
			}
			for _, s := range doc.Events {
				if s.StartDate != wantTL[s.UniqueID] {
					t.Errorf("%s %s: start_date %+v, want %+v", what, s.UniqueID, s.StartDate, wantTL[s.UniqueID])
				}
			}
		}
		var vis struct {
			Items []struct {
				ID    string `json:"id"`
				Start string `json:"start"`
				End   string `json:"end"`
			} `json:"items"`
		}
		c.get("/api/v1/timeline"+q("format", "vis")).want(t, 200, &vis)
		for _, it := range vis.Items {
			want := edgeDates[it.ID]
			if it.Start != want[1][:10] || it.End != want[2][:10] {
				t.Errorf("vis %s: %s to %s, want %s to %s", it.ID, it.Start, it.End, want[1][:10], want[2][:10])
			}
		}
		var list handlers.List[dated]
		c.get("/api/v1/timeline").want(t, 200, &list)
		if len(list.Items) != len(edgeDates) || len(vis.Items) != len(edgeDates) {
			t.Fatalf("timeline: %d events, vis %d items", len(list.Items), len(vis.Items))
		}
		if list.Items[0].Date.Start != "0001-01-01T00:00:00Z" {
			t.Errorf("timeline: first event %+v, want one starting 0001-01-01", list.Items[0])
		}
		for _, e := range list.Items {
			bounds("timeline", e.Slug, e.Date.Start, e.Date.End)
		}
	})
}

// TestEdgeYearsWrites: an event moved to the first day of year 0001 by PATCH, and one
// created there, are stored with that date everywhere it is copied and read back by
// every path that reads it: the event, an actor's events (the participation rows), the
// co-participation network and the revisions.
func TestEdgeYearsWrites(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		c.do("POST", "/api/v1/actors", `{"name":"Edge State","slug":"edge-state","kind":"state","country":"CH"}`).want(t, 201, nil)
		c.do("POST", "/api/v1/actors", `{"name":"Other State","slug":"other-state","kind":"state","country":"FR"}`).want(t, 201, nil)
		for _, slug := range []string{"moved", "born-there"} {
			date := "2026-01-23"
			if slug == "born-there" {
				date = "0001-01-01T00:00Z"
			}
			c.do("POST", "/api/v1/events", fmt.Sprintf(`{"title":"Edge","slug":%q,"type":"meeting","status":"held","date":%q,
				"participants":[{"actor_id":"edge-state","role":"host"},{"actor_id":"other-state","role":"participant"}]}`, slug, date)).want(t, 201, nil)
		}
		c.do("PATCH", "/api/v1/events/moved", `{"date":"0001-01-01"}`, "Content-Type", "application/merge-patch+json").want(t, 200, nil)
		type dated struct {
			Slug string          `json:"slug"`
			Date models.DateJSON `json:"date"`
		}
		var e dated
		c.get("/api/v1/events/moved").want(t, 200, &e)
		if e.Date.EDTF != "0001-01-01" || e.Date.Start != "0001-01-01T00:00:00Z" || e.Date.End != "0001-01-02T00:00:00Z" {
			t.Errorf("moved: %+v", e.Date)
		}
		for _, path := range []string{
			"/api/v1/actors/edge-state/events" + q("from", "0001", "to", "0001"),
			"/api/v1/events" + q("actor", "edge-state", "from", "0001-01-01", "to", "0001-01-01"),
			"/api/v1/events" + q("from", "0001-01-01", "to", "0001-01-01", "sort", "date"),
		} {
			var l handlers.List[dated]
			c.get(path).want(t, 200, &l)
			if len(l.Items) != 2 {
				t.Errorf("%s: %+v, want both events", path, l.Items)
			}
			for _, it := range l.Items {
				if it.Date.Start != "0001-01-01T00:00:00Z" {
					t.Errorf("%s: %s starts %s", path, it.Slug, it.Date.Start)
				}
			}
		}
		var n store.Network
		c.get("/api/v1/actors/edge-state/network").want(t, 200, &n)
		if len(n.CoParticipants) != 1 || n.CoParticipants[0].SharedEvents != 2 ||
			!n.CoParticipants[0].FirstShared.Equal(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)) ||
			!n.CoParticipants[0].LastShared.Equal(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("network: %+v", n.CoParticipants)
		}
		var revs handlers.List[models.Revision]
		c.get("/api/v1/events/moved/revisions").want(t, 200, &revs)
		i := slices.IndexFunc(revs.Items, func(r models.Revision) bool { return r.Version == 2 })
		if len(revs.Items) != 2 || i < 0 || !strings.Contains(string(revs.Items[i].Data), `"start":"0001-01-01T00:00:00Z"`) {
			t.Errorf("revisions of the move: %+v", revs.Items)
		}
	})
}

// formatsTLDateEdge is the part of a TimelineJS date the edge tests compare (a zero
// month or day stands for an absent one).
type formatsTLDateEdge struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

// importServer is a server with a small import cap, for the Content-Length tests.
func importServer(t *testing.T, s *store.Store, maxImport int64) (addr, key string) {
	t.Helper()
	h, err := api.New(s, nil, api.Options{MaxImportBytes: maxImport})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	_, key, err = s.CreateKey(context.Background(), "import tests", models.ScopeAdmin)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Listener.Addr().String(), key
}

// rawImport sends POST /import by hand, declaring contentLength but writing only sent
// of the body, and reads the answer within wait; it never sends the rest.
func rawImport(t *testing.T, addr, key string, contentLength int64, sent string, wait time.Duration) (*http.Response, []byte, time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_ = conn.SetDeadline(start.Add(wait))
	fmt.Fprintf(conn, "POST /api/v1/import HTTP/1.1\r\nHost: parley\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/x-ndjson\r\nContent-Length: %d\r\n\r\n%s", key, contentLength, sent)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer within %v: %v", wait, err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return res, body, time.Since(start)
}

// TestImportContentLengthOverCap: an import whose declared Content-Length is over the
// cap gets a 413 problem at once, whether its body never comes, comes slowly or is a
// gigabyte declared against the default cap, and nothing is written. A body without a
// Content-Length (chunked) is still held to the cap as it is read.
func TestImportContentLengthOverCap(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const limit = 4096
		addr, key := importServer(t, s, limit)
		before, err := s.Fingerprint(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		line := `{"type":"actor","data":{"name":"Never Imported","kind":"person"}}` + "\n"
		check := func(what string, res *http.Response, body []byte, took time.Duration) {
			t.Helper()
			if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(res.Header.Get("Content-Type"), api.ProblemContentType) {
				t.Fatalf("%s: %d %s %s", what, res.StatusCode, res.Header.Get("Content-Type"), body)
			}
			var p handlers.Problem
			if err := json.Unmarshal(body, &p); err != nil || p.Type != "urn:parley:problem:too_large" || !strings.Contains(p.Detail, fmt.Sprint(limit)) {
				t.Errorf("%s: problem %+v (%v)", what, p, err)
			}
			if took > 2*time.Second {
				t.Errorf("%s: answered after %v, want at once", what, took)
			}
		}
		// Declared one byte over, nothing sent.
		res, body, took := rawImport(t, addr, key, limit+1, "", 5*time.Second)
		check("no body", res, body, took)
		// A slow body: one line sent, the rest never.
		res, body, took = rawImport(t, addr, key, 1<<20, line, 5*time.Second)
		check("slow body", res, body, took)
		// A gigabyte and a byte, declared.
		res, body, took = rawImport(t, addr, key, api.DefaultMaxImportBytes+1, line, 5*time.Second)
		check("gigabyte", res, body, took)

		// Chunked, over the cap: refused as the cap is crossed.
		req, err := http.NewRequest("POST", "http://"+addr+"/api/v1/import", io.MultiReader(strings.NewReader(strings.Repeat(line, 2*limit/len(line)))))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/x-ndjson")
		if req.ContentLength != 0 {
			t.Fatalf("the chunked request declares a length")
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked over the cap: %d %s", r.StatusCode, b)
		}

		after, err := s.Fingerprint(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(before, after) {
			t.Errorf("refused imports wrote: %v -> %v", before, after)
		}
	})
}
