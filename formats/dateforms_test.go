package formats_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

var updateDateForms = flag.Bool("update-date-forms", false, "rewrite testdata/date-forms.golden")

// dateForms is every form of date text parley accepts (models/date_test.go and the
// README's "Dates with precision"): each precision, with and without an offset, each
// qualifier, and intervals of equal and mixed precisions, qualifiers and offsets.
var dateForms = []string{
	"2025", "0001", "9998-12-31",
	"2025-08", "2025-12",
	"2026-01-23", "2024-02-29", "2025-12-31",
	"2026-01-23T22:30", "2026-01-23T22:30Z", "2026-01-23T22:30+03:00", "2026-01-23T14:30+04:00",
	"2026-01-23T23:30-05:00", "2026-01-01T01:00+14:00", "2026-01-23T00:00-00:00", "2026-01-23T00:00+00:00",
	"2026-01-23T22:30:15", "2026-01-23T22:30:00Z", "2026-01-23T22:30:00+03:00", "2026-01-23T22:30:00-05:30",
	"2026-01-23T23:59:59-14:00", "2026-01-23T00:00:15Z",
	"2026?", "2025-08~", "2025-08?", "2025-08%", "2026-01-23%",
	"2026-01-23/2026-01-24", "2026-01-23/2026-01-23", "2026-01-30/2026-02-02", "2025-12-30/2026-01-02",
	"2025/2026", "2025/2025", "2025-08/2025-09", "2025-12/2026-01", "2025-08/2025-08",
	"2025-08/2025-09-15", "2025-08-15/2026", "2026-01-23/2026-01",
	"2026-01-22~/2026-01-23~", "2026-01-22~/2026-01-24", "2025-08~/2025-09", "2025/2026?",
	"2025-06~/2025-07-01?", "2025%/2026-02-01",
	"2026-01-23T22:30/2026-01-24T01:15:30", "2026-01-23T22:30:00+03:00/2026-01-23T23:00:00+03:00",
	"2026-01-23T10:00+04:00/2026-01-23T14:00+04:00", "2026-01-22T22:00Z/2026-01-23T02:00Z",
	"2026-01-23T10:00+04:00/2026-01-23T14:00Z", "2026-01-23/2026-01-23T05:00Z",
	"2026-01-23/2026-01-24T10:00+04:00",
}

// TestDateFormsEnds checks models.Date.Ends for every form: the ends are the parts of
// the text as written (each rendered back from its fields gives the part without its
// qualifier), each end is what that part alone parses to, and together they make the
// Date's interval, precision and qualifiers.
func TestDateFormsEnds(t *testing.T) {
	t.Parallel()
	for _, s := range dateForms {
		d := models.MustParseDate(s)
		a, b, interval := d.Ends()
		parts := strings.Split(s, "/")
		if interval != (len(parts) == 2) {
			t.Errorf("%s: interval %v", s, interval)
			continue
		}
		for i, p := range []models.DatePoint{a, b} {
			part := parts[min(i, len(parts)-1)]
			if got, want := isoOf(p), strings.TrimRight(part, "?~%"); got != want {
				t.Errorf("%s: end %d written back as %q, want %q (%+v)", s, i, got, want, p)
			}
			alone, _, _ := models.MustParseDate(part).Ends()
			if alone != p {
				t.Errorf("%s: end %d is %+v, but %q alone is %+v", s, i, p, part, alone)
			}
			one := models.MustParseDate(part)
			if !p.Start.Equal(one.Start) || !p.End.Equal(one.End) || p.Precision != one.Precision ||
				p.Approximate != one.Approximate || p.Uncertain != one.Uncertain {
				t.Errorf("%s: end %d %+v differs from ParseDate(%q) %+v", s, i, p, part, one)
			}
			if p.Precision.Rank() >= models.PrecisionMinute.Rank() {
				wall := p.Start.In(p.Location())
				if wall.Year() != p.Year || int(wall.Month()) != p.Month || wall.Day() != p.Day ||
					wall.Hour() != p.Hour || wall.Minute() != p.Minute || wall.Second() != p.Second {
					t.Errorf("%s: end %d starts %v in %v, not at its written clock %+v", s, i, p.Start, p.Location(), p)
				}
			}
		}
		prec := a.Precision
		if b.Precision.Rank() < prec.Rank() {
			prec = b.Precision
		}
		if !a.Start.Equal(d.Start) || !b.End.Equal(d.End) || prec != d.Precision ||
			(a.Approximate || b.Approximate) != d.Approximate || (a.Uncertain || b.Uncertain) != d.Uncertain {
			t.Errorf("%s: ends %+v, %+v do not make %+v", s, a, b, d)
		}
	}
}

// isoOf writes a point back as ISO 8601 from its fields alone.
func isoOf(p models.DatePoint) string {
	switch p.Precision {
	case models.PrecisionYear:
		return fmt.Sprintf("%04d", p.Year)
	case models.PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	case models.PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", p.Year, p.Month, p.Day)
	case models.PrecisionMinute:
		return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d%s", p.Year, p.Month, p.Day, p.Hour, p.Minute, p.Offset)
	}
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d%s", p.Year, p.Month, p.Day, p.Hour, p.Minute, p.Second, p.Offset)
}

// TestDateFormsOutputs writes every form through each encoder that shows a date
// (display text, TimelineJS, vis-timeline, JSON-LD, iCalendar, CSV) and compares with
// testdata/date-forms.golden, written before the encoders read models.Date.Ends (they
// parsed the text a second time then), so the one parse changed no output. Since then
// only the TimelineJS lines changed: a time of day written at an offset is placed at
// its instant in UTC, and display_date says so (issue 12).
func TestDateFormsOutputs(t *testing.T) {
	t.Parallel()
	icsDates := regexp.MustCompile(`(?m)^DT(START|END)[^\r\n]*`)
	var out bytes.Buffer
	for _, s := range dateForms {
		e := ev("e", "E", s)
		tl := formats.TimelineJS([]models.Event{e}, formats.TimelineOptions{}).Events[0]
		vis := formats.Vis([]models.Event{e}, formats.TimelineOptions{}).Items[0]
		ld := string(expExport(t, "jsonld", "", []models.Event{e}))
		ld = ld[strings.Index(ld, `"startDate"`):]
		ld = ld[:strings.Index(ld, `,"eventStatus"`)]
		ics := strings.Join(icsDates.FindAllString(string(expExport(t, "ics", "", []models.Event{e})), -1), " ")
		csv := strings.Split(strings.TrimSpace(string(expExport(t, "csv", "", []models.Event{e}))), "\n")
		fmt.Fprintf(&out, "%s\n  display %s\n  timelinejs %s %s %s\n  vis %s %s %s %s\n  jsonld %s\n  ics %s\n  csv %s\n",
			s, formats.DisplayDate(e.Date), jsonOf(t, tl.StartDate), jsonOf(t, tl.EndDate), tl.DisplayDate,
			vis.Type, vis.Start, vis.End, vis.ClassName, ld, ics, csv[len(csv)-1])
	}
	golden := filepath.Join("testdata", "date-forms.golden")
	if *updateDateForms {
		if err := os.WriteFile(golden, out.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			g, w := "", ""
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("line %d:\n got  %s\n want %s", i+1, g, w)
			}
		}
	}
}
