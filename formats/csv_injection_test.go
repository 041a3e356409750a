package formats_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

// csvFormulaStarts are the characters OWASP lists as starting a spreadsheet formula.
const csvFormulaStarts = "=+-@\t\r"

// injectionEvent is an event every text of which (down to its slug, type, tags, the
// embedded actors, location, sources and statements) starts with c, located at negative
// coordinates.
func injectionEvent(c string) models.Event {
	actor := &models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: c + "actor", Name: c + "Actor name",
		Kind: models.ActorKind(c + "kind"), Country: c + "AA"}
	loc := &models.Location{Meta: models.Meta{ID: models.NewID()}, Slug: c + "loc", Name: c + "Location",
		Country: c + "CL", Latitude: expFloat(-33.9), Longitude: expFloat(-70.65)}
	src := models.Source{Meta: models.Meta{ID: models.NewID()}, Slug: c + "src", Outlet: c + "Outlet",
		URL: c + "https://example.org/x", Published: models.MustParseDate("2026")}
	e := models.Event{Meta: models.Meta{ID: models.NewID(), Version: 1}, Slug: c + "slug", Title: c + "cmd|' /C calc'!A0",
		Type: models.EventType(c + "type"), CAMEO: c + "043", Status: models.EventStatus(c + "status"),
		Date: models.MustParseDate("2026-01-23"), Summary: c + "SUM(1+1)*cmd|' /C calc'!A0", Tags: []string{c + "tag", "second"},
		Location: models.RefTo(loc.ID), LocationData: loc,
		Sources: []*models.Ref{models.RefTo(src.ID)}, SourcesData: []models.Source{src}}
	e.Participants = []models.Participant{{Actor: models.Ref{ID: actor.ID}, Role: models.Role(c + "role"), ActorData: actor}}
	e.StatementsData = []models.Statement{{Meta: models.Meta{ID: models.NewID()}, Text: c + "HYPERLINK(\"http://x\")",
		Speaker: &models.Ref{ID: actor.ID}, Attribution: c + "an official", Medium: c + "briefing", Language: c + "en",
		Date: models.MustParseDate("2026-01-23")}}
	// Negative measures: a minus sign must not read as a formula start either.
	q, n := 3, 0
	e.Measures = models.EventMeasures{Goldstein: expFloat(-10), QuadClass: &q, AvgTone: expFloat(-2.5),
		NumMentions: &n, NumSources: &n, NumArticles: &n}
	return e
}

// TestCSVFormulaInjection: in every csv table, read back with encoding/csv, every text
// cell that started with =, +, -, @, tab or CR comes out with a single quote before it
// and is otherwise unchanged, no text cell starts with one of them, and the numbers
// parley writes (negative coordinates included) come out as plain numbers.
func TestCSVFormulaInjection(t *testing.T) {
	t.Parallel()
	tables := map[string][]string{
		"events":       formats.ExportEventColumns,
		"participants": formats.ExportParticipantColumns,
		"statements":   formats.ExportStatementColumns,
	}
	// The cells of injectionEvent that hold a user text, as stored, per table.
	stored := func(c string) map[string]map[string]string {
		return map[string]map[string]string{
			"events": {"slug": c + "slug", "title": c + "cmd|' /C calc'!A0", "type": c + "type", "cameo_code": c + "043",
				"status": c + "status", "location_name": c + "Location", "location_country": c + "CL",
				"summary": c + "SUM(1+1)*cmd|' /C calc'!A0"},
			"participants": {"event_slug": c + "slug", "actor_slug": c + "actor", "actor_name": c + "Actor name",
				"actor_kind": c + "kind", "actor_country": c + "AA", "role": c + "role"},
			"statements": {"event_slug": c + "slug", "text": c + "HYPERLINK(\"http://x\")", "attribution": c + "an official",
				"medium": c + "briefing", "language": c + "en"},
		}
	}
	// The list cells of injectionEvent, as members.
	lists := func(c string) map[string][]string {
		return map[string][]string{"tags": {c + "tag", "second"}, "participants": {c + "Actor name (" + c + "role)"},
			"participant_countries": {c + "AA"}, "source_urls": {c + "https://example.org/x"}}
	}
	for _, c := range csvFormulaStarts {
		e := injectionEvent(string(c))
		for entity, columns := range tables {
			t.Run(fmt.Sprintf("%q/%s", c, entity), func(t *testing.T) {
				out := expExport(t, "csv", entity, []models.Event{e})
				recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if len(recs) != 2 || !slices.Equal(recs[0], columns) {
					t.Fatalf("want a header and one row, got %q", recs)
				}
				row := recs[1]
				want := stored(string(c))[entity]
				for i, col := range columns {
					cell := row[i]
					if slices.Contains(formats.CSVNumericColumns, col) {
						if _, err := strconv.ParseFloat(cell, 64); err != nil {
							t.Errorf("numeric column %s = %q, not a number", col, cell)
						}
						continue
					}
					if cell != "" && strings.ContainsRune(csvFormulaStarts, rune(cell[0])) {
						t.Errorf("text column %s = %q starts a formula", col, cell)
					}
					if s, ok := want[col]; ok && cell != "'"+s {
						t.Errorf("text column %s = %q, want %q", col, cell, "'"+s)
					}
					if members, ok := lists(string(c))[col]; ok && entity == "events" {
						if got := splitListCell(t, cell); !slices.Equal(got, members) {
							t.Errorf("list column %s = %q reads as %q, want %q", col, cell, got, members)
						}
					}
				}
				if entity == "events" {
					lat, lon := row[slices.Index(columns, "latitude")], row[slices.Index(columns, "longitude")]
					if lat != "-33.9" || lon != "-70.65" {
						t.Errorf("coordinates %q, %q, want -33.9, -70.65 as written", lat, lon)
					}
				}
			})
		}
	}
	// A text that starts with the guard itself gets one more, so that stripping one
	// always gives the text back.
	e := injectionEvent("x")
	e.Title = "'Tis the season"
	recs, err := csv.NewReader(bytes.NewReader(expExport(t, "csv", "", []models.Event{e}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[1][slices.Index(formats.ExportEventColumns, "title")]; got != "''Tis the season" {
		t.Errorf("title %q, want the guard before the quote", got)
	}
	// A text that merely contains those characters, or starts with anything else, is
	// written as it is.
	e = injectionEvent("x")
	e.Title = "Talks = progress, +1 @ Geneva - day 2"
	recs, err = csv.NewReader(bytes.NewReader(expExport(t, "csv", "", []models.Event{e}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[1][slices.Index(formats.ExportEventColumns, "title")]; got != e.Title {
		t.Errorf("plain title %q, want it unchanged", got)
	}
}
