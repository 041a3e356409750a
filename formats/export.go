package formats

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parley-api/parley/models"
)

// This file holds what the streaming export encoders behind GET /export share: the
// Exporter interface, NewExporter, the Export runner, the buffered output and the cell
// helpers. Each encoder has its own file (ndjson.go, json.go, csv.go, geojson.go,
// jsonld.go, ics.go, timelinejs.go) and its line in the registry (registry.go), which
// holds its name, media type and file extension. The caller (the export handler, or
// `parley export`) runs Export, which reads events from the store one at a time, with participants' actors, the location, the sources and the statements
// embedded, in the order to write, and hands each to Exporter.Event. No encoder keeps an
// event after Event returns, nor anything that grows with the number of events, so an
// export takes the same memory for ten events as for ten million.
//
// ndjson is the lossless format: every other one maps parley's model onto a vocabulary
// that lacks some of it (see NewExporter and each format's file).

// ExportFormats lists the formats NewExporter makes (those of `parley export`), as the
// API spells them; GET /export offers these and timelinejs (Names(AtExport)).
var ExportFormats = Names(AtCLI)

// Exporter writes events to w in one format; Begin, then Event per event, then End.
// Output is buffered: End flushes it, and a stream abandoned before End (the client
// went away) needs no End. An Exporter is for one stream and is not safe for concurrent
// use.
type Exporter interface {
	// ContentType is the media type of the output, for the Content-Type header.
	ContentType() string
	// FileExtension is the usual file extension of the output, without the dot.
	FileExtension() string
	// Begin starts the document on w (a header row, an opening bracket).
	Begin(w io.Writer) error
	// Event writes one event. The exporter does not keep e after it returns.
	Event(e *models.Event) error
	// End closes the document and flushes the output.
	End() error
}

// eventEncoder is what each format's file writes: an Exporter without the media type
// and the file extension, which the registry holds.
type eventEncoder interface {
	Begin(w io.Writer) error
	Event(e *models.Event) error
	End() error
}

// exporter is an eventEncoder with its registry entry.
type exporter struct {
	eventEncoder
	format *Format
}

func (x exporter) ContentType() string   { return x.format.MediaType }
func (x exporter) FileExtension() string { return x.format.Extension }

// NewExporter returns the exporter for format (one of ExportFormats). Entity picks the
// table of the csv format (one of ExportCSVEntities, "" meaning "events"); the other
// formats always export events and accept only "" or "events". An unknown format or
// entity gives a *models.Error with code EINVALID naming the query parameter.
//
// The formats:
//
//   - ndjson (application/x-ndjson): one event per line, the JSON the API returns for an
//     event with include=participants,location,sources,statements. Lossless.
//   - json (application/json): the same objects in one array; "[]" when there are none.
//   - csv (text/csv; UTF-8 without a byte-order mark, header row): see
//     ExportEventColumns, ExportParticipantColumns and ExportStatementColumns. Written by
//     encoding/csv: fields with commas, quotes or line breaks are quoted as RFC 4180
//     says, but records end with LF rather than CRLF, so that line breaks inside a
//     quoted text reach pandas and R exactly as stored. Formula injection is
//     neutralised as OWASP recommends: a text cell starting with "=", "+", "-", "@", a
//     tab or a carriage return is written with a single quote (') before it, so that a
//     spreadsheet shows it as text rather than running it; the numbers parley writes
//     itself (CSVNumericColumns: coordinates, counts, versions) stay numbers, so a
//     latitude of -33.9 is written as it is. A text cell that starts with ' gets one
//     more, so the rule to get the stored text back has no exception: strip one leading
//     ' from a text cell that starts with one.
//   - geojson (application/geo+json, RFC 7946): a FeatureCollection with one Point
//     Feature per event whose embedded location has coordinates ([longitude, latitude]);
//     events without them are left out, so the collection may have fewer features than
//     there were events. The Feature's id is the event id; its properties are id, slug,
//     title, type, status, date (EDTF), date_display (for people, e.g. "23–24 January
//     2026"), date_start, date_end (RFC 3339, UTC), location, location_country and
//     participants (the actors' names, each once).
//   - jsonld (application/ld+json): schema.org, as one document
//     {"@context": "https://schema.org", "@graph": [...]} with one Event per event; see
//     the mapping below.
//   - ics (text/calendar, RFC 5545): one VCALENDAR with one VEVENT per event, written
//     through github.com/arran4/golang-ical; see below.
//
// schema.org mapping (jsonld). Each event is an Event with "@id" urn:uuid:<id>,
// "identifier" its slug, "name" its title, "description" its summary, "additionalType"
// its parley type as text (schema.org has no types for negotiations or calls),
// "keywords" its tags, and "superEvent" a reference to its parent. "startDate" and
// "endDate" are ISO 8601 at the stated precision ("2025-08", "2026-01-23",
// "2026-01-23T18:00+04:00", keeping the offset as written); endDate is the last period
// the date covers, so a single date has endDate equal to startDate. ISO 8601 has no
// qualifiers: approximate and uncertain dates lose their "~" and "?" here. "eventStatus"
// is EventScheduled for scheduled and for held events (schema.org: "taking place or has
// taken place ... as scheduled"), EventPostponed and EventCancelled otherwise.
// "location" is a Place with name, identifier, address (a PostalAddress with
// addressCountry and addressRegion), geo (GeoCoordinates) and sameAs links to GeoNames
// and Wikidata. Every participant's actor is an "attendee" (each actor once), and
// hosts are also "organizer" (by "@id", the node being among the attendees); other
// roles and whom a participant represented are not expressed (csv participants and
// ndjson keep them). Actors map by kind: person to
// Person (with jobTitle, nationality as a Country, affiliation), state to
// GovernmentOrganization (a state acts through its government, and schema.org's
// Country is a Place, which cannot attend an event or speak), and organization,
// delegation and group to Organization (with parentOrganization for the affiliation);
// all with "@id" urn:uuid:<id>, identifier, name, alternateName and sameAs (Wikidata).
// Event has no "citation" property, so sources and statements are works about the
// event, in "subjectOf": each source a CreativeWork (a source may be an article, a
// transcript or a press release) with name, url, publisher (an Organization named by
// the outlet), datePublished and inLanguage; each direct quote a Quotation and each
// paraphrase a CreativeWork, with text, creator (the speaker, in full when the speaker
// is a participant, else a reference by "@id"), dateCreated, inLanguage, description
// (attribution and medium) and citation (references to its sources).
//
// iCalendar mapping (ics). UID is "<id>@parley", SUMMARY the title. A date at day
// precision or coarser is all-day (DTSTART;VALUE=DATE) and DTEND is the exclusive end
// of the whole stated period: "2026-01-23" ends 20260124, "2025-08" runs from 20250801
// to 20250901. A date at minute or second precision is DTSTART and DTEND in UTC, DTEND
// being the end of the stated period (a single time "18:00" lasts one minute).
// DESCRIPTION is the summary, the date as stated (with its qualifiers, which
// iCalendar cannot carry) and the participants with their roles. LOCATION is the
// location's name, GEO its coordinates, URL the first source URL, CATEGORIES the type
// and then the tags (one property each). STATUS is CONFIRMED for scheduled and held
// events, TENTATIVE for postponed and CANCELLED for cancelled ones. DTSTAMP and
// LAST-MODIFIED are updated_at (DTSTAMP falls back to created_at, then to the start of
// the date, so the output depends on the data alone), CREATED is created_at, and
// TRANSP is TRANSPARENT: the events are not the subscriber's busy time. Lines end with
// CRLF and are folded at 75 octets.
func NewExporter(format, entity string) (Exporter, error) {
	_, x, err := NewExporterAt(AtCLI, format, entity)
	return x, err
}

// NewExporterAt returns the format a place (AtExport or AtCLI) offers under the name
// format, and its exporter for entity ("" meaning the format's first, "events"). An
// unknown format (UnknownFormat) or entity gives a *models.Error with code EINVALID
// naming the query parameter.
func NewExporterAt(at Endpoint, format, entity string) (Format, Exporter, error) {
	f, ok := Lookup(at, format)
	if !ok || f.export == nil {
		return Format{}, nil, UnknownFormat(at, format)
	}
	if entity != "" && !slices.Contains(f.Entities, entity) {
		var all, takers []string
		for _, g := range Formats(at) {
			for _, e := range g.Entities {
				if !slices.Contains(all, e) {
					all = append(all, e)
				}
			}
			if g.export != nil && slices.Contains(g.Entities, entity) {
				takers = append(takers, "format="+g.Name)
			}
		}
		msg := fmt.Sprintf("must be one of %s", strings.Join(all, ", "))
		if len(takers) > 0 {
			msg = fmt.Sprintf("applies to %s only; other formats export events", strings.Join(takers, ", "))
		}
		return Format{}, nil, &models.Error{Code: models.EINVALID, Message: "invalid export entity",
			Fields: []models.FieldError{{Field: "entity", Message: msg}}}
	}
	if entity == "" {
		entity = f.Entities[0]
	}
	return f, exporter{eventEncoder: f.export(entity), format: &f}, nil
}

// Export runs one export: Begin on w, every event src yields (it calls its argument
// once per event, in the order to write, and stops at its first error), then End. After
// each event written it calls row, if not nil, with the number written so far: the
// handler flushes and pushes its write deadline every store.StreamBatch rows, the CLI
// counts its progress. It returns the number of events written, also on error; an error
// leaves the document unfinished (no End), for the caller to abort (a truncated
// download) or report.
func Export(w io.Writer, x Exporter, src func(func(*models.Event) error) error, row func(n int)) (int, error) {
	if err := x.Begin(w); err != nil {
		return 0, err
	}
	n := 0
	err := src(func(e *models.Event) error {
		if err := x.Event(e); err != nil {
			return err
		}
		n++
		if row != nil {
			row(n)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, x.End()
}

// exportBufferSize is the output buffer of every exporter.
const exportBufferSize = 32 << 10

// errExportNotBegun is returned by Event and End before Begin.
var errExportNotBegun = errors.New("formats: export not begun (call Begin first)")

// errExportNilEvent is returned by Event for a nil event.
var errExportNilEvent = errors.New("formats: nil event")

// exportBase is the buffered output that every exporter writes to.
type exportBase struct {
	w *bufio.Writer
	n int // events written (or, for geojson, features)
}

func (b *exportBase) begin(w io.Writer) error {
	if w == nil {
		return errors.New("formats: nil writer")
	}
	b.w = bufio.NewWriterSize(w, exportBufferSize)
	b.n = 0
	return nil
}

func (b *exportBase) check(e *models.Event) error {
	if b.w == nil {
		return errExportNotBegun
	}
	if e == nil {
		return errExportNilEvent
	}
	return nil
}

// end writes the closing text and flushes.
func (b *exportBase) end(closing string) error {
	if b.w == nil {
		return errExportNotBegun
	}
	if _, err := b.w.WriteString(closing); err != nil {
		return err
	}
	return b.w.Flush()
}

// item writes one member of a JSON array: the separator, then v marshalled. Nothing is
// written when v does not marshal.
func (b *exportBase) item(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.itemJSON(data)
}

// itemJSON writes one member of a JSON array, already marshalled.
func (b *exportBase) itemJSON(data []byte) error {
	sep := ",\n"
	if b.n == 0 {
		sep = "\n"
	}
	if _, err := b.w.WriteString(sep); err != nil {
		return err
	}
	if _, err := b.w.Write(data); err != nil {
		return err
	}
	b.n++
	return nil
}

// closeArray is the text that ends a JSON array written by item.
func (b *exportBase) closeArray(end string) string {
	if b.n == 0 {
		return end
	}
	return "\n" + end
}

// exportID is the id's text, or "" when it is unset.
func exportID(id models.ID) string {
	if id.IsZero() {
		return ""
	}
	return id.String()
}

// exportRef is the reference's id (or slug, before resolution), or "" when absent.
func exportRef(r *models.Ref) string {
	if r == nil {
		return ""
	}
	return r.String()
}

// exportActorID is the participant's actor id, taken from the embedded actor when the
// reference was written as a slug.
func exportActorID(p models.Participant) string {
	if !p.Actor.Resolved() && p.ActorData != nil && !p.ActorData.ID.IsZero() {
		return p.ActorData.ID.String()
	}
	return p.Actor.String()
}

// exportParticipantName is the actor's name, or its reference when not embedded.
func exportParticipantName(p models.Participant) string {
	if p.ActorData != nil && p.ActorData.Name != "" {
		return p.ActorData.Name
	}
	return p.Actor.String()
}

// exportBounds writes the bounds of a date as RFC 3339 in UTC, both "" when the date is
// unset. Whether it is set is the date's to say (its EDTF text), not its instants':
// year 0001 starts at Go's zero time, which is a bound like any other.
func exportBounds(d models.Date) (start, end string) {
	if d.IsZero() {
		return "", ""
	}
	return d.Start.UTC().Format(time.RFC3339), d.End.UTC().Format(time.RFC3339)
}

// exportFloat writes a coordinate in the shortest form that reads back exactly.
func exportFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
