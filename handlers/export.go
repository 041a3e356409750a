package handlers

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// ExportStore is what export and import need of the store.
type ExportStore interface {
	StreamEvents(context.Context, store.EventFilter, func(*models.Event) error) error
	StreamBundle(context.Context, func(string, any) error) error
	Import(context.Context, func() (store.ImportRecord, error), store.ImportOptions) (*store.ImportReport, error)
}

// Export serves /export, /export/bundle and /import.
type Export struct {
	store ExportStore
	// MaxImportBytes caps an import body (0: no cap).
	MaxImportBytes int64
	counters       Counters
}

// Counters receives the rows exports and imports move, for the metrics.
type Counters interface {
	// Exported counts rows (events, or bundle records) streamed in a format.
	Exported(format string, rows int)
	// Imported counts committed import records of a type by outcome.
	Imported(kind, outcome string, rows int)
}

// NewExport binds the export and import handlers to a store; counters may be nil.
func NewExport(s ExportStore, maxImportBytes int64, counters Counters) *Export {
	if counters == nil {
		counters = noCounters{}
	}
	return &Export{store: s, MaxImportBytes: maxImportBytes, counters: counters}
}

type noCounters struct{}

func (noCounters) Exported(string, int)         {}
func (noCounters) Imported(string, string, int) {}

// Events godoc
//
//	@Summary		Export events
//	@ID			exportEvents
//	@Description	The events the /events filters select, streamed as they are read (constant memory whatever the size), as a download named after the filter (Content-Disposition, e.g. parley-events-2026-01-ru.csv): ndjson and json (events with participants and whom they represent, location, statements with their speakers, and sources embedded), csv (entity=events, or the long tables entity=participants and entity=statements), geojson (RFC 7946, one Point per located event), jsonld (schema.org Event), ics (RFC 5545), timelinejs (the slides of /timeline?format=timelinejs) or claims (CSV, the long table of evidence: one row per claim a source supports of an event or of a statement about it; columns entity_type, entity_id, entity_slug, source_id, source_title, credit, claim, quote). CSV is UTF-8 with a header row; instants are RFC 3339 in UTC. entity=events columns: id, slug, title, type, cameo_code, status, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, location_id, location_name, location_country, latitude, longitude, summary, tags, participants ("name (role)"), participant_ids, participant_countries, source_ids, source_urls, source_credits ("NBC News, via Meduza"), parent_id, statement_count, version, created_at, updated_at, then GDELT's numbers goldstein, quad_class, avg_tone, num_mentions, num_sources, num_articles (empty when unknown). The list cells (tags, participants, participant_ids, participant_countries, source_ids, source_urls, source_credits) are each one CSV record with members separated by "; ", a member holding ";", a double quote, a line break or edge spaces being double-quoted with its quotes doubled: split with Python's csv.reader([cell], delimiter=";", skipinitialspace=True). entity=participants columns: event_id, event_slug, event_date_start, actor_id, actor_slug, actor_name, actor_kind, actor_country, role, represents_id, represents_name, position, title, title_organization_id (the title on the event's date, from the actor's positions). entity=statements columns: statement_id, event_id, event_slug, speaker_id, speaker_name (empty for a speaker the source does not name), text, context (the sentence around a quoted fragment), quote, attribution, speaks_for_id, speaks_for_name (the organisation an unnamed speaker speaks for), medium, language, date_edtf, date_start, date_end, source_ids. A text cell starting with =, +, -, @, tab, carriage return or ' gets a leading single quote against formula injection (OWASP); strip one to get the text back. The numbers parley writes (latitude, longitude, counts, versions, positions) stay plain numbers. A client that disconnects cancels the query.
//	@Tags			export
//	@Produce		json,application/x-ndjson,text/csv,application/geo+json,application/ld+json,text/calendar
//	@Param			format		query		formats.ExportName	true	"Output format"
//	@Param			entity		query		string		false	"csv only: one row per event, participant or statement"	Enums(events, participants, statements)
//	@Param			actor		query		[]string	false	"Participant id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			match		query		string		false	"Whether any or all actors must take part"	Enums(any, all)
//	@Param			represented	query		bool		false	"Whether an actor also matches through the participants who represent it (Russia through Putin); default: direct participation only"	default(false)
//	@Param			min_goldstein	query		number		false	"GDELT events whose Goldstein scale is at least this (-10 to 10); events without one never match"
//	@Param			max_goldstein	query		number		false	"GDELT events whose Goldstein scale is at most this (-10 to 10)"
//	@Param			quad_class		query		[]int		false	"GDELT QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			min_tone		query		number		false	"GDELT events whose average tone is at least this (-100 to 100)"
//	@Param			max_tone		query		number		false	"GDELT events whose average tone is at most this (-100 to 100)"
//	@Param			min_mentions	query		int			false	"GDELT events with at least this many mentions (NumMentions)"	minimum(0)
//	@Param			min_sources		query		int			false	"GDELT events with at least this many sources (NumSources)"	minimum(0)
//	@Param			min_articles	query		int			false	"GDELT events with at least this many articles (NumArticles)"	minimum(0)
//	@Param			role		query		[]string	false	"Participant role (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			country		query		[]string	false	"Participant country (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			location	query		[]string	false	"Location id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			type		query		[]string	false	"Event type (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			status		query		[]string	false	"Event status (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			tag			query		[]string	false	"Tag; all must be present (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			from		query		string		false	"Overlaps from this date (EDTF)"
//	@Param			to			query		string		false	"Overlaps up to this date (EDTF)"
//	@Param			source		query		[]string	false	"Cited source (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			supports	query		[]string	false	"Narrow to what a source (those of source, or any) has evidence for: one of date, status, location, participants, type, summary, relations (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			parent		query		string		false	"Parent event"
//	@Param			q			query		string		false	"Full-text search"
//	@Param			sort		query		string		false	"Order"	Enums(date, -date, updated, -updated)	default(date)
//	@Success		200			{file}		file
//	@Failure		400			{object}	Problem
//	@Router			/api/v1/export [get]
func (h *Export) Events(c *gin.Context) {
	names := eventFilterNamesWithout("include", "limit", "cursor")
	q := newQuery(c, append(names, "actor", "match", "format", "entity")...)
	f := parseEventFilter(q, true)
	format, entity := q.one("format"), q.one("entity")
	var fm formats.Format
	var enc formats.Exporter
	var err error
	if fm, enc, err = formats.NewExporterAt(formats.AtExport, format, entity); err != nil {
		q.v.Merge("", err)
	}
	if f.Sort == "relevance" {
		q.v.Add("sort", "exports are in date or update order")
	}
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	if f.Sort == "" {
		f.Sort = "date"
	}
	f.Include = store.Include{Participants: true, Location: true, Statements: true, Sources: true}
	if entity == "" {
		entity = fm.Entities[0]
	}
	stream(c, fm.MediaType, exportFileName(fm, entity, f), func(w io.Writer) error {
		n, err := formats.Export(w, enc, func(each func(*models.Event) error) error {
			return h.store.StreamEvents(c.Request.Context(), f, each)
		}, func(n int) {
			if n%store.StreamBatch == 0 {
				flush(c)
			}
		})
		h.counters.Exported(format, n)
		return err
	})
}

// Bundle godoc
//
//	@Summary		Export everything as a bundle
//	@ID			exportBundle
//	@Description	Every entity as NDJSON records {"type", "data"} in dependency order: actors, locations, outlets, sources (each after the one it came via), events, relations, statements. Importing it into an empty database and exporting again gives the same bytes (ids, versions and timestamps are kept).
//	@Tags			export
//	@Produce		application/x-ndjson
//	@Success		200	{object}	formats.BundleRecord	"one per line"
//	@Router			/api/v1/export/bundle [get]
func (h *Export) Bundle(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	name := fmt.Sprintf("parley-bundle-%s.ndjson", time.Now().UTC().Format("20060102"))
	stream(c, formats.BundleContentType, name, func(w io.Writer) error {
		bw := formats.NewBundleWriter(w)
		n := 0
		defer func() { h.counters.Exported("bundle", n) }()
		err := h.store.StreamBundle(c.Request.Context(), func(kind string, v any) error {
			if n++; n%store.StreamBatch == 0 {
				if err := bw.Flush(); err != nil {
					return err
				}
				flush(c)
			}
			return bw.Write(kind, v)
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	})
}

// bundleTypes are the media types an import accepts.
var bundleTypes = []string{formats.BundleContentType, "application/ndjson", "application/jsonl", "application/json"}

// Import godoc
//
//	@Summary		Import a bundle
//	@ID			importBundle
//	@Description	Reads an NDJSON bundle (as /export/bundle writes it) from the body, streamed, and upserts every record by id (or slug): new entities are created, changed ones updated, equal ones left alone, so importing the same file twice changes nothing. atomic=true (the default) commits all or nothing; dry_run=true validates against the database and writes nothing. A body over the cap (--max-import-bytes) is a 413, at once when its Content-Length says so. The report counts each type and lists every rejected line with its number and problem.
//	@Tags			export
//	@Accept			application/x-ndjson
//	@Produce		json
//	@Param			dry_run	query		bool	false	"Validate only"	default(false)
//	@Param			atomic	query		bool	false	"All or nothing"	default(true)
//	@Param			bundle	body		formats.BundleRecord	true	"NDJSON records, one per line"
//	@Success		200		{object}	store.ImportReport	"committed (or dry run)"
//	@Failure		400		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	store.ImportReport	"rejected lines; nothing written when atomic"
//	@Router			/api/v1/import [post]
func (h *Export) Import(c *gin.Context) {
	// A body declared over the cap is refused before a byte of it is read: the client
	// learns at once, and no connection is held while it uploads in vain. The connection
	// is closed after the answer, or the server would first wait to drain a small body
	// the client may never send.
	if h.MaxImportBytes > 0 && c.Request.ContentLength > h.MaxImportBytes {
		c.Header("Connection", "close")
		Fail(c, models.Errorf(models.ETOOLARGE, "the bundle exceeds %d bytes (Content-Length: %d)", h.MaxImportBytes, c.Request.ContentLength))
		return
	}
	q := newQuery(c, "dry_run", "atomic")
	dry, atomic := q.bool("dry_run"), q.bool("atomic")
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	// A bundle is NDJSON; refusing other types catches a file sent as a form (curl's
	// --data-binary default) or the wrong file.
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || !slices.Contains(bundleTypes, mt) {
		Fail(c, models.Errorf(models.EUNSUPPORTED, "a bundle is NDJSON: send Content-Type: %s", formats.BundleContentType))
		return
	}
	opt := store.ImportOptions{DryRun: dry != nil && *dry, Atomic: atomic == nil || *atomic}
	body := io.Reader(c.Request.Body)
	if h.MaxImportBytes > 0 {
		body = http.MaxBytesReader(c.Writer, c.Request.Body, h.MaxImportBytes)
	}
	rd := formats.NewBundleReader(body)
	// The server's read and write timeouts are for ordinary requests: an import reads
	// for as long as its body takes and answers at the end, so each batch of records
	// read pushes both deadlines on.
	rc, n := http.NewResponseController(c.Writer), 0
	rep, err := h.store.Import(c.Request.Context(), func() (store.ImportRecord, error) {
		if n++; n%store.StreamBatch == 1 {
			_ = rc.SetReadDeadline(time.Now().Add(StreamWriteWindow))
			_ = rc.SetWriteDeadline(time.Now().Add(StreamWriteWindow))
		}
		r, err := rd.Next()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return store.ImportRecord{}, models.Errorf(models.ETOOLARGE, "the bundle exceeds %d bytes", h.MaxImportBytes)
			}
			if err == io.EOF {
				return store.ImportRecord{}, err
			}
			return store.ImportRecord{}, models.Errorf(models.EINVALID, "%s", err.Error())
		}
		return store.ImportRecord{Line: r.Line, Kind: r.Type, Entity: r.Entity, Stated: r.Stated, Err: r.Err}, nil
	}, opt)
	if err != nil {
		Fail(c, err)
		return
	}
	if rep.Committed {
		for kind, n := range rep.Counts {
			h.counters.Imported(kind, "created", n.Created)
			h.counters.Imported(kind, "updated", n.Updated)
			h.counters.Imported(kind, "unchanged", n.Unchanged)
			h.counters.Imported(kind, "rejected", n.Rejected)
		}
	}
	status := http.StatusOK
	if len(rep.Problems) > 0 && !rep.Committed && !rep.DryRun {
		status = http.StatusUnprocessableEntity
	}
	c.JSON(status, rep)
}

// maxFileBase bounds a download's file name before its extension.
const maxFileBase = 100

// exportFileName names a download after what it holds, from the parsed filter (never
// the raw query), so that two downloads with different filters do not overwrite each
// other: "parley-events-2026-01-ru.csv", "parley-participants-2025-08-to-2026-01.csv",
// "parley-events-timelinejs.json" (the format is named when the extension does not say
// it). The parts are the entity, the dates, then the countries, actors ("all" with
// match=all, "represented" with represented=true), roles, types, statuses, locations, tags, sources, "parent-" and "q-", each
// value slugified (ASCII letters, digits and hyphens). When a value does not survive
// that unchanged (free text, another script) or the name would pass maxFileBase
// characters, it is cut at a hyphen and ends with a hash of the whole filter, so that
// different filters still get different names.
func exportFileName(fm formats.Format, entity string, f store.EventFilter) string {
	parts := []string{"parley", entity}
	if fm.Name != fm.Extension {
		parts = append(parts, fm.Name)
	}
	canon := []string{"format=" + fm.Name, "entity=" + entity}
	lossy := false
	add := func(key, prefix string, vals ...string) {
		for _, v := range vals {
			canon = append(canon, key+"="+v)
			s := models.Slugify(v)
			if s != strings.ToLower(v) {
				lossy = true
			}
			if s != "" {
				parts = append(parts, prefix+s)
			}
		}
	}
	from, to := datePart(f.From, false), datePart(f.To, true)
	switch {
	case from != "" && from == to:
		parts = append(parts, from)
	case from != "" && to != "":
		parts = append(parts, from+"-to-"+to)
	case from != "":
		parts = append(parts, "from-"+from)
	case to != "":
		parts = append(parts, "to-"+to)
	}
	if f.From != nil {
		canon = append(canon, "from="+f.From.EDTF)
	}
	if f.To != nil {
		canon = append(canon, "to="+f.To.EDTF)
	}
	add("country", "", f.Countries...)
	add("actor", "", f.Actors...)
	if f.MatchAll && len(f.Actors) > 1 {
		parts = append(parts, "all")
		canon = append(canon, "match=all")
	}
	if f.Represented && len(f.Actors) > 0 {
		parts = append(parts, "represented")
		canon = append(canon, "represented=true")
	}
	for _, r := range f.Roles {
		add("role", "", string(r))
	}
	for _, t := range f.Types {
		add("type", "", string(t))
	}
	for _, st := range f.Statuses {
		add("status", "", string(st))
	}
	add("location", "", f.Locations...)
	add("tag", "", f.Tags...)
	add("source", "", f.Sources...)
	if f.Parent != "" {
		add("parent", "parent-", f.Parent)
	}
	if f.Q != "" {
		add("q", "q-", f.Q)
	}
	for _, m := range measureParts(f.Measures) {
		add(m.key, m.key+"-", m.value)
	}
	base := strings.Join(parts, "-")
	if lossy || len(base) > maxFileBase {
		h := fnv.New32a()
		for _, c := range canon {
			_, _ = h.Write([]byte(c + "\x00"))
		}
		suffix := fmt.Sprintf("-%08x", h.Sum32())
		if len(base) > maxFileBase-len(suffix) {
			base = base[:maxFileBase-len(suffix)]
			if i := strings.LastIndexByte(base, '-'); i > 0 {
				base = base[:i]
			}
		}
		base += suffix
	}
	return base + "." + fm.Extension
}

// datePart is a filter date for a file name, at its precision down to the day: the
// first period of from, the last of to ("2026-01", "2025-08-15").
func datePart(d *models.Date, last bool) string {
	if d == nil {
		return ""
	}
	p, q, _ := d.Ends()
	if last {
		p = q
	}
	y := strconv.Itoa(p.Year)
	if p.Year < 0 {
		y = strconv.Itoa(-p.Year) + "bce"
	}
	switch r := p.Precision.Rank(); {
	case r >= models.PrecisionDay.Rank():
		return fmt.Sprintf("%s-%02d-%02d", y, p.Month, p.Day)
	case r == models.PrecisionMonth.Rank():
		return fmt.Sprintf("%s-%02d", y, p.Month)
	}
	return y
}

// stream writes a download: headers first, then body; an error after the first byte
// can no longer become a problem response, so it aborts the connection and the client
// sees a truncated transfer rather than a file that looks complete.
func stream(c *gin.Context, contentType, filename string, body func(io.Writer) error) {
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	c.Status(http.StatusOK)
	if err := body(c.Writer); err != nil {
		_ = c.Error(err)
		if c.Writer.Written() {
			panic(http.ErrAbortHandler)
		}
		c.Abort()
	}
}

// StreamWriteWindow is how long a response may take to write, and how long a stream may
// wait for its client between flushes.
const StreamWriteWindow = time.Minute

// flush sends what a stream has written and gives it another StreamWriteWindow.
func flush(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	_ = rc.Flush()
	_ = rc.SetWriteDeadline(time.Now().Add(StreamWriteWindow)) // not every writer has deadlines (tests' recorders)
}
