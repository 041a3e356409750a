package formats_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/paulmach/orb/geojson"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

// expSeedFile is the shape of seed/dataset.json.
type expSeedFile struct {
	Actors     []models.Actor     `json:"actors"`
	Locations  []models.Location  `json:"locations"`
	Outlets    []models.Outlet    `json:"outlets"`
	Sources    []models.Source    `json:"sources"`
	Events     []models.Event     `json:"events"`
	Statements []models.Statement `json:"statements"`
}

// expSeedEvents reads the built-in dataset and embeds what the store's include would:
// every reference resolved to an id, participants' actors and whom they represent, the
// location, the sources and the statements about each event with their speakers.
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
		if s.Speaker != nil {
			s.SpeakerData = actors[s.Speaker.Slug]
		}
		if s.SpeaksFor != nil {
			s.SpeaksForData = actors[s.SpeaksFor.Slug]
		}
		resolve(s.Speaker, actorID)
		resolve(s.SpeaksFor, actorID)
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
			if p.Represents != nil {
				p.RepresentsData = actors[p.Represents.Slug]
			}
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
		Speaker: &models.Ref{ID: peskov.ID}, Attribution: "Peskov, to reporters", Medium: "briefing",
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
	t.Parallel()
	want := map[string][2]string{
		"ndjson":  {"application/x-ndjson", "ndjson"},
		"json":    {"application/json", "json"},
		"csv":     {"text/csv; charset=utf-8", "csv"},
		"geojson": {"application/geo+json", "geojson"},
		"jsonld":  {"application/ld+json", "jsonld"},
		"ics":     {"text/calendar; charset=utf-8", "ics"},
		"claims":  {"text/csv; charset=utf-8", "csv"},
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
	t.Parallel()
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
	t.Parallel()
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
	// Not parallel: it measures the heap, which other tests would grow.
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
