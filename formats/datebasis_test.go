package formats_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

// TestSourceDateBasis: a source dated by GDELT's DATEADDED is not said to be published
// then. The timeline labels the date, JSON-LD gives no datePublished, and a source with
// a publication date keeps both.
func TestSourceDateBasis(t *testing.T) {
	t.Parallel()
	ev := func(basis string) models.Event {
		return models.Event{Meta: models.Meta{ID: models.NewID(), Version: 1}, Slug: "e", Title: "E", Type: models.EventMeeting,
			Status: models.StatusHeld, Date: models.MustParseDate("2026-01-23"),
			SourcesData: []models.Source{{Meta: models.Meta{ID: models.NewID()}, Slug: "s", Outlet: "example.org",
				Published: models.MustParseDate("2026-01-24"), DateBasis: basis}}}
	}
	for basis, want := range map[string]string{"gdelt_dateadded": "(added to GDELT 24 January 2026)",
		"retrieved": "(retrieved 24 January 2026)", "": "example.org (24 January 2026)"} {
		b, err := json.Marshal(formats.TimelineJS([]models.Event{ev(basis)}, formats.TimelineOptions{}))
		if err != nil {
			t.Fatal(err)
		}
		tl := strings.ReplaceAll(string(b), `\u003c`, "<")
		if !strings.Contains(tl, want) {
			t.Errorf("%q: timeline lacks %q: %.400s", basis, want, tl)
		}
		ld := string(expExport(t, "jsonld", "", []models.Event{ev(basis)}))
		if got := strings.Contains(ld, `"datePublished"`); got != (basis == "") {
			t.Errorf("%q: datePublished given: %v", basis, got)
		}
	}
}
