package api_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/paulmach/orb/geojson"
)

// TestExportFormats pulls the built-in dataset, and a filtered slice of it, in every
// format with one request each, and reads each download back with a real parser.
func TestExportFormats(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		count := map[string]func(t *testing.T, body []byte) int{
			"ndjson": func(t *testing.T, b []byte) int {
				n := 0
				sc := bufio.NewScanner(bytes.NewReader(b))
				sc.Buffer(nil, 1<<20)
				for sc.Scan() {
					var e map[string]any
					if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e["slug"] == nil {
						t.Fatalf("ndjson line: %v", err)
					}
					n++
				}
				return n
			},
			"json": func(t *testing.T, b []byte) int {
				var es []map[string]any
				if err := json.Unmarshal(b, &es); err != nil {
					t.Fatal(err)
				}
				return len(es)
			},
			"csv": func(t *testing.T, b []byte) int {
				rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil || len(rows) == 0 || rows[0][0] != "id" {
					t.Fatalf("csv: %v", err)
				}
				return len(rows) - 1
			},
			"geojson": func(t *testing.T, b []byte) int {
				fc, err := geojson.UnmarshalFeatureCollection(b)
				if err != nil {
					t.Fatal(err)
				}
				return len(fc.Features)
			},
			"jsonld": func(t *testing.T, b []byte) int {
				var doc struct {
					Context string           `json:"@context"`
					Graph   []map[string]any `json:"@graph"`
				}
				if err := json.Unmarshal(b, &doc); err != nil || doc.Context != "https://schema.org" {
					t.Fatalf("jsonld: %v %q", err, doc.Context)
				}
				for _, g := range doc.Graph {
					if g["@type"] != "Event" {
						t.Errorf("@type %v", g["@type"])
					}
				}
				return len(doc.Graph)
			},
			"ics": func(t *testing.T, b []byte) int {
				cal, err := ics.ParseCalendar(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				return len(cal.Events())
			},
			"timelinejs": func(t *testing.T, b []byte) int {
				var doc struct {
					Events []map[string]any `json:"events"`
				}
				if err := json.Unmarshal(b, &doc); err != nil {
					t.Fatal(err)
				}
				return len(doc.Events)
			},
		}
		for format, parse := range count {
			t.Run(format, func(t *testing.T) {
				r := c.get("/api/v1/export" + q("format", format))
				if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment; filename=") {
					t.Fatalf("%d %v", r.Status, r.Header)
				}
				if n := parse(t, r.Body); n != 6 {
					t.Errorf("all events: %d, want 6", n)
				}
				if n := parse(t, c.get("/api/v1/export"+q("format", format, "actor", "russia")).Body); n != 3 {
					t.Errorf("Russia's events: %d, want 3", n)
				}
			})
		}
		for entity, want := range map[string]int{"participants": 16, "statements": 13} {
			rows, err := csv.NewReader(bytes.NewReader(c.get("/api/v1/export" + q("format", "csv", "entity", entity)).Body)).ReadAll()
			if err != nil || len(rows)-1 != want {
				t.Errorf("csv %s: %d rows, %v", entity, len(rows)-1, err)
			}
		}
		c.get("/api/v1/export"+q("format", "xlsx")).problem(t, 400)
		c.get("/api/v1/export").problem(t, 400)
		c.get("/api/v1/export"+q("format", "json", "entity", "statements")).problem(t, 400)
	})
}
