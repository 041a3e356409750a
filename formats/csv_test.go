package formats_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

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
// injection (a single quote before a leading =, +, -, @, tab, CR or '), and CRLF inside a
// quoted field comes back as LF; nothing else changes.
func expCSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0])) {
		s = "'" + s
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

func TestExportCSVEvents(t *testing.T) {
	t.Parallel()
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
		edge["tags"] != "'+1; -minus; @at" || edge["source_urls"] != `"https://example.org/a?b=1,2;c=3"` ||
		!strings.HasPrefix(edge["participants"], "Дмитрий Песков (participant); United Arab Emirates (mediator); ") {
		t.Errorf("edge row: %v", edge)
	}
	if y := byslug["edge-year"]; y["location_name"] != "Somewhere in Europe" || y["latitude"] != "" || y["date_approximate"] != "true" {
		t.Errorf("year row: %v", y)
	}
}

func TestExportCSVParticipants(t *testing.T) {
	t.Parallel()
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
				"actor_country": "US", "role": "envoy", "represents_id": moscow.Participants[1].Represents.ID.String(), "represents_name": "United States",
				"position": "1"}
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
	t.Parallel()
	events := expAll(t)
	speakerName := func(s *models.Statement) string {
		if s.SpeakerData == nil {
			return ""
		}
		return expCSVText(s.SpeakerData.Name)
	}
	refText := func(r *models.Ref) string {
		if r == nil {
			return ""
		}
		return r.ID.String()
	}
	speaksForName := func(s *models.Statement) string {
		if s.SpeaksForData == nil {
			return ""
		}
		return expCSVText(s.SpeaksForData.Name)
	}
	named, onBehalf, withContext := 0, 0, 0
	rows := expCSV(t, expExport(t, "csv", "statements", events), formats.ExportStatementColumns)
	var want []*models.Statement
	var of []*models.Event
	for i := range events {
		for j := range events[i].StatementsData {
			want = append(want, &events[i].StatementsData[j])
			of = append(of, &events[i])
		}
	}
	if len(rows) != len(want) || len(rows) < 14 {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, s := range want {
		r := rows[i]
		if r["statement_id"] != s.ID.String() || r["event_id"] != of[i].ID.String() || r["event_slug"] != of[i].Slug ||
			r["speaker_id"] != refText(s.Speaker) || r["speaker_name"] != speakerName(s) || r["text"] != expCSVText(s.Text) || r["context"] != expCSVText(s.Context) || r["quote"] != strconv.FormatBool(s.Quote) ||
			r["attribution"] != s.Attribution || r["speaks_for_id"] != refText(s.SpeaksFor) || r["speaks_for_name"] != speaksForName(s) || r["medium"] != s.Medium || r["language"] != s.Language ||
			r["date_edtf"] != s.Date.EDTF || len(strings.Split(r["source_ids"], "; ")) != len(s.Sources) {
			t.Errorf("row %d: %v", i, r)
		}
		if r["speaker_name"] != "" {
			named++
		}
		if r["context"] != "" {
			withContext++
		}
		if r["speaks_for_name"] != "" {
			onBehalf++
			if r["speaker_id"] != "" || r["attribution"] == "" {
				t.Errorf("row %d: an unnamed speaker with a speaker or without attribution: %v", i, r)
			}
		}
	}
	// The White House official's two statements speak for the White House; the TASS
	// source is known to speak for no one. Eight quoted fragments carry their sentence.
	if named < 10 || onBehalf != 2 || withContext != 8 {
		t.Errorf("%d statements name their speaker, %d an organisation an unnamed speaker speaks for (want 2), %d have a context (want 8)", named, onBehalf, withContext)
	}
	last := rows[len(rows)-1]
	if !strings.HasPrefix(last["text"], "'"+expFormula+"\n") || last["date_start"] != "2026-02-01T00:00:00Z" || last["date_end"] != "2026-02-02T00:00:00Z" {
		t.Errorf("edge statement: %v", last)
	}
}

// splitListCell reads a list cell as its documentation says: strip the formula guard
// (one leading '), then read the cell as one CSV record separated by ";" and a space,
// strictly (no lazy quotes).
func splitListCell(t *testing.T, cell string) []string {
	t.Helper()
	cell = strings.TrimPrefix(cell, "'")
	if cell == "" {
		return nil
	}
	r := csv.NewReader(strings.NewReader(cell))
	r.Comma, r.TrimLeadingSpace = ';', true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("list cell %q: %v", cell, err)
	}
	if len(recs) != 1 {
		t.Fatalf("list cell %q is %d records", cell, len(recs))
	}
	return recs[0]
}

// TestCSVListCells: names, tags and URLs with "; ", quotes, leading spaces, line breaks
// and formula characters come back as the same members through a strict CSV parser
// (the file with encoding/csv, then each list cell with the recipe of
// ExportEventColumns), and through Python's csv module when python3 is installed.
func TestCSVListCells(t *testing.T) {
	t.Parallel()
	names := []string{`Smith; "Jr."`, "O'Neil", " spaced ", "=1+1", "Line\nbreak", "Plain Name"}
	e := injectionEvent("x")
	e.Tags = []string{"a", "b;c"}
	e.Participants = nil
	for i, n := range names {
		a := &models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: fmt.Sprintf("a-%d", i), Name: n, Country: "RU"}
		e.Participants = append(e.Participants, models.Participant{Actor: models.Ref{ID: a.ID}, Role: models.RoleParticipant, ActorData: a})
	}
	e.SourcesData[0].URL = "https://example.org/a;b?c=\"d\""
	out := expExport(t, "csv", "", []models.Event{e})
	rows := expCSV(t, out, formats.ExportEventColumns)
	var wantParts []string
	for _, n := range names {
		wantParts = append(wantParts, n+" (participant)")
	}
	for col, want := range map[string][]string{
		"participants": wantParts,
		"tags":         {"a", "b;c"},
		"source_urls":  {"https://example.org/a;b?c=\"d\""},
	} {
		if got := splitListCell(t, rows[0][col]); !slices.Equal(got, want) {
			t.Errorf("%s = %q reads as %q, want %q", col, rows[0][col], got, want)
		}
	}
	// The plain case stays as people read it.
	if cell := rows[0]["participants"]; !strings.HasSuffix(cell, "; Plain Name (participant)") {
		t.Errorf("participants %q", cell)
	}
	if len(strings.Split(rows[0]["participant_ids"], "; ")) != len(names) {
		t.Errorf("participant_ids %q", rows[0]["participant_ids"])
	}

	python, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 not installed: the Python reading is not checked")
		return
	}
	script := `import csv, json, sys
rows = list(csv.DictReader(sys.stdin, strict=True))
def split(cell):
    if cell.startswith("'"):
        cell = cell[1:]
    return next(csv.reader([cell], delimiter=";", skipinitialspace=True, strict=True)) if cell else []
json.dump({k: split(rows[0][k]) for k in ("participants", "tags", "source_urls")}, sys.stdout)`
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = bytes.NewReader(out)
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var got map[string][]string
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatalf("python3 output %s: %v", res, err)
	}
	if !slices.Equal(got["participants"], wantParts) || !slices.Equal(got["tags"], []string{"a", "b;c"}) ||
		!slices.Equal(got["source_urls"], []string{"https://example.org/a;b?c=\"d\""}) {
		t.Errorf("Python reads %q", got)
	}
}
