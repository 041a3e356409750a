package formats_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
)

func TestExportJSONLD(t *testing.T) {
	t.Parallel()
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
		"abu-dhabi-trilateral-talks":           {"2026-01-23", "2026-01-23"},
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
	if quotes != 2 || works != 1+1 { // the Meduza article and one paraphrase
		t.Errorf("talks: %d quotations and %d works", quotes, works)
	}
	// A speaker the source does not name is an anonymous Person, affiliated with the
	// organisation they speak for when the source says (a White House official), with none
	// when it does not (a TASS source: someone who told TASS, not TASS).
	var whID models.ID
	for _, e := range events {
		for _, s := range e.StatementsData {
			if s.Attribution == "a White House official" && s.SpeaksFor != nil {
				whID = s.SpeaksFor.ID
			}
		}
	}
	anonymous := map[string]int{}
	for _, slug := range []string{"abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"} {
		for _, w := range by[slug]["subjectOf"].([]any) {
			m := w.(map[string]any)
			c, _ := m["creator"].(map[string]any)
			if m["@type"] != "Quotation" || c["@type"] != "Person" || c["@id"] != nil {
				continue
			}
			aff, _ := c["affiliation"].(map[string]any)
			anonymous[fmt.Sprint(c["description"])]++
			switch c["description"] {
			case "a TASS source":
				if c["name"] != nil || c["affiliation"] != nil {
					t.Errorf("the TASS source: %v", c)
				}
			case "a White House official":
				if c["name"] != nil || aff["@id"] != "urn:uuid:"+whID.String() {
					t.Errorf("the White House official: %v", c)
				}
			}
		}
	}
	if anonymous["a TASS source"] != 1 || anonymous["a White House official"] != 1 {
		t.Errorf("quotations by unnamed speakers: %v", anonymous)
	}
	// A quoted fragment is part of the sentence it was cut from.
	parts := 0
	for _, w := range by["putin-witkoff-kushner-moscow-meeting"]["subjectOf"].([]any) {
		m := w.(map[string]any)
		if m["text"] == "sincerely interested" {
			p, _ := m["isPartOf"].(map[string]any)
			if p["@type"] != "CreativeWork" || !strings.HasPrefix(fmt.Sprint(p["text"]), "Ushakov also maintained that the Kremlin is\u00a0“sincerely interested”") {
				t.Errorf("the fragment's context: %v", m)
			}
			parts++
		}
	}
	if parts != 1 {
		t.Errorf("%d quotations of “sincerely interested”", parts)
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
