package formats_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

// expSeedFile is the shape of seed/dataset.json.
type expSeedFile struct {
	Actors     []models.Actor     `json:"actors"`
	Locations  []models.Location  `json:"locations"`
	Sources    []models.Source    `json:"sources"`
	Events     []models.Event     `json:"events"`
	Statements []models.Statement `json:"statements"`
}

// expSeedEvents reads the built-in dataset and embeds what the store's include would:
// every reference resolved to an id, participants' actors, the location, the sources
// and the statements about each event.
func expSeedEvents(t *testing.T) []models.Event {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "seed", "dataset.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f expSeedFile
	if err := models.UnmarshalStrict(b, &f); err != nil {
		t.Fatal(err)
	}
	actors := map[string]*models.Actor{}
	for i := range f.Actors {
		actors[f.Actors[i].Slug] = &f.Actors[i]
	}
	locs := map[string]*models.Location{}
	for i := range f.Locations {
		locs[f.Locations[i].Slug] = &f.Locations[i]
	}
	srcs := map[string]models.Source{}
	for _, s := range f.Sources {
		srcs[s.Slug] = s
	}
	eventIDs := map[string]models.ID{}
	for _, e := range f.Events {
		eventIDs[e.Slug] = e.ID
	}
	resolve := func(r *models.Ref, ids func(string) (models.ID, bool)) {
		if r == nil || r.Resolved() {
			return
		}
		id, ok := ids(r.Slug)
		if !ok {
			t.Fatalf("seed: unknown reference %q", r.Slug)
		}
		*r = models.Ref{ID: id}
	}
	actorID := func(s string) (models.ID, bool) { a, ok := actors[s]; return idOf(a, ok) }
	sourceID := func(s string) (models.ID, bool) { x, ok := srcs[s]; return x.ID, ok }
	eventID := func(s string) (models.ID, bool) { id, ok := eventIDs[s]; return id, ok }
	for i := range f.Actors {
		resolve(f.Actors[i].Affiliation, actorID)
	}
	for i := range f.Statements {
		s := &f.Statements[i]
		resolve(&s.Speaker, actorID)
		for _, r := range s.Sources {
			resolve(r, sourceID)
		}
	}
	stamp := time.Date(2026, 1, 25, 9, 30, 0, 123456000, time.UTC)
	events := f.Events
	for i := range events {
		e := &events[i]
		e.Version, e.CreatedAt, e.UpdatedAt = 1, stamp, stamp.Add(time.Duration(i)*time.Hour)
		for j := range e.Participants {
			p := &e.Participants[j]
			p.ActorData = actors[p.Actor.Slug]
			resolve(&p.Actor, actorID)
			resolve(p.Represents, actorID)
		}
		if e.Location != nil {
			e.LocationData = locs[e.Location.Slug]
			resolve(e.Location, func(s string) (models.ID, bool) { l, ok := locs[s]; return lidOf(l, ok) })
		}
		for _, r := range e.Sources {
			e.SourcesData = append(e.SourcesData, srcs[r.Slug])
			resolve(r, sourceID)
		}
		resolve(e.Parent, eventID)
		for _, s := range f.Statements {
			if s.Event != nil && s.Event.Slug == e.Slug {
				s.Event = models.RefTo(e.ID)
				e.StatementsData = append(e.StatementsData, s)
			}
		}
	}
	return events
}

func idOf(a *models.Actor, ok bool) (models.ID, bool) {
	if !ok {
		return models.ID{}, false
	}
	return a.ID, true
}

func lidOf(l *models.Location, ok bool) (models.ID, bool) {
	if !ok {
		return models.ID{}, false
	}
	return l.ID, true
}

func expFloat(f float64) *float64 { return &f }

// Edge-case texts: quotes, commas, semicolons, line breaks (LF and CRLF), Cyrillic, and
// cells a spreadsheet would take for formulas.
const (
	expTitleQuotes  = `He said "no, never"; then left`
	expSummaryMulti = "Переговоры в Абу-Даби, «продуктивные».\nSecond line; with \"quotes\", commas\r\nand a CRLF line — конец."
	expFormula      = "=HYPERLINK(\"http://x\",\"y\")"
	expLongCyrillic = "Делегации России, Украины и США провели второй день переговоров в Абу-Даби; стороны договорились продолжить работу в рабочих группах, не называя сроков."
)

// expEdgeEvents are hand-made events for what the seed lacks.
func expEdgeEvents() []models.Event {
	peskov := &models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "dmitry-peskov", Name: "Дмитрий Песков",
		Kind: models.ActorPerson, Country: "RU", Title: "Press secretary, \"Kremlin\""}
	mediator := &models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "uae", Name: "United Arab Emirates",
		Kind: models.ActorState, Country: "AE", ExternalIDs: models.StringMap{"wikidata": "Q878"}}
	org := &models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "osce", Name: "OSCE, Vienna",
		Kind: models.ActorOrganization}
	t0 := time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)
	meta := func() models.Meta {
		return models.Meta{ID: models.NewID(), Version: 3, CreatedAt: t0, UpdatedAt: t0.Add(time.Hour)}
	}

	// No location, month precision, postponed, formula-like and quoted text.
	noLoc := models.Event{Meta: meta(), Slug: "edge-no-location", Title: expTitleQuotes, Type: models.EventCall,
		Status: models.StatusPostponed, Date: models.MustParseDate("2026-02"), Summary: expSummaryMulti,
		Tags: []string{"+1", "-minus", "@at"}, CAMEO: "036"}
	noLoc.Participants = []models.Participant{
		{Actor: models.Ref{ID: peskov.ID}, Role: models.RoleParticipant, ActorData: peskov},
		{Actor: models.Ref{ID: mediator.ID}, Role: models.RoleMediator, ActorData: mediator},
		{Actor: models.Ref{ID: org.ID}, Role: models.RoleObserver}, // not embedded
	}
	src := models.Source{Meta: meta(), Slug: "edge-source", Outlet: "Новая газета", Title: "A, B; \"C\"",
		URL: "https://example.org/a?b=1,2;c=3", Published: models.MustParseDate("2026-02-01"), Language: "ru"}
	noLoc.Sources = []*models.Ref{models.RefTo(src.ID)}
	noLoc.SourcesData = []models.Source{src}
	st := models.Statement{Meta: meta(), Text: expFormula + "\n\"quoted\", and, commas\r\nкириллица", Quote: true,
		Speaker: models.Ref{ID: peskov.ID}, Attribution: "Peskov, to reporters", Medium: "briefing",
		Date: models.MustParseDate("2026-02-01"), Language: "ru", Sources: []*models.Ref{models.RefTo(src.ID)}}
	st.Event = models.RefTo(noLoc.ID)
	noLoc.StatementsData = []models.Statement{st}

	// Minute precision with an offset, cancelled, long Cyrillic summary (folding).
	abuDhabi := &models.Location{Meta: meta(), Slug: "abu-dhabi-edge", Name: "Abu Dhabi, Qasr Al Watan", Country: "AE",
		Latitude: expFloat(24.4539), Longitude: expFloat(54.3773), ExternalIDs: models.StringMap{"geonames": "292968"}}
	minute := models.Event{Meta: meta(), Slug: "edge-minute", Title: "Вечерняя встреча", Type: models.EventMeeting,
		Status: models.StatusCancelled, Date: models.MustParseDate("2026-01-23T18:00+04:00"), Summary: expLongCyrillic,
		Location: models.RefTo(abuDhabi.ID), LocationData: abuDhabi, Tags: []string{"peace-talks"}}
	minute.Participants = []models.Participant{{Actor: models.Ref{ID: mediator.ID}, Role: models.RoleHost, ActorData: mediator}}

	// A minute-precision interval, scheduled.
	span := models.Event{Meta: meta(), Slug: "edge-minute-span", Title: "Working groups", Type: models.EventNegotiation,
		Status: models.StatusScheduled, Date: models.MustParseDate("2026-01-24T10:00+04:00/2026-01-24T14:30+04:00"),
		Location: models.RefTo(abuDhabi.ID), LocationData: abuDhabi}

	// Year precision, approximate; a location without coordinates (left off the map).
	noCoords := &models.Location{Meta: meta(), Slug: "somewhere", Name: "Somewhere in Europe"}
	year := models.Event{Meta: meta(), Slug: "edge-year", Title: "Back-channel contacts", Type: models.EventOther,
		Status: models.StatusHeld, Date: models.MustParseDate("2025~"), Location: models.RefTo(noCoords.ID), LocationData: noCoords}
	return []models.Event{noLoc, minute, span, year}
}

// expAll is the seed dataset followed by the edge cases.
func expAll(t *testing.T) []models.Event {
	return append(expSeedEvents(t), expEdgeEvents()...)
}

// expExport runs events through the exporter of format and entity.
func expExport(t *testing.T, format, entity string, events []models.Event) []byte {
	t.Helper()
	x, err := formats.NewExporter(format, entity)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := x.Begin(&buf); err != nil {
		t.Fatal(err)
	}
	for i := range events {
		if err := x.Event(&events[i]); err != nil {
			t.Fatalf("%s: event %s: %v", format, events[i].Slug, err)
		}
	}
	if err := x.End(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func expFind(events []models.Event, slug string) *models.Event {
	for i := range events {
		if events[i].Slug == slug {
			return &events[i]
		}
	}
	return nil
}

func TestExporterRegistry(t *testing.T) {
	want := map[string][2]string{
		"ndjson":  {"application/x-ndjson", "ndjson"},
		"json":    {"application/json", "json"},
		"csv":     {"text/csv; charset=utf-8", "csv"},
		"geojson": {"application/geo+json", "geojson"},
		"jsonld":  {"application/ld+json", "jsonld"},
		"ics":     {"text/calendar; charset=utf-8", "ics"},
	}
	if len(formats.ExportFormats) != len(want) {
		t.Fatalf("ExportFormats = %v", formats.ExportFormats)
	}
	for _, f := range formats.ExportFormats {
		for _, entity := range []string{"", "events"} {
			x, err := formats.NewExporter(f, entity)
			if err != nil {
				t.Fatalf("%s/%q: %v", f, entity, err)
			}
			if got := [2]string{x.ContentType(), x.FileExtension()}; got != want[f] {
				t.Errorf("%s: content type and extension %v, want %v", f, got, want[f])
			}
		}
	}
	for _, entity := range formats.ExportCSVEntities {
		if _, err := formats.NewExporter("csv", entity); err != nil {
			t.Errorf("csv/%s: %v", entity, err)
		}
	}
	bad := []struct{ format, entity, field string }{
		{"xml", "", "format"},
		{"", "", "format"},
		{"timelinejs", "", "format"},
		{"CSV", "", "format"},
		{"csv", "actors", "entity"},
		{"csv", "Events", "entity"},
		{"geojson", "participants", "entity"},
		{"ndjson", "statements", "entity"},
	}
	for _, b := range bad {
		_, err := formats.NewExporter(b.format, b.entity)
		var me *models.Error
		if !errors.As(err, &me) || me.Code != models.EINVALID || len(me.Fields) != 1 || me.Fields[0].Field != b.field {
			t.Errorf("NewExporter(%q, %q) = %v, want an EINVALID error on %s", b.format, b.entity, err, b.field)
		}
	}
}

func TestExporterMisuse(t *testing.T) {
	for _, f := range formats.ExportFormats {
		x, _ := formats.NewExporter(f, "")
		if err := x.Event(&models.Event{}); err == nil {
			t.Errorf("%s: Event before Begin succeeded", f)
		}
		if err := x.End(); err == nil {
			t.Errorf("%s: End before Begin succeeded", f)
		}
		if err := x.Begin(io.Discard); err != nil {
			t.Fatal(err)
		}
		if err := x.Event(nil); err == nil {
			t.Errorf("%s: nil event accepted", f)
		}
	}
}

// TestExportEmpty: every format is a valid, empty document for zero events.
func TestExportEmpty(t *testing.T) {
	var arr []json.RawMessage
	if out := expExport(t, "json", "", nil); json.Unmarshal(out, &arr) != nil || arr == nil || len(arr) != 0 {
		t.Errorf("json: %q", out)
	}
	if out := expExport(t, "ndjson", "", nil); len(out) != 0 {
		t.Errorf("ndjson: %q", out)
	}
	fc, err := geojson.UnmarshalFeatureCollection(expExport(t, "geojson", "", nil))
	if err != nil || len(fc.Features) != 0 {
		t.Errorf("geojson: %v %v", fc, err)
	}
	var ld map[string]any
	if out := expExport(t, "jsonld", "", nil); json.Unmarshal(out, &ld) != nil || ld["@context"] != "https://schema.org" {
		t.Errorf("jsonld: %q", out)
	} else if g, ok := ld["@graph"].([]any); !ok || len(g) != 0 {
		t.Errorf("jsonld: %q", out)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(expExport(t, "ics", "", nil)))
	if err != nil || len(cal.Events()) != 0 {
		t.Errorf("ics: %v %v", cal, err)
	}
	for _, entity := range formats.ExportCSVEntities {
		recs, err := csv.NewReader(bytes.NewReader(expExport(t, "csv", entity, nil))).ReadAll()
		if err != nil || len(recs) != 1 {
			t.Errorf("csv %s: %v %v", entity, recs, err)
		}
	}
}

func TestExportNDJSON(t *testing.T) {
	events := expAll(t)
	out := expExport(t, "ndjson", "", events)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		if n >= len(events) {
			t.Fatalf("more lines than events")
		}
		want, _ := json.Marshal(&events[n])
		if !bytes.Equal(sc.Bytes(), want) {
			t.Errorf("line %d is not the API's JSON of %s:\n%s\n%s", n, events[n].Slug, sc.Bytes(), want)
		}
		var got struct {
			ID           string                `json:"id"`
			Slug         string                `json:"slug"`
			Title        string                `json:"title"`
			Summary      string                `json:"summary"`
			Date         struct{ EDTF string } `json:"date"`
			Participants []struct {
				ActorID string `json:"actor_id"`
				Actor   *struct {
					Name string `json:"name"`
				} `json:"actor"`
			} `json:"participants"`
			Location   *struct{ Name string }  `json:"location"`
			Sources    []struct{ URL string }  `json:"sources"`
			Statements []struct{ Text string } `json:"statements"`
		}
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		e := &events[n]
		if got.ID != e.ID.String() || got.Slug != e.Slug || got.Title != e.Title || got.Summary != e.Summary ||
			got.Date.EDTF != e.Date.EDTF || len(got.Participants) != len(e.Participants) ||
			len(got.Statements) != len(e.StatementsData) || len(got.Sources) != len(e.SourcesData) ||
			(got.Location == nil) != (e.LocationData == nil) {
			t.Errorf("line %d: %+v", n, got)
		}
		for i, p := range e.Participants {
			if p.ActorData != nil && (got.Participants[i].Actor == nil || got.Participants[i].Actor.Name != p.ActorData.Name) {
				t.Errorf("line %d participant %d: actor not embedded", n, i)
			}
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(events) {
		t.Errorf("%d lines, want %d", n, len(events))
	}
	if !bytes.HasSuffix(out, []byte("}\n")) {
		t.Errorf("does not end with a newline")
	}
}

func TestExportJSON(t *testing.T) {
	events := expAll(t)
	out := expExport(t, "json", "", events)
	var got []json.RawMessage
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(events) {
		t.Fatalf("%d items, want %d", len(got), len(events))
	}
	for i := range events {
		want, _ := json.Marshal(&events[i])
		if !bytes.Equal(got[i], want) {
			t.Errorf("item %d differs from the API's JSON of %s", i, events[i].Slug)
		}
	}
	var decoded []models.Event
	if err := json.Unmarshal(out, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded[0].Slug != events[0].Slug || decoded[len(decoded)-1].Summary != events[len(events)-1].Summary {
		t.Errorf("round trip lost data")
	}
}

// expCSV parses a csv export, checks its header and returns the rows as maps.
func expCSV(t *testing.T, out []byte, columns []string) []map[string]string {
	t.Helper()
	if !utf8.Valid(out) {
		t.Fatal("csv is not UTF-8")
	}
	r := csv.NewReader(bytes.NewReader(out))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], columns) {
		t.Fatalf("header %v, want %v", recs[0], columns)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, c := range columns {
			m[c] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// expCSVText is what encoding/csv reads back for a text cell: guarded against formula
// injection (a single quote before a leading =, +, -, @, tab or CR), and CRLF inside a
// quoted field comes back as LF; nothing else changes.
func expCSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		s = "'" + s
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

func TestExportCSVEvents(t *testing.T) {
	events := expAll(t)
	rows := expCSV(t, expExport(t, "csv", "", events), formats.ExportEventColumns)
	if len(rows) != len(events) {
		t.Fatalf("%d rows, want %d", len(rows), len(events))
	}
	for i, e := range events {
		r := rows[i]
		if r["id"] != e.ID.String() || r["slug"] != e.Slug || r["title"] != e.Title || r["date_edtf"] != e.Date.EDTF ||
			r["summary"] != expCSVText(e.Summary) || r["status"] != string(e.Status) || r["type"] != string(e.Type) ||
			r["date_precision"] != string(e.Date.Precision) || r["statement_count"] != strconv.Itoa(len(e.StatementsData)) ||
			r["tags"] != expCSVText(strings.Join(e.Tags, "; ")) || r["version"] != strconv.Itoa(e.Version) {
			t.Errorf("row %d (%s): %v", i, e.Slug, r)
		}
		if len(e.Participants) > 0 && len(strings.Split(r["participant_ids"], "; ")) != len(e.Participants) {
			t.Errorf("row %d: participant_ids %q", i, r["participant_ids"])
		}
	}
	byslug := map[string]map[string]string{}
	for _, r := range rows {
		byslug[r["slug"]] = r
	}
	moscow := byslug["putin-witkoff-kushner-moscow-meeting"]
	want := map[string]string{
		"participants":          "Vladimir Putin (host); Steve Witkoff (envoy); Jared Kushner (envoy)",
		"participant_countries": "RU; US",
		"location_name":         "Moscow",
		"location_country":      "RU",
		"latitude":              "55.7558",
		"longitude":             "37.6173",
		"date_start":            "2026-01-22T00:00:00Z",
		"date_end":              "2026-01-24T00:00:00Z",
		"date_approximate":      "true",
		"date_uncertain":        "false",
		"cameo_code":            "043",
		"created_at":            "2026-01-25T09:30:00.123456Z",
	}
	for k, v := range want {
		if moscow[k] != v {
			t.Errorf("moscow %s = %q, want %q", k, moscow[k], v)
		}
	}
	day1 := byslug["abu-dhabi-trilateral-talks-day-1"]
	if parent := expFind(events, "abu-dhabi-trilateral-talks"); day1["parent_id"] != parent.ID.String() {
		t.Errorf("day 1 parent_id %q", day1["parent_id"])
	}
	if got := strings.Split(day1["source_ids"], "; "); len(got) != 2 || got[0] != expFind(events, "abu-dhabi-trilateral-talks-day-1").SourcesData[0].ID.String() {
		t.Errorf("day 1 source_ids %q", day1["source_ids"])
	}
	edge := byslug["edge-no-location"]
	if edge["location_id"] != "" || edge["latitude"] != "" || edge["title"] != expTitleQuotes ||
		edge["tags"] != "'+1; -minus; @at" || edge["source_urls"] != "https://example.org/a?b=1,2;c=3" ||
		!strings.HasPrefix(edge["participants"], "Дмитрий Песков (participant); United Arab Emirates (mediator); ") {
		t.Errorf("edge row: %v", edge)
	}
	if y := byslug["edge-year"]; y["location_name"] != "Somewhere in Europe" || y["latitude"] != "" || y["date_approximate"] != "true" {
		t.Errorf("year row: %v", y)
	}
}

func TestExportCSVParticipants(t *testing.T) {
	events := expAll(t)
	rows := expCSV(t, expExport(t, "csv", "participants", events), formats.ExportParticipantColumns)
	n := 0
	for _, e := range events {
		n += len(e.Participants)
	}
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	moscow := expFind(events, "putin-witkoff-kushner-moscow-meeting")
	var found bool
	for _, r := range rows {
		if r["event_slug"] == moscow.Slug && r["actor_slug"] == "steve-witkoff" {
			found = true
			want := map[string]string{"event_id": moscow.ID.String(), "event_date_start": "2026-01-22T00:00:00Z",
				"actor_id": moscow.Participants[1].ActorData.ID.String(), "actor_name": "Steve Witkoff", "actor_kind": "person",
				"actor_country": "US", "role": "envoy", "represents_id": moscow.Participants[1].Represents.ID.String(), "position": "1"}
			for k, v := range want {
				if r[k] != v {
					t.Errorf("witkoff %s = %q, want %q", k, r[k], v)
				}
			}
		}
		if r["event_slug"] == "edge-no-location" && r["role"] == "observer" && (r["actor_name"] != "" || r["actor_id"] == "") {
			t.Errorf("not embedded participant: %v", r)
		}
	}
	if !found {
		t.Error("no row for Witkoff in Moscow")
	}
}

func TestExportCSVStatements(t *testing.T) {
	events := expAll(t)
	rows := expCSV(t, expExport(t, "csv", "statements", events), formats.ExportStatementColumns)
	var want []*models.Statement
	var of []*models.Event
	for i := range events {
		for j := range events[i].StatementsData {
			want = append(want, &events[i].StatementsData[j])
			of = append(of, &events[i])
		}
	}
	if len(rows) != len(want) || len(rows) < 15 {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, s := range want {
		r := rows[i]
		if r["statement_id"] != s.ID.String() || r["event_id"] != of[i].ID.String() || r["event_slug"] != of[i].Slug ||
			r["speaker_id"] != s.Speaker.ID.String() || r["text"] != expCSVText(s.Text) || r["quote"] != strconv.FormatBool(s.Quote) ||
			r["attribution"] != s.Attribution || r["medium"] != s.Medium || r["language"] != s.Language ||
			r["date_edtf"] != s.Date.EDTF || len(strings.Split(r["source_ids"], "; ")) != len(s.Sources) {
			t.Errorf("row %d: %v", i, r)
		}
	}
	last := rows[len(rows)-1]
	if !strings.HasPrefix(last["text"], "'"+expFormula+"\n") || last["date_start"] != "2026-02-01T00:00:00Z" || last["date_end"] != "2026-02-02T00:00:00Z" {
		t.Errorf("edge statement: %v", last)
	}
}

func TestExportGeoJSON(t *testing.T) {
	events := expAll(t)
	out := expExport(t, "geojson", "", events)
	fc, err := geojson.UnmarshalFeatureCollection(out)
	if err != nil {
		t.Fatal(err)
	}
	var located []*models.Event
	for i := range events {
		if l := events[i].LocationData; l != nil && l.Latitude != nil {
			located = append(located, &events[i])
		}
	}
	if len(fc.Features) != len(located) || len(located) != len(events)-2 {
		t.Fatalf("%d features for %d located events of %d", len(fc.Features), len(located), len(events))
	}
	for i, f := range fc.Features {
		e := located[i]
		pt, ok := f.Geometry.(orb.Point)
		if !ok {
			t.Fatalf("feature %d: geometry %T", i, f.Geometry)
		}
		if pt.Lon() != *e.LocationData.Longitude || pt.Lat() != *e.LocationData.Latitude {
			t.Errorf("%s: point %v, want lon %v lat %v", e.Slug, pt, *e.LocationData.Longitude, *e.LocationData.Latitude)
		}
		if f.ID != e.ID.String() || f.Properties.MustString("slug") != e.Slug || f.Properties.MustString("title") != e.Title ||
			f.Properties.MustString("date") != e.Date.EDTF || f.Properties.MustString("status") != string(e.Status) ||
			f.Properties.MustString("location") != e.LocationData.Name || f.Properties.MustString("id") != e.ID.String() {
			t.Errorf("%s: properties %v", e.Slug, f.Properties)
		}
	}
	// The raw order: [longitude, latitude]; Anchorage is west of Greenwich.
	var raw struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	first := raw.Features[0]
	if raw.Type != "FeatureCollection" || first.Type != "Feature" || first.Geometry.Type != "Point" ||
		!slices.Equal(first.Geometry.Coordinates, []float64{-149.9003, 61.2181}) {
		t.Errorf("first feature %+v", first)
	}
	if got := first.Properties["participants"]; fmt.Sprint(got) != "[Vladimir Putin Donald Trump]" {
		t.Errorf("participants %v", got)
	}
	if got := first.Properties["date_display"]; got != "August 2025" {
		t.Errorf("date_display %v", got)
	}
}

func TestExportJSONLD(t *testing.T) {
	events := expAll(t)
	out := expExport(t, "jsonld", "", events)
	var doc struct {
		Context string           `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Context != "https://schema.org" || len(doc.Graph) != len(events) {
		t.Fatalf("@context %q, %d items", doc.Context, len(doc.Graph))
	}
	status := map[models.EventStatus]string{
		models.StatusHeld: "https://schema.org/EventScheduled", models.StatusScheduled: "https://schema.org/EventScheduled",
		models.StatusPostponed: "https://schema.org/EventPostponed", models.StatusCancelled: "https://schema.org/EventCancelled",
	}
	for i, item := range doc.Graph {
		e := &events[i]
		if item["@type"] != "Event" || item["@id"] != "urn:uuid:"+e.ID.String() || item["name"] != e.Title ||
			item["identifier"] != e.Slug || item["eventStatus"] != status[e.Status] || item["startDate"] == nil ||
			item["endDate"] == nil || item["additionalType"] != string(e.Type) {
			t.Errorf("item %d (%s): %v", i, e.Slug, item)
		}
		if e.Summary != "" && item["description"] != e.Summary {
			t.Errorf("%s: description %v", e.Slug, item["description"])
		}
		if att, _ := item["attendee"].([]any); len(e.Participants) > 0 && len(att) == 0 {
			t.Errorf("%s: no attendee", e.Slug)
		}
		if e.LocationData == nil {
			if item["location"] != nil {
				t.Errorf("%s: location %v", e.Slug, item["location"])
			}
			continue
		}
		loc := item["location"].(map[string]any)
		if loc["@type"] != "Place" || loc["name"] != e.LocationData.Name {
			t.Errorf("%s: location %v", e.Slug, loc)
		}
		if e.LocationData.Latitude != nil {
			geo := loc["geo"].(map[string]any)
			if geo["@type"] != "GeoCoordinates" || geo["latitude"] != *e.LocationData.Latitude || geo["longitude"] != *e.LocationData.Longitude {
				t.Errorf("%s: geo %v", e.Slug, geo)
			}
		}
	}
	by := map[string]map[string]any{}
	for _, item := range doc.Graph {
		by[item["identifier"].(string)] = item
	}
	dates := map[string][2]string{
		"putin-trump-anchorage-summit":         {"2025-08", "2025-08"},
		"putin-witkoff-kushner-moscow-meeting": {"2026-01-22", "2026-01-23"},
		"abu-dhabi-trilateral-talks":           {"2026-01-23", "2026-01-24"},
		"abu-dhabi-trilateral-talks-day-1":     {"2026-01-23", "2026-01-23"},
		"edge-minute":                          {"2026-01-23T18:00+04:00", "2026-01-23T18:00+04:00"},
		"edge-minute-span":                     {"2026-01-24T10:00+04:00", "2026-01-24T14:30+04:00"},
		"edge-year":                            {"2025", "2025"},
	}
	for slug, d := range dates {
		if got := [2]any{by[slug]["startDate"], by[slug]["endDate"]}; got != [2]any{d[0], d[1]} {
			t.Errorf("%s: dates %v, want %v", slug, got, d)
		}
	}
	moscow := by["putin-witkoff-kushner-moscow-meeting"]
	org := moscow["organizer"].([]any)
	attendees := moscow["attendee"].([]any)
	putin := attendees[0].(map[string]any)
	if len(org) != 1 || org[0].(map[string]any)["@id"] != putin["@id"] || putin["name"] != "Vladimir Putin" ||
		putin["@type"] != "Person" || len(attendees) != 3 {
		t.Errorf("moscow organizer %v, attendees %v", org, attendees)
	}
	if putin["jobTitle"] != "President of Russia" || fmt.Sprint(putin["sameAs"]) != "[https://www.wikidata.org/wiki/Q7747]" ||
		putin["nationality"].(map[string]any)["identifier"] != "RU" {
		t.Errorf("putin %v", putin)
	}
	talks := by["abu-dhabi-trilateral-talks"]
	for _, a := range talks["attendee"].([]any) {
		if a.(map[string]any)["@type"] != "GovernmentOrganization" {
			t.Errorf("state attendee %v", a)
		}
	}
	var quotes, works int
	for _, w := range talks["subjectOf"].([]any) {
		m := w.(map[string]any)
		switch m["@type"] {
		case "Quotation":
			quotes++
			if m["text"] == "" || m["creator"].(map[string]any)["@id"] == nil || m["citation"] == nil || m["dateCreated"] != "2026-01-23" {
				t.Errorf("quotation %v", m)
			}
		case "CreativeWork":
			works++
			if m["name"] != nil && m["publisher"].(map[string]any)["@type"] != "Organization" {
				t.Errorf("source %v", m)
			}
		default:
			t.Errorf("subjectOf %v", m)
		}
	}
	if quotes != 2 || works != 3+1 { // three sources and one paraphrase
		t.Errorf("talks: %d quotations and %d works", quotes, works)
	}
	day1 := by["abu-dhabi-trilateral-talks-day-1"]
	if day1["superEvent"].(map[string]any)["@id"] != talks["@id"] {
		t.Errorf("day 1 superEvent %v", day1["superEvent"])
	}
	edge := by["edge-no-location"]
	var edgeQuote map[string]any
	for _, w := range edge["subjectOf"].([]any) {
		if m := w.(map[string]any); m["@type"] == "Quotation" {
			edgeQuote = m
		}
	}
	if edgeQuote == nil || edgeQuote["creator"].(map[string]any)["name"] != "Дмитрий Песков" ||
		edgeQuote["description"] != "Peskov, to reporters, briefing" {
		t.Errorf("edge quotation %v", edgeQuote)
	}
}

// expICSLines checks RFC 5545's line rules on raw output: CRLF everywhere, at most 75
// octets a line, and folding that never splits a UTF-8 sequence.
func expICSLines(t *testing.T, out []byte) {
	t.Helper()
	s := string(out)
	if !strings.HasSuffix(s, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") ||
		strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") {
		t.Fatal("ics lines do not all end with CRLF")
	}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(line) > 75 || !utf8.ValidString(line) {
			t.Errorf("bad content line (%d octets): %q", len(line), line)
		}
	}
}

func TestExportICS(t *testing.T) {
	events := expAll(t)
	out := expExport(t, "ics", "", events)
	expICSLines(t, out)
	cal, err := ics.ParseCalendar(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	vevents := cal.Events()
	if len(vevents) != len(events) {
		t.Fatalf("%d VEVENTs, want %d", len(vevents), len(events))
	}
	prop := func(v *ics.VEvent, p ics.ComponentProperty) (string, map[string][]string) {
		if x := v.GetProperty(p); x != nil {
			return ics.FromText(x.Value), x.ICalParameters
		}
		return "", nil
	}
	for i, v := range vevents {
		e := &events[i]
		if uid, _ := prop(v, ics.ComponentPropertyUniqueId); uid != e.ID.String()+"@parley" {
			t.Errorf("%s: UID %q", e.Slug, uid)
		}
		if sum, _ := prop(v, ics.ComponentPropertySummary); sum != e.Title {
			t.Errorf("%s: SUMMARY %q", e.Slug, sum)
		}
		if st, _ := prop(v, ics.ComponentPropertyDtstamp); st == "" {
			t.Errorf("%s: no DTSTAMP", e.Slug)
		}
		start, params := prop(v, ics.ComponentPropertyDtStart)
		allDay := e.Date.Precision != models.PrecisionMinute && e.Date.Precision != models.PrecisionSecond
		if allDay != slices.Equal(params["VALUE"], []string{"DATE"}) {
			t.Errorf("%s: DTSTART %q %v", e.Slug, start, params)
		}
		if allDay {
			if start != e.Date.Start.Format("20060102") {
				t.Errorf("%s: DTSTART %q", e.Slug, start)
			}
			got, err := v.GetAllDayStartAt()
			if err != nil || !got.Equal(e.Date.Start) {
				t.Errorf("%s: all-day start %v %v", e.Slug, got, err)
			}
		}
		desc, _ := prop(v, ics.ComponentPropertyDescription)
		if !strings.Contains(desc, "Date: "+formats.DisplayDate(e.Date)) {
			t.Errorf("%s: DESCRIPTION %q", e.Slug, desc)
		}
		if e.Summary != "" && !strings.HasPrefix(desc, strings.ReplaceAll(e.Summary, "\r\n", "\n")) {
			t.Errorf("%s: DESCRIPTION %q lacks the summary", e.Slug, desc)
		}
		var cats []string
		for _, c := range v.GetProperties(ics.ComponentPropertyCategories) {
			cats = append(cats, ics.FromText(c.Value))
		}
		if !slices.Equal(cats, append([]string{string(e.Type)}, e.Tags...)) {
			t.Errorf("%s: CATEGORIES %v", e.Slug, cats)
		}
	}
	by := map[string]*ics.VEvent{}
	for i, v := range vevents {
		by[events[i].Slug] = v
	}
	spans := map[string][2]string{
		"putin-trump-anchorage-summit":         {"20250801", "20250901"},
		"zelensky-trump-davos-meeting":         {"20260122", "20260123"},
		"putin-witkoff-kushner-moscow-meeting": {"20260122", "20260124"},
		"abu-dhabi-trilateral-talks":           {"20260123", "20260125"},
		"edge-minute":                          {"20260123T140000Z", "20260123T140100Z"},
		"edge-minute-span":                     {"20260124T060000Z", "20260124T103100Z"},
		"edge-year":                            {"20250101", "20260101"},
		"edge-no-location":                     {"20260201", "20260301"},
	}
	for slug, want := range spans {
		s, _ := prop(by[slug], ics.ComponentPropertyDtStart)
		e, _ := prop(by[slug], ics.ComponentPropertyDtEnd)
		if [2]string{s, e} != want {
			t.Errorf("%s: DTSTART/DTEND %s/%s, want %v", slug, s, e, want)
		}
	}
	status := map[string]string{"putin-trump-anchorage-summit": "CONFIRMED", "abu-dhabi-trilateral-talks-day-2": "CONFIRMED",
		"edge-no-location": "TENTATIVE", "edge-minute": "CANCELLED"}
	for slug, want := range status {
		if got, _ := prop(by[slug], ics.ComponentPropertyStatus); got != want {
			t.Errorf("%s: STATUS %q, want %q", slug, got, want)
		}
	}
	if geo, _ := prop(by["zelensky-trump-davos-meeting"], ics.ComponentPropertyGeo); geo != "46.8091;9.8398" {
		t.Errorf("GEO %q", geo)
	}
	if loc, _ := prop(by["zelensky-trump-davos-meeting"], ics.ComponentPropertyLocation); loc != "Davos" {
		t.Errorf("LOCATION %q", loc)
	}
	edge := by["edge-no-location"]
	if loc, _ := prop(edge, ics.ComponentPropertyLocation); loc != "" {
		t.Errorf("edge LOCATION %q", loc)
	}
	if u, _ := prop(edge, ics.ComponentPropertyUrl); u != "https://example.org/a?b=1,2;c=3" {
		t.Errorf("edge URL %q", u)
	}
	if d, _ := prop(edge, ics.ComponentPropertyDescription); !strings.Contains(d, "Participants: Дмитрий Песков (participant), United Arab Emirates (mediator), ") {
		t.Errorf("edge DESCRIPTION %q", d)
	}
	if d, _ := prop(by["edge-minute"], ics.ComponentPropertyDescription); !strings.HasPrefix(d, expLongCyrillic+"\n\nDate: 23 January 2026, 18:00 (UTC+04:00)") {
		t.Errorf("minute DESCRIPTION %q", d)
	}
}

// expCounter counts the bytes written, so the memory test knows output was produced.
type expCounter struct{ n int64 }

func (c *expCounter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// expSynthetic is a small event with everything embedded: a participant, a location,
// a source and a quote.
func expSynthetic() *models.Event {
	e := expEdgeEvents()[0]
	p := e.Participants[0]
	p.ActorData = &models.Actor{Meta: p.ActorData.Meta, Slug: "a", Name: "Actor", Kind: models.ActorPerson, Country: "RU"}
	e.Participants = []models.Participant{p}
	loc := expEdgeEvents()[1].LocationData
	e.Location, e.LocationData = models.RefTo(loc.ID), loc
	e.Date = models.MustParseDate("2026-01-23/2026-01-24")
	e.Summary = "A meeting, in short."
	e.StatementsData[0].Text = "Quoted text."
	return &e
}

// expRace reports whether the test binary was built with the race detector, which
// makes encoding several times slower.
func expRace() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}

// TestExportConstantMemory streams 100,000 events through each exporter and checks
// that the live heap, sampled after a collection ten times along the way, stays within
// a small bound: at most 16 MiB, and at most an eighth of the output (1 MiB at least),
// so that an exporter keeping even part of what it wrote fails. Under the race detector,
// which slows encoding about tenfold, 5,000 events.
func TestExportConstantMemory(t *testing.T) {
	count := 100_000
	if expRace() || testing.Short() {
		count = 5_000
	}
	every := count / 10
	e := expSynthetic()
	type run struct{ format, entity string }
	runs := []run{{"ndjson", ""}, {"json", ""}, {"csv", ""}, {"csv", "participants"}, {"csv", "statements"},
		{"geojson", ""}, {"jsonld", ""}, {"ics", ""}}
	var ms runtime.MemStats
	for _, r := range runs {
		t.Run(r.format+"/"+r.entity, func(t *testing.T) {
			start := time.Now()
			runtime.GC()
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			var peak uint64
			x, err := formats.NewExporter(r.format, r.entity)
			if err != nil {
				t.Fatal(err)
			}
			w := &expCounter{}
			if err := x.Begin(w); err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= count; i++ {
				e.Slug = "synthetic-" + strconv.Itoa(i)
				e.Version = i
				if err := x.Event(e); err != nil {
					t.Fatal(err)
				}
				if i%every == 0 {
					runtime.GC()
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
			}
			if err := x.End(); err != nil {
				t.Fatal(err)
			}
			growth := int64(peak) - int64(base)
			bound := min(16<<20, max(1<<20, w.n/8))
			t.Logf("%d events, %d KiB written, live heap growth %d KiB (bound %d KiB), %v",
				count, w.n>>10, growth>>10, bound>>10, time.Since(start).Round(time.Millisecond))
			if growth > bound {
				t.Errorf("live heap grew by %d KiB while streaming", growth>>10)
			}
			if w.n < int64(count)*100 {
				t.Errorf("only %d bytes written", w.n)
			}
		})
	}
}
