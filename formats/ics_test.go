package formats_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

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
	t.Parallel()
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
		"abu-dhabi-trilateral-talks":           {"20260123", "20260124"},
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
