package formats_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

// TestExportClaims: the claims table has one row per (entity, source, claim), credits
// the source through the one it came via, and keeps hostile quotes (formula starts,
// quotes, separators, line breaks) readable by a strict CSV parser, Go's and Python's,
// with the formula guard.
func TestExportClaims(t *testing.T) {
	t.Parallel()
	meduza := models.Source{Meta: models.Meta{ID: models.NewID()}, Slug: "meduza", Outlet: "Meduza", Title: "Live", Published: models.MustParseDate("2026")}
	nbc := models.Source{Meta: models.Meta{ID: models.NewID()}, Slug: "nbc", Outlet: "NBC News", Title: "=Report",
		Via: models.RefTo(meduza.ID), ViaData: &meduza, Published: models.MustParseDate("2026")}
	quotes := []string{"=HYPERLINK(\"x\")", "said \"yes\"; then\nleft", "plain"}
	e := models.Event{Meta: models.Meta{ID: models.NewID()}, Slug: "talks", Title: "Talks", Date: models.MustParseDate("2026-01-23"),
		Sources: []*models.Ref{models.RefTo(meduza.ID), models.RefTo(nbc.ID)}, SourcesData: []models.Source{meduza, nbc},
		Evidence: []models.Evidence{
			{Source: models.RefTo(nbc.ID), Supports: []string{"date", "status"}, Quote: quotes[0]},
			{Source: models.RefTo(meduza.ID), Supports: []string{"location"}, Quote: quotes[1]},
		},
		StatementsData: []models.Statement{{Meta: models.Meta{ID: models.NewID()}, Text: "x",
			Evidence: []models.Evidence{{Source: models.RefTo(nbc.ID), Supports: []string{"text"}, Quote: quotes[2]}}}},
	}
	out := expExport(t, "claims", "", []models.Event{e})
	rows := expCSV(t, out, formats.ExportClaimColumns)
	type row struct{ typ, slug, src, title, credit, claim, quote string }
	want := []row{
		{"event", "talks", nbc.ID.String(), "'=Report", "NBC News, via Meduza", "date", "'" + quotes[0]},
		{"event", "talks", nbc.ID.String(), "'=Report", "NBC News, via Meduza", "status", "'" + quotes[0]},
		{"event", "talks", meduza.ID.String(), "Live", "Meduza", "location", quotes[1]},
		{"statement", "", nbc.ID.String(), "'=Report", "NBC News, via Meduza", "text", quotes[2]},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %v", len(rows), len(want), rows)
	}
	for i, r := range rows {
		got := row{r["entity_type"], r["entity_slug"], r["source_id"], r["source_title"], r["credit"], r["claim"], r["quote"]}
		if got != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, got, want[i])
		}
	}
	if rows[3]["entity_id"] != e.StatementsData[0].ID.String() {
		t.Errorf("statement row names %q", rows[3]["entity_id"])
	}

	python, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 not installed: the Python reading is not checked")
		return
	}
	cmd := exec.Command(python, "-c", `import csv, json, sys
json.dump([r["quote"] for r in csv.DictReader(sys.stdin, strict=True)], sys.stdout)`)
	cmd.Stdin = bytes.NewReader(out)
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var got []string
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"'" + quotes[0], "'" + quotes[0], quotes[1], quotes[2]}) {
		t.Errorf("Python reads %q", got)
	}
}

// TestCreditChain: the credit names each relay in turn and stops at MaxViaChain.
func TestCreditChain(t *testing.T) {
	t.Parallel()
	a := &models.Source{Outlet: "A"}
	b := &models.Source{Outlet: "B", ViaData: a}
	c := &models.Source{Title: "Untitled outlet", ViaData: b}
	if got := models.Credit(c); got != "Untitled outlet, via B, via A" {
		t.Errorf("credit %q", got)
	}
	loop := &models.Source{Outlet: "L"}
	loop.ViaData = loop
	if got := models.Credit(loop); len(got) > 200 {
		t.Errorf("a loop is not bounded: %d bytes", len(got))
	}
}
