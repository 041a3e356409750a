package formats

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parley-api/parley/models"
)

// ExportCSVEntities lists what a csv export can tabulate, as the API spells it (the
// entity parameter); "" means "events".
var ExportCSVEntities = []string{"events", "participants", "statements"}

// ExportEventColumns are the columns of the csv export of events (entity "events", the
// default): one row per event. Instants are RFC 3339 in UTC; booleans are "true" or
// "false"; an absent value is the empty cell. A cell that holds a list (tags,
// participants, participant_ids, participant_countries, source_ids, source_urls,
// source_credits) is
// itself one CSV record whose separator is ";" followed by a space: "Vladimir Putin
// (host); Steve Witkoff (envoy)". A member that contains ";", a double quote or a line
// break, or starts or ends with a space, is written in double quotes with its quotes
// doubled ("Smith; ""Jr."" (host)"), so every cell splits one way: with Python's
// csv.reader([cell], delimiter=";", skipinitialspace=True), Go's csv.Reader with Comma
// ';' and TrimLeadingSpace, or R's scan(text=cell, sep=";", quote="\"",
// strip.white=TRUE). Strip the formula guard (see NewExporter) before splitting. The
// long tables (entity=participants, entity=statements) have one value per cell.
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
//   - source_credits: how each source found is credited, its outlet and the outlets it
//     came through ("NBC News, via Meduza", models.Credit).
//   - parent_id: the event this one is a round or part of.
//   - statement_count: how many statements are about the event.
//   - version, created_at, updated_at: the record's version and timestamps.
//   - goldstein, quad_class, avg_tone, num_mentions, num_sources, num_articles: GDELT's
//     numbers for the event (see models.EventMeasures); empty when not known.
var ExportEventColumns = []string{
	"id", "slug", "title", "type", "cameo_code", "status",
	"date_edtf", "date_start", "date_end", "date_precision", "date_approximate", "date_uncertain",
	"location_id", "location_name", "location_country", "latitude", "longitude",
	"summary", "tags", "participants", "participant_ids", "participant_countries",
	"source_ids", "source_urls", "source_credits", "parent_id", "statement_count", "version", "created_at", "updated_at",
	"goldstein", "quad_class", "avg_tone", "num_mentions", "num_sources", "num_articles",
}

// CSVNumericColumns are the csv columns that hold numbers parley writes itself; every
// other cell is text and gets the formula-injection guard (see NewExporter).
var CSVNumericColumns = []string{"latitude", "longitude", "statement_count", "version", "position",
	"goldstein", "quad_class", "avg_tone", "num_mentions", "num_sources", "num_articles"}

// ExportParticipantColumns are the columns of the csv export of participants (entity
// "participants"): the long table, one row per participant of each event, for joins
// and network analysis.
//
//   - event_id, event_slug: the event.
//   - event_date_start: the start of the event's date (RFC 3339, UTC), for ordering.
//   - actor_id, actor_slug, actor_name, actor_kind (person, state, organization,
//     delegation, group), actor_country (ISO 3166-1 alpha-2): the participant's actor.
//   - role: host, mediator, delegation, head_of_delegation, envoy, participant or observer.
//   - represents_id, represents_name: the actor the participant represented, if stated.
//   - position: the participant's 0-based position in the event's list.
//   - title, title_organization_id: the actor's title on the event's date (the position
//     that covers it), empty when no position does.
var ExportParticipantColumns = []string{
	"event_id", "event_slug", "event_date_start",
	"actor_id", "actor_slug", "actor_name", "actor_kind", "actor_country",
	"role", "represents_id", "represents_name", "position",
	"title", "title_organization_id",
}

// ExportStatementColumns are the columns of the csv export of statements (entity
// "statements"): one row per statement about each exported event; events without
// statements give no row.
//
//   - statement_id: the statement.
//   - event_id, event_slug: the event the statement is about.
//   - speaker_id, speaker_name: the speaking actor; empty when the source does not name
//     the person (see attribution and speaks_for_id).
//   - text: what was said, line breaks kept.
//   - context: the sentence around a quoted fragment, as the source prints it ("" if none).
//   - quote: "true" for a direct quote, "false" for a paraphrase.
//   - attribution: who reported it as whom ("a White House official").
//   - speaks_for_id, speaks_for_name: the organisation an unnamed speaker speaks for.
//   - medium: "evening address", "interview with NBC News".
//   - language: the language of the text (BCP 47).
//   - date_edtf, date_start, date_end: the statement's date, as for events.
//   - source_ids: the statement's sources.
var ExportStatementColumns = []string{
	"statement_id", "event_id", "event_slug", "speaker_id", "speaker_name",
	"text", "context", "quote", "attribution", "speaks_for_id", "speaks_for_name", "medium", "language",
	"date_edtf", "date_start", "date_end", "source_ids",
}

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

// newCSV is the csv encoder of an entity's table (one of ExportCSVEntities; anything
// else, "" included, is the events table).
func newCSV(entity string) eventEncoder {
	switch entity {
	case "participants":
		return &exportCSV{columns: ExportParticipantColumns, rows: exportParticipantRows}
	case "statements":
		return &exportCSV{columns: ExportStatementColumns, rows: exportStatementRows}
	}
	return &exportCSV{columns: ExportEventColumns, rows: exportEventRows}
}

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
// formula (OWASP, CSV Injection): "=", "+", "-", "@", tab and carriage return; and the
// single quote itself, so that the guard can always be taken off: a text cell that
// starts with ' has exactly one ' more than the stored text.
const csvFormulaStarts = "=+-@\t\r'"

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
	var credits strings.Builder
	for _, s := range e.SourcesData {
		if s.URL != "" {
			exportJoin(&urls, s.URL)
		}
	}
	for _, c := range sourceCredits(e.SourcesData) {
		exportJoin(&credits, c)
	}
	var locName, locCountry, lat, lon string
	if l := e.LocationData; l != nil {
		locName, locCountry = l.Name, l.Country
		if l.Latitude != nil && l.Longitude != nil {
			lat, lon = exportFloat(*l.Latitude), exportFloat(*l.Longitude)
		}
	}
	start, end := exportBounds(e.Date)
	var tags strings.Builder
	for _, t := range e.Tags {
		exportJoin(&tags, t)
	}
	vals := [...]string{
		exportID(e.ID), e.Slug, e.Title, string(e.Type), e.CAMEO, string(e.Status),
		e.Date.EDTF, start, end, string(e.Date.Precision),
		strconv.FormatBool(e.Date.Approximate), strconv.FormatBool(e.Date.Uncertain),
		exportLocationID(e), locName, locCountry, lat, lon,
		e.Summary, tags.String(), names.String(), ids.String(), countries.String(),
		exportSourceIDs(e.Sources, e.SourcesData), urls.String(), credits.String(), exportRef(e.Parent),
		strconv.Itoa(len(e.StatementsData)), strconv.Itoa(e.Version),
		exportTimestamp(e.CreatedAt), exportTimestamp(e.UpdatedAt),
		optFloat(e.Measures.Goldstein), optInt(e.Measures.QuadClass), optFloat(e.Measures.AvgTone),
		optInt(e.Measures.NumMentions), optInt(e.Measures.NumSources), optInt(e.Measures.NumArticles),
	}
	copy(row, vals[:])
	return emit(row)
}

// optFloat is a measure's cell: empty when unknown.
func optFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return exportFloat(*f)
}

// optInt is a count's cell: empty when unknown.
func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
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
		var represents string
		if p.RepresentsData != nil {
			represents = p.RepresentsData.Name
		}
		vals := [...]string{
			exportID(e.ID), e.Slug, exportStart(e.Date),
			exportActorID(p), slug, name, kind, country,
			string(p.Role), exportRef(p.Represents), represents, strconv.Itoa(i),
			p.Title, exportRef(p.TitleOrganization),
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
		var speaker, speaksFor string
		if s.SpeakerData != nil {
			speaker = s.SpeakerData.Name
		}
		if s.SpeaksForData != nil {
			speaksFor = s.SpeaksForData.Name
		}
		vals := [...]string{
			exportID(s.ID), exportID(e.ID), e.Slug, exportRef(s.Speaker), speaker,
			s.Text, s.Context, strconv.FormatBool(s.Quote), s.Attribution, exportRef(s.SpeaksFor), speaksFor, s.Medium, s.Language,
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

// exportListSep separates the members of a list inside one csv cell.
const exportListSep = "; "

// exportJoin adds a member to a list cell (see ExportEventColumns): as it is, or in
// double quotes with its quotes doubled when it would otherwise split or read wrongly.
func exportJoin(b *strings.Builder, s string) {
	if b.Len() > 0 {
		b.WriteString(exportListSep)
	}
	if !listMemberNeedsQuotes(s) {
		b.WriteString(s)
		return
	}
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(s, `"`, `""`))
	b.WriteByte('"')
}

// listMemberNeedsQuotes reports whether a list member must be quoted: empty, holding the
// separator, a quote or a line break, or with spaces at either end (which a reader that
// skips the space after the separator would lose).
func listMemberNeedsQuotes(s string) bool {
	if s == "" || strings.ContainsAny(s, ";\"\r\n") {
		return true
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(first) || unicode.IsSpace(last)
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
