package formats

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parley-api/parley/models"
)

// This file holds the streaming export encoders behind GET /export. The caller (the
// export handler, or `parley export`) reads events from the store one at a time, with
// participants' actors, the location, the sources and the statements embedded, in the
// order to write, and hands each to Exporter.Event. No encoder keeps an event after
// Event returns, nor anything that grows with the number of events, so an export takes
// the same memory for ten events as for ten million.
//
// ndjson is the lossless format: every other one maps parley's model onto a vocabulary
// that lacks some of it (see each format below).

// ExportFormats lists the export formats, as the API spells them.
var ExportFormats = []string{"ndjson", "json", "csv", "geojson", "jsonld", "ics"}

// ExportCSVEntities lists what a csv export can tabulate, as the API spells it (the
// entity parameter); "" means "events".
var ExportCSVEntities = []string{"events", "participants", "statements"}

// ExportEventColumns are the columns of the csv export of events (entity "events", the
// default): one row per event. Lists inside a cell are joined with "; ". Instants are
// RFC 3339 in UTC; booleans are "true" or "false"; an absent value is the empty cell.
//
//   - id, slug, title, type, cameo_code, status: the event's own fields. Read
//     cameo_code as text: its leading zeros matter ("043").
//   - date_edtf: the date as stated, in EDTF ("2025-08", "2026-01-22~/2026-01-23~").
//   - date_start, date_end: the half-open UTC interval [start, end) the date covers.
//   - date_precision: year, month, day, minute or second.
//   - date_approximate, date_uncertain: the EDTF qualifiers (~ and ?; % is both).
//   - location_id, location_name, location_country (ISO 3166-1 alpha-2), latitude,
//     longitude (WGS84 decimal degrees): the event's location.
//   - summary: the summary text, line breaks kept.
//   - tags: the tags.
//   - participants: each participant as "name (role)", in the event's order; an actor
//     with two roles appears twice.
//   - participant_ids: the actor id of each entry of participants, in the same order.
//   - participant_countries: the distinct countries of the participants' actors, in
//     order of first appearance.
//   - source_ids, source_urls: the event's sources; source_urls skips sources with no URL.
//   - parent_id: the event this one is a round or part of.
//   - statement_count: how many statements are about the event.
//   - version, created_at, updated_at: the record's version and timestamps.
var ExportEventColumns = []string{
	"id", "slug", "title", "type", "cameo_code", "status",
	"date_edtf", "date_start", "date_end", "date_precision", "date_approximate", "date_uncertain",
	"location_id", "location_name", "location_country", "latitude", "longitude",
	"summary", "tags", "participants", "participant_ids", "participant_countries",
	"source_ids", "source_urls", "parent_id", "statement_count", "version", "created_at", "updated_at",
}

// CSVNumericColumns are the csv columns that hold numbers parley writes itself; every
// other cell is text and gets the formula-injection guard (see NewExporter).
var CSVNumericColumns = []string{"latitude", "longitude", "statement_count", "version", "position"}

// ExportParticipantColumns are the columns of the csv export of participants (entity
// "participants"): the long table, one row per participant of each event, for joins
// and network analysis.
//
//   - event_id, event_slug: the event.
//   - event_date_start: the start of the event's date (RFC 3339, UTC), for ordering.
//   - actor_id, actor_slug, actor_name, actor_kind (person, state, organization,
//     delegation, group), actor_country (ISO 3166-1 alpha-2): the participant's actor.
//   - role: host, mediator, delegation, head_of_delegation, envoy, participant or observer.
//   - represents_id: the actor the participant represented, if stated.
//   - position: the participant's 0-based position in the event's list.
var ExportParticipantColumns = []string{
	"event_id", "event_slug", "event_date_start",
	"actor_id", "actor_slug", "actor_name", "actor_kind", "actor_country",
	"role", "represents_id", "position",
}

// ExportStatementColumns are the columns of the csv export of statements (entity
// "statements"): one row per statement about each exported event; events without
// statements give no row.
//
//   - statement_id: the statement.
//   - event_id, event_slug: the event the statement is about.
//   - speaker_id: the speaking actor's id (the speaker is not embedded in an event, so
//     join with the actors export, or with the participants table, for names).
//   - text: what was said, line breaks kept.
//   - quote: "true" for a direct quote, "false" for a paraphrase.
//   - attribution: who reported it as whom ("a White House official").
//   - medium: "evening address", "interview with NBC News".
//   - language: the language of the text (BCP 47).
//   - date_edtf, date_start, date_end: the statement's date, as for events.
//   - source_ids: the statement's sources.
var ExportStatementColumns = []string{
	"statement_id", "event_id", "event_slug", "speaker_id",
	"text", "quote", "attribution", "medium", "language",
	"date_edtf", "date_start", "date_end", "source_ids",
}

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
//     latitude of -33.9 is written as it is. Strip a leading ' from text cells to get
//     the stored text back.
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
	if entity != "" && entity != "events" && (format != "csv" || !slices.Contains(ExportCSVEntities, entity)) {
		msg := fmt.Sprintf("must be one of %s", strings.Join(ExportCSVEntities, ", "))
		if format != "csv" && slices.Contains(ExportCSVEntities, entity) {
			msg = "applies to format=csv only; other formats export events"
		}
		return nil, &models.Error{Code: models.EINVALID, Message: "invalid export entity",
			Fields: []models.FieldError{{Field: "entity", Message: msg}}}
	}
	switch format {
	case "ndjson":
		return &exportNDJSON{}, nil
	case "json":
		return &exportJSONArray{}, nil
	case "csv":
		switch entity {
		case "participants":
			return &exportCSV{columns: ExportParticipantColumns, rows: exportParticipantRows}, nil
		case "statements":
			return &exportCSV{columns: ExportStatementColumns, rows: exportStatementRows}, nil
		}
		return &exportCSV{columns: ExportEventColumns, rows: exportEventRows}, nil
	case "geojson":
		return &exportGeoJSON{}, nil
	case "jsonld":
		return &exportJSONLD{}, nil
	case "ics":
		return &exportICS{}, nil
	}
	return nil, &models.Error{Code: models.EINVALID, Message: "invalid export format",
		Fields: []models.FieldError{{Field: "format", Message: "must be one of " + strings.Join(ExportFormats, ", ")}}}
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

// exportNDJSON writes one event JSON per line.
type exportNDJSON struct {
	exportBase
	enc *json.Encoder
}

func (x *exportNDJSON) ContentType() string   { return "application/x-ndjson" }
func (x *exportNDJSON) FileExtension() string { return "ndjson" }

func (x *exportNDJSON) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	x.enc = json.NewEncoder(x.w)
	return nil
}

func (x *exportNDJSON) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	return x.enc.Encode(e) // one Write of the whole line, after marshalling succeeded
}

func (x *exportNDJSON) End() error { return x.end("") }

// exportJSONArray writes the event JSONs as one array.
type exportJSONArray struct{ exportBase }

func (x *exportJSONArray) ContentType() string   { return "application/json" }
func (x *exportJSONArray) FileExtension() string { return "json" }

func (x *exportJSONArray) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	_, err := x.w.WriteString("[")
	return err
}

func (x *exportJSONArray) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	return x.item(e)
}

func (x *exportJSONArray) End() error { return x.end(x.closeArray("]\n")) }

// exportCSV writes one table; rows turns an event into its rows, calling emit for each
// with a slice that emit may reuse.
type exportCSV struct {
	exportBase
	cw      *csv.Writer
	columns []string
	rows    func(e *models.Event, row []string, emit func([]string) error) error
	row     []string
	text    []bool // per column: whether it holds text, which csvText guards
}

func (x *exportCSV) ContentType() string   { return "text/csv; charset=utf-8" }
func (x *exportCSV) FileExtension() string { return "csv" }

func (x *exportCSV) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	x.cw = csv.NewWriter(x.w)
	x.row = make([]string, len(x.columns))
	x.text = make([]bool, len(x.columns))
	for i, c := range x.columns {
		x.text[i] = !slices.Contains(CSVNumericColumns, c)
	}
	return x.cw.Write(x.columns)
}

func (x *exportCSV) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	clear(x.row)
	return x.rows(e, x.row, func(r []string) error {
		for i := range r {
			if x.text[i] {
				r[i] = csvText(r[i])
			}
		}
		if err := x.cw.Write(r); err != nil {
			return err
		}
		x.n++
		return nil
	})
}

func (x *exportCSV) End() error {
	if x.cw == nil {
		return errExportNotBegun
	}
	x.cw.Flush()
	if err := x.cw.Error(); err != nil {
		return err
	}
	return x.end("")
}

// csvFormulaStarts are the first characters that make a spreadsheet read a cell as a
// formula (OWASP, CSV Injection): "=", "+", "-", "@", tab and carriage return.
const csvFormulaStarts = "=+-@\t\r"

// csvText guards a text cell against formula injection: one that starts with a
// character of csvFormulaStarts gets a single quote before it, which spreadsheets take
// as "this is text".
func csvText(s string) string {
	if s != "" && strings.IndexByte(csvFormulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// exportEventRows fills the ExportEventColumns row of e.
func exportEventRows(e *models.Event, row []string, emit func([]string) error) error {
	var names, ids, countries, urls strings.Builder
	var seenCountries []string
	for _, p := range e.Participants {
		exportJoin(&names, exportParticipantName(p)+" ("+string(p.Role)+")")
		exportJoin(&ids, exportActorID(p))
		if p.ActorData != nil && p.ActorData.Country != "" && !slices.Contains(seenCountries, p.ActorData.Country) {
			seenCountries = append(seenCountries, p.ActorData.Country)
			exportJoin(&countries, p.ActorData.Country)
		}
	}
	for _, s := range e.SourcesData {
		if s.URL != "" {
			exportJoin(&urls, s.URL)
		}
	}
	var locName, locCountry, lat, lon string
	if l := e.LocationData; l != nil {
		locName, locCountry = l.Name, l.Country
		if l.Latitude != nil && l.Longitude != nil {
			lat, lon = exportFloat(*l.Latitude), exportFloat(*l.Longitude)
		}
	}
	start, end := exportBounds(e.Date)
	vals := [...]string{
		exportID(e.ID), e.Slug, e.Title, string(e.Type), e.CAMEO, string(e.Status),
		e.Date.EDTF, start, end, string(e.Date.Precision),
		strconv.FormatBool(e.Date.Approximate), strconv.FormatBool(e.Date.Uncertain),
		exportLocationID(e), locName, locCountry, lat, lon,
		e.Summary, strings.Join(e.Tags, exportListSep), names.String(), ids.String(), countries.String(),
		exportSourceIDs(e.Sources, e.SourcesData), urls.String(), exportRef(e.Parent),
		strconv.Itoa(len(e.StatementsData)), strconv.Itoa(e.Version),
		exportTimestamp(e.CreatedAt), exportTimestamp(e.UpdatedAt),
	}
	copy(row, vals[:])
	return emit(row)
}

// exportParticipantRows writes an ExportParticipantColumns row per participant of e.
func exportParticipantRows(e *models.Event, row []string, emit func([]string) error) error {
	for i, p := range e.Participants {
		var slug, name, kind, country string
		if a := p.ActorData; a != nil {
			slug, name, kind, country = a.Slug, a.Name, string(a.Kind), a.Country
		} else if !p.Actor.Resolved() {
			slug = p.Actor.Slug
		}
		vals := [...]string{
			exportID(e.ID), e.Slug, exportStart(e.Date),
			exportActorID(p), slug, name, kind, country,
			string(p.Role), exportRef(p.Represents), strconv.Itoa(i),
		}
		copy(row, vals[:])
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// exportStatementRows writes an ExportStatementColumns row per statement of e.
func exportStatementRows(e *models.Event, row []string, emit func([]string) error) error {
	for i := range e.StatementsData {
		s := &e.StatementsData[i]
		start, end := exportBounds(s.Date)
		vals := [...]string{
			exportID(s.ID), exportID(e.ID), e.Slug, s.Speaker.String(),
			s.Text, strconv.FormatBool(s.Quote), s.Attribution, s.Medium, s.Language,
			s.Date.EDTF, start, end,
			exportSourceIDs(s.Sources, nil),
		}
		copy(row, vals[:])
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// exportListSep joins the members of a list inside one csv cell.
const exportListSep = "; "

func exportJoin(b *strings.Builder, s string) {
	if b.Len() > 0 {
		b.WriteString(exportListSep)
	}
	b.WriteString(s)
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

// exportLocationID is the event's location id, from the reference or the embedded data.
func exportLocationID(e *models.Event) string {
	if (e.Location == nil || !e.Location.Resolved()) && e.LocationData != nil && !e.LocationData.ID.IsZero() {
		return e.LocationData.ID.String()
	}
	return exportRef(e.Location)
}

// exportSourceIDs joins source references, preferring the embedded source's id (at the
// same position) to a reference written as a slug.
func exportSourceIDs(refs []*models.Ref, data []models.Source) string {
	var b strings.Builder
	for i, r := range refs {
		if r == nil {
			continue
		}
		id := r.String()
		if !r.Resolved() && i < len(data) && data[i].Slug == r.Slug && !data[i].ID.IsZero() {
			id = data[i].ID.String()
		}
		exportJoin(&b, id)
	}
	return b.String()
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

// exportStart is the first bound of exportBounds.
func exportStart(d models.Date) string {
	start, _ := exportBounds(d)
	return start
}

// exportTimestamp writes a record timestamp as RFC 3339 in UTC with its fraction, or
// "" for a record not yet stored. Here the zero time does mean unset: the store stamps
// every record it writes with the current time.
func exportTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// exportFloat writes a coordinate in the shortest form that reads back exactly.
func exportFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// exportGeoJSON writes a FeatureCollection of the located events.
type exportGeoJSON struct{ exportBase }

func (x *exportGeoJSON) ContentType() string   { return "application/geo+json" }
func (x *exportGeoJSON) FileExtension() string { return "geojson" }

func (x *exportGeoJSON) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	_, err := x.w.WriteString(`{"type":"FeatureCollection","features":[`)
	return err
}

func (x *exportGeoJSON) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	l := e.LocationData
	if l == nil || l.Latitude == nil || l.Longitude == nil {
		return nil // not on the map
	}
	f := geojson.NewFeature(orb.Point{*l.Longitude, *l.Latitude}) // GeoJSON is [lon, lat]
	f.ID = exportID(e.ID)
	names := []string{}
	var seen []string
	for _, p := range e.Participants {
		id := exportActorID(p)
		if slices.Contains(seen, id) {
			continue
		}
		seen = append(seen, id)
		names = append(names, exportParticipantName(p))
	}
	start, end := exportBounds(e.Date)
	f.Properties = geojson.Properties{
		"id":               exportID(e.ID),
		"slug":             e.Slug,
		"title":            e.Title,
		"type":             string(e.Type),
		"status":           string(e.Status),
		"date":             e.Date.EDTF,
		"date_display":     DisplayDate(e.Date),
		"date_start":       start,
		"date_end":         end,
		"location":         l.Name,
		"location_country": l.Country,
		"participants":     names,
	}
	// The feature's own MarshalJSON, not json.Marshal, which would re-validate its output.
	data, err := f.MarshalJSON()
	if err != nil {
		return err
	}
	return x.itemJSON(data)
}

func (x *exportGeoJSON) End() error { return x.end(x.closeArray("]}\n")) }

// exportJSONLD writes a schema.org graph of Events.
type exportJSONLD struct{ exportBase }

func (x *exportJSONLD) ContentType() string   { return "application/ld+json" }
func (x *exportJSONLD) FileExtension() string { return "jsonld" }

func (x *exportJSONLD) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	_, err := x.w.WriteString(`{"@context":"https://schema.org","@graph":[`)
	return err
}

func (x *exportJSONLD) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	return x.item(ldEventOf(e))
}

func (x *exportJSONLD) End() error { return x.end(x.closeArray("]}\n")) }

// schema.org vocabulary used by the jsonld format.
const (
	ldSchema  = "https://schema.org/"
	ldURNUUID = "urn:uuid:"
)

// ldEvent is a schema.org Event.
type ldEvent struct {
	Type           string     `json:"@type"`
	ID             string     `json:"@id,omitempty"`
	Identifier     string     `json:"identifier,omitempty"`
	Name           string     `json:"name"`
	AdditionalType string     `json:"additionalType,omitempty"`
	Description    string     `json:"description,omitempty"`
	StartDate      string     `json:"startDate,omitempty"`
	EndDate        string     `json:"endDate,omitempty"`
	EventStatus    string     `json:"eventStatus,omitempty"`
	Keywords       []string   `json:"keywords,omitempty"`
	Location       *ldPlace   `json:"location,omitempty"`
	Organizer      []*ldAgent `json:"organizer,omitempty"`
	Attendee       []*ldAgent `json:"attendee,omitempty"`
	SuperEvent     *ldNode    `json:"superEvent,omitempty"`
	SubjectOf      []*ldWork  `json:"subjectOf,omitempty"`
}

// ldNode is a reference to a node by its "@id".
type ldNode struct {
	ID string `json:"@id"`
}

// ldPlace is a schema.org Place.
type ldPlace struct {
	Type       string     `json:"@type"`
	ID         string     `json:"@id,omitempty"`
	Identifier string     `json:"identifier,omitempty"`
	Name       string     `json:"name,omitempty"`
	Address    *ldAddress `json:"address,omitempty"`
	Geo        *ldGeo     `json:"geo,omitempty"`
	SameAs     []string   `json:"sameAs,omitempty"`
}

// ldAddress is a schema.org PostalAddress holding only the country and region.
type ldAddress struct {
	Type           string `json:"@type"`
	AddressCountry string `json:"addressCountry,omitempty"`
	AddressRegion  string `json:"addressRegion,omitempty"`
}

// ldGeo is a schema.org GeoCoordinates.
type ldGeo struct {
	Type      string  `json:"@type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// ldCountry is a schema.org Country named by its ISO 3166-1 alpha-2 code.
type ldCountry struct {
	Type       string `json:"@type"`
	Identifier string `json:"identifier"`
}

// ldAgent is a schema.org Person or Organization (or a bare reference by "@id" when the
// actor is not embedded).
type ldAgent struct {
	Type               string     `json:"@type,omitempty"`
	ID                 string     `json:"@id,omitempty"`
	Identifier         string     `json:"identifier,omitempty"`
	Name               string     `json:"name,omitempty"`
	AlternateName      []string   `json:"alternateName,omitempty"`
	JobTitle           string     `json:"jobTitle,omitempty"`
	Description        string     `json:"description,omitempty"`
	Nationality        *ldCountry `json:"nationality,omitempty"`
	Address            *ldAddress `json:"address,omitempty"`
	Affiliation        *ldNode    `json:"affiliation,omitempty"`
	ParentOrganization *ldNode    `json:"parentOrganization,omitempty"`
	SameAs             []string   `json:"sameAs,omitempty"`
}

// ldOrganization is a schema.org Organization known by name only (a source's outlet).
type ldOrganization struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// ldWork is a schema.org CreativeWork or Quotation: a source or a statement.
type ldWork struct {
	Type          string          `json:"@type"`
	ID            string          `json:"@id,omitempty"`
	Identifier    string          `json:"identifier,omitempty"`
	Name          string          `json:"name,omitempty"`
	Text          string          `json:"text,omitempty"`
	URL           string          `json:"url,omitempty"`
	Publisher     *ldOrganization `json:"publisher,omitempty"`
	DatePublished string          `json:"datePublished,omitempty"`
	Creator       *ldAgent        `json:"creator,omitempty"`
	DateCreated   string          `json:"dateCreated,omitempty"`
	InLanguage    string          `json:"inLanguage,omitempty"`
	Description   string          `json:"description,omitempty"`
	Keywords      []string        `json:"keywords,omitempty"`
	Citation      []ldNode        `json:"citation,omitempty"`
}

// ldEventStatus maps parley's status onto schema.org's EventStatusType.
var ldEventStatus = map[models.EventStatus]string{
	models.StatusScheduled: ldSchema + "EventScheduled",
	models.StatusHeld:      ldSchema + "EventScheduled",
	models.StatusPostponed: ldSchema + "EventPostponed",
	models.StatusCancelled: ldSchema + "EventCancelled",
}

// ldURN is the node id of an entity: urn:uuid:<id>, or "" when the id is unset.
func ldURN(id models.ID) string {
	if id.IsZero() {
		return ""
	}
	return ldURNUUID + id.String()
}

// ldRefNode is a reference to the entity r points at; nil when it cannot be named by id.
func ldRefNode(r *models.Ref) *ldNode {
	if r == nil || !r.Resolved() {
		return nil
	}
	return &ldNode{ID: ldURN(r.ID)}
}

// ldSameAs turns external ids into URLs of the registries that issued them.
func ldSameAs(ext models.StringMap) []string {
	var out []string
	if q := ext["wikidata"]; q != "" {
		out = append(out, "https://www.wikidata.org/wiki/"+q)
	}
	if g := ext["geonames"]; g != "" {
		out = append(out, "https://sws.geonames.org/"+g+"/")
	}
	return out
}

// ldEventOf maps an event onto schema.org.
func ldEventOf(e *models.Event) *ldEvent {
	out := &ldEvent{
		Type:           "Event",
		ID:             ldURN(e.ID),
		Identifier:     e.Slug,
		Name:           e.Title,
		AdditionalType: string(e.Type),
		Description:    e.Summary,
		EventStatus:    ldEventStatus[e.Status],
		Keywords:       e.Tags,
		SuperEvent:     ldRefNode(e.Parent),
	}
	out.StartDate, out.EndDate = ldDates(e.Date)
	if l := e.LocationData; l != nil {
		p := &ldPlace{Type: "Place", ID: ldURN(l.ID), Identifier: l.Slug, Name: l.Name, SameAs: ldSameAs(l.ExternalIDs)}
		if l.Country != "" || l.AdminArea != "" {
			p.Address = &ldAddress{Type: "PostalAddress", AddressCountry: l.Country, AddressRegion: l.AdminArea}
		}
		if l.Latitude != nil && l.Longitude != nil {
			p.Geo = &ldGeo{Type: "GeoCoordinates", Latitude: *l.Latitude, Longitude: *l.Longitude}
		}
		out.Location = p
	} else if r := ldRefNode(e.Location); r != nil {
		out.Location = &ldPlace{Type: "Place", ID: r.ID}
	}
	var seen []string
	for _, p := range e.Participants {
		a := ldParticipant(p)
		if id := exportActorID(p); !slices.Contains(seen, id) {
			seen = append(seen, id)
			out.Attendee = append(out.Attendee, a)
		}
		if p.Role == models.RoleHost {
			if a.ID != "" {
				a = &ldAgent{ID: a.ID} // described in full among the attendees
			}
			out.Organizer = append(out.Organizer, a)
		}
	}
	for i := range e.SourcesData {
		out.SubjectOf = append(out.SubjectOf, ldSource(&e.SourcesData[i]))
	}
	for i := range e.StatementsData {
		out.SubjectOf = append(out.SubjectOf, ldStatement(e, &e.StatementsData[i]))
	}
	return out
}

// ldParticipant is the participant's actor, or a reference to it when not embedded.
func ldParticipant(p models.Participant) *ldAgent {
	if p.ActorData != nil {
		return ldActor(p.ActorData)
	}
	if p.Actor.Resolved() {
		return &ldAgent{ID: ldURN(p.Actor.ID)}
	}
	return &ldAgent{Identifier: p.Actor.Slug}
}

// ldActor maps an actor onto a Person or an Organization by its kind.
func ldActor(a *models.Actor) *ldAgent {
	out := &ldAgent{ID: ldURN(a.ID), Identifier: a.Slug, Name: a.Name, AlternateName: a.Aliases,
		SameAs: ldSameAs(a.ExternalIDs)}
	switch a.Kind {
	case models.ActorPerson:
		out.Type = "Person"
		out.JobTitle = a.Title
		if a.Country != "" {
			out.Nationality = &ldCountry{Type: "Country", Identifier: a.Country}
		}
		out.Affiliation = ldRefNode(a.Affiliation)
		return out
	case models.ActorState:
		out.Type = "GovernmentOrganization"
	default:
		out.Type = "Organization"
	}
	out.Description = a.Title
	if a.Country != "" {
		out.Address = &ldAddress{Type: "PostalAddress", AddressCountry: a.Country}
	}
	out.ParentOrganization = ldRefNode(a.Affiliation)
	return out
}

// ldSource maps a source onto a CreativeWork.
func ldSource(s *models.Source) *ldWork {
	w := &ldWork{Type: "CreativeWork", ID: ldURN(s.ID), Identifier: s.Slug, Name: s.Title, URL: s.URL,
		InLanguage: s.Language}
	if s.Outlet != "" {
		w.Publisher = &ldOrganization{Type: "Organization", Name: s.Outlet}
	}
	w.DatePublished, _ = ldDates(s.Published)
	return w
}

// ldStatement maps a statement onto a Quotation (a direct quote) or a CreativeWork (a
// paraphrase). The speaker is given in full when it is one of the event's embedded
// participants, else by reference.
func ldStatement(e *models.Event, s *models.Statement) *ldWork {
	w := &ldWork{Type: "CreativeWork", ID: ldURN(s.ID), Text: s.Text, InLanguage: s.Language, Keywords: s.Tags}
	if s.Quote {
		w.Type = "Quotation"
	}
	for _, p := range e.Participants {
		if a := p.ActorData; a != nil && ((s.Speaker.Resolved() && a.ID == s.Speaker.ID) ||
			(!s.Speaker.Resolved() && s.Speaker.Slug != "" && a.Slug == s.Speaker.Slug)) {
			w.Creator = ldActor(a)
			break
		}
	}
	if w.Creator == nil {
		switch {
		case s.Speaker.Resolved():
			w.Creator = &ldAgent{ID: ldURN(s.Speaker.ID)}
		case s.Speaker.Slug != "":
			w.Creator = &ldAgent{Identifier: s.Speaker.Slug}
		}
	}
	w.DateCreated, _ = ldDates(s.Date)
	switch {
	case s.Attribution != "" && s.Medium != "":
		w.Description = s.Attribution + ", " + s.Medium
	default:
		w.Description = s.Attribution + s.Medium
	}
	for _, r := range s.Sources {
		if n := ldRefNode(r); n != nil {
			w.Citation = append(w.Citation, *n)
		}
	}
	return w
}

// ldDates writes a date's ends as ISO 8601 at their stated precision; end is the last
// period the date covers (the start's for a single date). Qualifiers are dropped.
func ldDates(d models.Date) (start, end string) {
	if d.IsZero() {
		return "", ""
	}
	a, b, _ := splitDate(d)
	return exportISOPoint(a), exportISOPoint(b)
}

// exportISOPoint writes one end of a date as ISO 8601 at its precision, the time of day
// in the offset it was written in.
func exportISOPoint(p datePoint) string {
	switch rank(p.precision) {
	case 1:
		return fmt.Sprintf("%04d", p.year)
	case 2:
		return fmt.Sprintf("%04d-%02d", p.year, p.month)
	case 3:
		return fmt.Sprintf("%04d-%02d-%02d", p.year, p.month, p.day)
	}
	return fmt.Sprintf("%04d-%02d-%02dT%s%s", p.year, p.month, p.day, p.clock(), p.zone)
}

// exportICS writes a VCALENDAR: the wrapper by hand, each VEVENT through golang-ical.
type exportICS struct{ exportBase }

func (x *exportICS) ContentType() string   { return "text/calendar; charset=utf-8" }
func (x *exportICS) FileExtension() string { return "ics" }

// icsConfig is RFC 5545's serialisation: CRLF line ends, lines folded at 75 octets.
var icsConfig = &ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: "\r\n"}

// icsHeader opens the calendar.
const icsHeader = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//parley//parley export//EN\r\n" +
	"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"

func (x *exportICS) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	_, err := x.w.WriteString(icsHeader)
	return err
}

func (x *exportICS) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	if err := icsEventOf(e).SerializeTo(x.w, icsConfig); err != nil {
		return err
	}
	x.n++
	return nil
}

func (x *exportICS) End() error { return x.end("END:VCALENDAR\r\n") }

// icsStatus maps parley's status onto the VEVENT STATUS.
var icsStatus = map[models.EventStatus]ics.ObjectStatus{
	models.StatusScheduled: ics.ObjectStatusConfirmed,
	models.StatusHeld:      ics.ObjectStatusConfirmed,
	models.StatusPostponed: ics.ObjectStatusTentative,
	models.StatusCancelled: ics.ObjectStatusCancelled,
}

// icsEventOf maps an event onto a VEVENT.
func icsEventOf(e *models.Event) *ics.VEvent {
	v := ics.NewEvent(e.ID.String() + "@parley")
	stamp := e.UpdatedAt
	if stamp.IsZero() {
		stamp = e.CreatedAt
	}
	if stamp.IsZero() {
		stamp = e.Date.Start
	}
	v.SetDtStampTime(stamp)
	if !e.CreatedAt.IsZero() {
		v.SetCreatedTime(e.CreatedAt)
	}
	if !e.UpdatedAt.IsZero() {
		v.SetModifiedAt(e.UpdatedAt)
	}
	v.SetSummary(icsText(e.Title))
	if rank(e.Date.Precision) >= rank(models.PrecisionMinute) {
		v.SetStartAt(e.Date.Start)
		if e.Date.End.After(e.Date.Start) {
			v.SetEndAt(e.Date.End)
		}
	} else {
		start, end := icsDays(e.Date)
		v.SetAllDayStartAt(start)
		v.SetAllDayEndAt(end)
	}
	v.SetDescription(icsText(icsDescription(e)))
	if l := e.LocationData; l != nil {
		v.SetLocation(icsText(l.Name))
		if l.Latitude != nil && l.Longitude != nil {
			v.SetProperty(ics.ComponentPropertyGeo, exportFloat(*l.Latitude)+";"+exportFloat(*l.Longitude))
		}
	}
	for _, s := range e.SourcesData {
		if s.URL != "" {
			v.SetURL(s.URL)
			break
		}
	}
	if e.Type != "" {
		v.AddCategory(icsText(string(e.Type)))
	}
	for _, t := range e.Tags {
		v.AddCategory(icsText(t))
	}
	if st, ok := icsStatus[e.Status]; ok {
		v.SetStatus(st)
	}
	v.SetTimeTransparency(ics.TransparencyTransparent)
	return v
}

// icsDays is the all-day span of a date: its first day and the day after its last
// (DTEND is exclusive), in UTC where parley's intervals live.
func icsDays(d models.Date) (start, end time.Time) {
	s, e := d.Start.UTC(), d.End.UTC()
	start = time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC)
	end = time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC)
	if end.Before(e) {
		end = end.AddDate(0, 0, 1) // a bound inside a day ends after that day
	}
	if !end.After(start) {
		end = start.AddDate(0, 0, 1)
	}
	return start, end
}

// icsDescription is the summary, the date as stated and the participants with roles.
func icsDescription(e *models.Event) string {
	var b strings.Builder
	b.WriteString(e.Summary)
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
	b.WriteString("Date: " + DisplayDate(e.Date))
	if len(e.Participants) > 0 {
		b.WriteString("\nParticipants: ")
		for i, p := range e.Participants {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(exportParticipantName(p) + " (" + roleText(p.Role) + ")")
		}
	}
	return b.String()
}

// icsText makes text safe for an iCalendar TEXT value, which golang-ical then escapes:
// line breaks become "\n" (a bare CR would end the content line) and other control
// characters, which RFC 5545 does not allow, are dropped.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if strings.IndexFunc(s, icsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if icsControl(r) {
			return -1
		}
		return r
	}, s)
}

func icsControl(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }
