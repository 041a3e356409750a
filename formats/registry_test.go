package formats_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

// regPlaces names each place that offers formats, with its OpenAPI path ("" for the CLI).
var regPlaces = []struct {
	at   formats.Endpoint
	name string
	path string
}{
	{formats.AtExport, "export", "/api/v1/export"},
	{formats.AtCLI, "cli", ""},
	{formats.AtTimeline, "timeline", "/api/v1/timeline"},
	{formats.AtGraph, "graph", "/api/v1/graph"},
}

// TestRegistryOpenAPI: the format enum each endpoint publishes in docs/swagger.json is
// the registry's list for that endpoint, in order. The swag annotations cannot name Go
// values, so a format added to the registry fails here until the handler's Enums(...)
// lists it and the docs are regenerated (go generate ./cmd/parley).
func TestRegistryOpenAPI(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../docs/swagger.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string   `json:"name"`
				In   string   `json:"in"`
				Enum []string `json:"enum"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range regPlaces {
		if p.path == "" {
			continue
		}
		var enum []string
		found := false
		for _, prm := range doc.Paths[p.path]["get"].Parameters {
			if prm.Name == "format" && prm.In == "query" {
				enum, found = prm.Enum, true
			}
		}
		if want := formats.Names(p.at); !found || !slices.Equal(enum, want) {
			t.Errorf("GET %s: the OpenAPI format enum is %v (found: %v), the registry's list is %v: update Enums(...) in handlers/%s.go and run go generate ./cmd/parley",
				p.path, enum, found, want, p.name)
		}
	}
}

// TestRegistryEntries: every format is complete, and has the encoder each place that
// offers it calls; the exporters report the registry's media type and extension.
func TestRegistryEntries(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range regPlaces {
		names := formats.Names(p.at)
		if len(names) == 0 {
			t.Errorf("%s offers no format", p.name)
		}
		for _, f := range formats.Formats(p.at) {
			if f.Name == "" || f.MediaType == "" || f.Extension == "" || len(f.Entities) == 0 {
				t.Errorf("%s: incomplete entry %+v", p.name, f)
			}
			if g, ok := formats.Lookup(p.at, f.Name); !ok || g.Name != f.Name {
				t.Errorf("%s: Lookup(%q) = %v, %v", p.name, f.Name, g.Name, ok)
			}
			if n := len(slices.DeleteFunc(slices.Clone(names), func(s string) bool { return s != f.Name })); n != 1 {
				t.Errorf("%s: %q listed %d times", p.name, f.Name, n)
			}
			seen[f.Name] = true
			switch p.at {
			case formats.AtExport, formats.AtCLI:
				if !f.Streams() {
					t.Errorf("%s: %s does not stream", p.name, f.Name)
				}
				for _, entity := range append([]string{""}, f.Entities...) {
					g, x, err := formats.NewExporterAt(p.at, f.Name, entity)
					if err != nil {
						t.Errorf("%s: %s/%q: %v", p.name, f.Name, entity, err)
						continue
					}
					if g.Name != f.Name || x.ContentType() != f.MediaType || x.FileExtension() != f.Extension {
						t.Errorf("%s: %s/%q gives %s, %s, %s", p.name, f.Name, entity, g.Name, x.ContentType(), x.FileExtension())
					}
				}
			case formats.AtTimeline:
				if f.Timeline == nil && f.Name != "parley" {
					t.Errorf("timeline: %s has no Timeline encoder", f.Name)
				}
			case formats.AtGraph:
				if f.Graph == nil {
					t.Errorf("graph: %s has no Graph encoder", f.Name)
				}
			}
		}
		if _, ok := formats.Lookup(p.at, "no-such-format"); ok {
			t.Errorf("%s: Lookup of an unknown format succeeded", p.name)
		}
	}
	if _, ok := formats.Lookup(formats.AtCLI, "timelinejs"); ok {
		t.Error("parley export offers timelinejs")
	}
	if _, _, err := formats.NewExporterAt(formats.AtExport, "vis", ""); err == nil {
		t.Error("an exporter for vis, a timeline-only format")
	}
	if !slices.Equal(formats.ExportFormats, formats.Names(formats.AtCLI)) || !slices.Equal(formats.GraphFormats, formats.Names(formats.AtGraph)) {
		t.Errorf("ExportFormats %v, GraphFormats %v", formats.ExportFormats, formats.GraphFormats)
	}
	for _, name := range []string{"ndjson", "json", "csv", "geojson", "jsonld", "ics", "timelinejs", "parley", "vis", "d3", "cytoscape", "gexf"} {
		if !seen[name] {
			t.Errorf("format %s is offered nowhere", name)
		}
	}
}

// TestRegistryEntityErrors: /export's entity check names the formats that take it.
func TestRegistryEntityErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ format, entity, field, msg string }{
		{"timelinejs", "participants", "entity", "applies to format=csv only; other formats export events"},
		{"ndjson", "actors", "entity", "must be one of events, participants, statements"},
		{"xml", "", "format", "must be one of " + strings.Join(formats.Names(formats.AtExport), ", ")},
	} {
		_, _, err := formats.NewExporterAt(formats.AtExport, c.format, c.entity)
		var me *models.Error
		if !errors.As(err, &me) || me.Code != models.EINVALID || len(me.Fields) != 1 || me.Fields[0].Field != c.field || me.Fields[0].Message != c.msg {
			t.Errorf("%s/%s: %v, want %s: %s", c.format, c.entity, err, c.field, c.msg)
		}
	}
}

// regFailWriter fails every write.
type regFailWriter struct{}

func (regFailWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestExportRunner: Export writes the whole document, counts the rows and reports each
// one; a source's error, or a writer's, comes back with the rows written so far and
// leaves the document unfinished.
func TestExportRunner(t *testing.T) {
	t.Parallel()
	events := expAll(t)
	_, x, err := formats.NewExporterAt(formats.AtCLI, "ndjson", "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	var rows []int
	n, err := formats.Export(&buf, x, func(each func(*models.Event) error) error {
		for i := range events {
			if err := each(&events[i]); err != nil {
				return err
			}
		}
		return nil
	}, func(n int) { rows = append(rows, n) })
	if err != nil || n != len(events) || len(rows) != n || rows[n-1] != n {
		t.Fatalf("Export = %d, %v; rows %v", n, err, rows)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != len(events) {
		t.Errorf("%d lines for %d events", lines, len(events))
	}

	boom := errors.New("the store went away")
	_, x, _ = formats.NewExporterAt(formats.AtCLI, "json", "")
	buf.Reset()
	n, err = formats.Export(&buf, x, func(each func(*models.Event) error) error {
		if err := each(&events[0]); err != nil {
			return err
		}
		return boom
	}, nil)
	if !errors.Is(err, boom) || n != 1 || strings.HasSuffix(buf.String(), "]\n") {
		t.Errorf("a failing source: %d, %v, output %q", n, err, buf.String())
	}

	_, x, _ = formats.NewExporterAt(formats.AtCLI, "csv", "")
	if _, err := formats.Export(regFailWriter{}, x, func(func(*models.Event) error) error { return nil }, nil); err == nil {
		t.Error("a failing writer: no error")
	}
}

// TestExportTimelineJS: GET /export's timelinejs is one {"events": [...]} document of
// the slides TimelineJS gives each event, one per line after the first, without a
// title slide; zero events give an empty list.
func TestExportTimelineJS(t *testing.T) {
	t.Parallel()
	events := expAll(t)
	want := `{"events":[`
	for i := range events {
		for _, s := range formats.TimelineJS([]models.Event{events[i]}, formats.TimelineOptions{}).Events {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			if want != `{"events":[` {
				want += ",\n"
			}
			want += string(b)
		}
	}
	want += "]}\n"
	fm, x, err := formats.NewExporterAt(formats.AtExport, "timelinejs", "")
	if err != nil || fm.MediaType != "application/json" || fm.Extension != "json" {
		t.Fatalf("%+v %v", fm, err)
	}
	var buf bytes.Buffer
	if _, err := formats.Export(&buf, x, func(each func(*models.Event) error) error {
		for i := range events {
			if err := each(&events[i]); err != nil {
				return err
			}
		}
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	if buf.String() != want {
		t.Errorf("timelinejs export:\n%.300s\nwant\n%.300s", buf.String(), want)
	}
	var doc formats.TimelineJSDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Events) != len(events) || doc.Title != nil {
		t.Errorf("%d slides for %d events, title %v: %v", len(doc.Events), len(events), doc.Title, err)
	}

	_, x, _ = formats.NewExporterAt(formats.AtExport, "timelinejs", "")
	buf.Reset()
	if _, err := formats.Export(&buf, x, func(func(*models.Event) error) error { return nil }, nil); err != nil || buf.String() != "{\"events\":[]}\n" {
		t.Errorf("empty: %q %v", buf.String(), err)
	}
	_, x, _ = formats.NewExporterAt(formats.AtExport, "timelinejs", "")
	if x.Event(&models.Event{}) == nil || x.End() == nil {
		t.Error("Event or End before Begin succeeded")
	}
	if err := x.Begin(io.Discard); err != nil || x.Event(nil) == nil {
		t.Errorf("Begin: %v; or a nil event accepted", err)
	}
}
