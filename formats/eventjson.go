package formats

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/parley-api/parley/models"
)

// appendEventJSON appends the JSON of e, byte for byte what encoding/json writes for
// it (the API's document), to b. The ndjson and json exports write an event at a time
// and spent most of their CPU in encoding/json's reflection and in re-compacting what
// the custom marshalers (dates, references, ids) return; this writes the same bytes
// directly into a buffer the exporter reuses. An event holding what only
// encoding/json knows how to write or refuse (a NaN coordinate, a timestamp outside
// years 0-9999) goes through json.Marshal, so output and errors never differ.
// eventjson_test.go compares the two on random events that fill every field the models
// have, and fails when a model gains a field this does not write.
func appendEventJSON(b []byte, e *models.Event) ([]byte, error) {
	w := jsonWriter{b: b, ok: true}
	w.event(e)
	if w.ok {
		return w.b, nil
	}
	data, err := json.Marshal(e)
	if err != nil {
		return b, err
	}
	return append(b, data...), nil
}

// jsonWriter appends JSON to b; ok turns false at the first value it cannot write the
// way encoding/json does.
type jsonWriter struct {
	b  []byte
	ok bool
}

func (w *jsonWriter) raw(s string) { w.b = append(w.b, s...) }

func (w *jsonWriter) str(s string) { w.b = appendJSONString(w.b, s) }

func (w *jsonWriter) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

func (w *jsonWriter) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

// id writes a uuid as its MarshalText does: 36 characters, lower-case hex.
func (w *jsonWriter) id(u uuid.UUID) {
	const hexDigits = "0123456789abcdef"
	w.b = append(w.b, '"')
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			w.b = append(w.b, '-')
		}
		w.b = append(w.b, hexDigits[c>>4], hexDigits[c&0x0f])
	}
	w.b = append(w.b, '"')
}

// ref writes a reference as Ref.MarshalJSON does: the id, or the slug before resolution.
func (w *jsonWriter) ref(r models.Ref) {
	if r.Resolved() {
		w.id(r.ID.UUID)
		return
	}
	w.str(r.Slug)
}

// time writes t as time.Time.MarshalJSON does (RFC 3339 with nanoseconds), leaving the
// instants it refuses to encoding/json.
func (w *jsonWriter) time(t time.Time) {
	n0 := len(w.b)
	w.b = append(w.b, '"')
	w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	s := w.b[n0+1:]
	switch {
	case len(s) < 5 || s[4] != '-': // a year of other than 4 digits
		w.ok = false
	case s[len(s)-1] != 'Z':
		c := s[len(s)-len("Z07:00")]
		if ('0' <= c && c <= '9') || 10*(s[len(s)-5]-'0')+(s[len(s)-4]-'0') >= 24 {
			w.ok = false
		}
	}
	w.b = append(w.b, '"')
}

// date writes a date as Date.MarshalJSON does.
func (w *jsonWriter) date(d models.Date) {
	if d.IsZero() {
		w.raw("null")
		return
	}
	w.raw(`{"edtf":`)
	w.str(d.EDTF)
	w.raw(`,"start":"`)
	w.b = d.Start.UTC().AppendFormat(w.b, time.RFC3339)
	w.raw(`","end":"`)
	w.b = d.End.UTC().AppendFormat(w.b, time.RFC3339)
	w.raw(`","precision":`)
	w.str(string(d.Precision))
	w.raw(`,"approximate":`)
	w.bool(d.Approximate)
	w.raw(`,"uncertain":`)
	w.bool(d.Uncertain)
	w.b = append(w.b, '}')
}

// float writes a float64 as encoding/json does; NaN and infinities it refuses.
func (w *jsonWriter) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.ok = false
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.b = strconv.AppendFloat(w.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it.
		if n := len(w.b); n >= 4 && w.b[n-4] == 'e' && w.b[n-3] == '-' && w.b[n-2] == '0' {
			w.b[n-2] = w.b[n-1]
			w.b = w.b[:n-1]
		}
	}
}

func (w *jsonWriter) strings(xs []string) {
	if xs == nil {
		w.raw("null")
		return
	}
	w.b = append(w.b, '[')
	for i, s := range xs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.str(s)
	}
	w.b = append(w.b, ']')
}

// stringMap writes a map as StringMap.MarshalJSON does: keys in order, {} when nil.
func (w *jsonWriter) stringMap(m models.StringMap) {
	if len(m) == 0 {
		w.raw("{}")
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.b = append(w.b, '{')
	for i, k := range keys {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.str(k)
		w.b = append(w.b, ':')
		w.str(m[k])
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) refs(rs []*models.Ref) {
	if rs == nil {
		w.raw("null")
		return
	}
	w.b = append(w.b, '[')
	for i, r := range rs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		if r == nil {
			w.raw("null")
		} else {
			w.ref(*r)
		}
	}
	w.b = append(w.b, ']')
}

// meta writes the opening brace and the fields every entity starts with.
func (w *jsonWriter) meta(m *models.Meta) {
	w.raw(`{"id":`)
	w.id(m.ID.UUID)
	w.raw(`,"version":`)
	w.int(m.Version)
	w.raw(`,"created_at":`)
	w.time(m.CreatedAt)
	w.raw(`,"updated_at":`)
	w.time(m.UpdatedAt)
}

func (w *jsonWriter) event(e *models.Event) {
	w.meta(&e.Meta)
	w.raw(`,"slug":`)
	w.str(e.Slug)
	w.raw(`,"title":`)
	w.str(e.Title)
	w.raw(`,"type":`)
	w.str(string(e.Type))
	if e.CAMEO != "" {
		w.raw(`,"cameo_code":`)
		w.str(e.CAMEO)
	}
	w.raw(`,"status":`)
	w.str(string(e.Status))
	w.raw(`,"date":`)
	w.date(e.Date)
	if e.Location != nil {
		w.raw(`,"location_id":`)
		w.ref(*e.Location)
	}
	if e.Summary != "" {
		w.raw(`,"summary":`)
		w.str(e.Summary)
	}
	w.raw(`,"tags":`)
	w.strings(e.Tags)
	w.raw(`,"participants":`)
	if e.Participants == nil {
		w.raw("null")
	} else {
		w.b = append(w.b, '[')
		for i := range e.Participants {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.participant(&e.Participants[i])
		}
		w.b = append(w.b, ']')
	}
	w.raw(`,"source_ids":`)
	w.refs(e.Sources)
	if e.Parent != nil {
		w.raw(`,"parent_id":`)
		w.ref(*e.Parent)
	}
	w.raw(`,"relations":`)
	if e.Relations == nil {
		w.raw("null")
	} else {
		w.b = append(w.b, '[')
		for i, r := range e.Relations {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.raw(`{"type":`)
			w.str(string(r.Type))
			w.raw(`,"event_id":`)
			w.ref(r.Related)
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ']')
	}
	w.evidence(e.Evidence)
	if !e.Measures.IsZero() {
		w.raw(`,"gdelt":`)
		w.measures(&e.Measures)
	}
	if e.LocationData != nil {
		w.raw(`,"location":`)
		w.location(e.LocationData)
	}
	if len(e.SourcesData) > 0 {
		w.raw(`,"sources":[`)
		for i := range e.SourcesData {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.source(&e.SourcesData[i])
		}
		w.b = append(w.b, ']')
	}
	if len(e.StatementsData) > 0 {
		w.raw(`,"statements":[`)
		for i := range e.StatementsData {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.statement(&e.StatementsData[i])
		}
		w.b = append(w.b, ']')
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) participant(p *models.Participant) {
	w.raw(`{"actor_id":`)
	w.ref(p.Actor)
	w.raw(`,"role":`)
	w.str(string(p.Role))
	if p.Represents != nil {
		w.raw(`,"represents_id":`)
		w.ref(*p.Represents)
	}
	if p.ActorData != nil {
		w.raw(`,"actor":`)
		w.actor(p.ActorData)
	}
	if p.RepresentsData != nil {
		w.raw(`,"represents":`)
		w.actor(p.RepresentsData)
	}
	if p.Title != "" {
		w.raw(`,"title":`)
		w.str(p.Title)
	}
	if p.TitleOrganization != nil {
		w.raw(`,"title_organization_id":`)
		w.ref(*p.TitleOrganization)
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) actor(a *models.Actor) {
	w.meta(&a.Meta)
	w.raw(`,"slug":`)
	w.str(a.Slug)
	w.raw(`,"name":`)
	w.str(a.Name)
	w.raw(`,"kind":`)
	w.str(string(a.Kind))
	w.raw(`,"aliases":`)
	if a.Aliases == nil {
		w.raw("[]") // StringList.MarshalJSON
	} else {
		w.strings(a.Aliases)
	}
	if a.Country != "" {
		w.raw(`,"country":`)
		w.str(a.Country)
	}
	if a.Title != "" {
		w.raw(`,"title":`)
		w.str(a.Title)
	}
	if a.Affiliation != nil {
		w.raw(`,"affiliation_id":`)
		w.ref(*a.Affiliation)
	}
	w.raw(`,"external_ids":`)
	w.stringMap(a.ExternalIDs)
	if len(a.Positions) > 0 {
		w.raw(`,"positions":[`)
		for i, p := range a.Positions {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.raw(`{"title":`)
			w.str(p.Title)
			if p.Organization != nil {
				w.raw(`,"organization_id":`)
				w.ref(*p.Organization)
			}
			w.span(p.Start, p.End)
			if p.Note != "" {
				w.raw(`,"note":`)
				w.str(p.Note)
			}
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ']')
	}
	if len(a.Relations) > 0 {
		w.raw(`,"relations":[`)
		for i, r := range a.Relations {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.raw(`{"type":`)
			w.str(string(r.Type))
			w.raw(`,"actor_id":`)
			w.ref(r.Related)
			w.span(r.Start, r.End)
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ']')
	}
	w.b = append(w.b, '}')
}

// span writes the optional start and end of a position or an actor relation.
func (w *jsonWriter) span(start, end models.Date) {
	if !start.IsZero() {
		w.raw(`,"start":`)
		w.date(start)
	}
	if !end.IsZero() {
		w.raw(`,"end":`)
		w.date(end)
	}
}

func (w *jsonWriter) location(l *models.Location) {
	w.meta(&l.Meta)
	w.raw(`,"slug":`)
	w.str(l.Slug)
	w.raw(`,"name":`)
	w.str(l.Name)
	if l.Country != "" {
		w.raw(`,"country":`)
		w.str(l.Country)
	}
	if l.AdminArea != "" {
		w.raw(`,"admin_area":`)
		w.str(l.AdminArea)
	}
	if l.Latitude != nil {
		w.raw(`,"latitude":`)
		w.float(*l.Latitude)
	}
	if l.Longitude != nil {
		w.raw(`,"longitude":`)
		w.float(*l.Longitude)
	}
	w.raw(`,"external_ids":`)
	w.stringMap(l.ExternalIDs)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) source(s *models.Source) {
	w.meta(&s.Meta)
	w.raw(`,"slug":`)
	w.str(s.Slug)
	w.raw(`,"outlet":`)
	w.str(s.Outlet)
	w.raw(`,"title":`)
	w.str(s.Title)
	if s.URL != "" {
		w.raw(`,"url":`)
		w.str(s.URL)
	}
	w.raw(`,"published":`)
	w.date(s.Published)
	if s.Language != "" {
		w.raw(`,"language":`)
		w.str(s.Language)
	}
	if s.DateBasis != "" {
		w.raw(`,"date_basis":`)
		w.str(s.DateBasis)
	}
	if s.OutletID != nil {
		w.raw(`,"outlet_id":`)
		w.ref(*s.OutletID)
	}
	if s.Via != nil {
		w.raw(`,"via_id":`)
		w.ref(*s.Via)
	}
	if s.ViaData != nil {
		w.raw(`,"via":`)
		w.source(s.ViaData)
	}
	if s.Credit != "" {
		w.raw(`,"credit":`)
		w.str(s.Credit)
	}
	w.b = append(w.b, '}')
}

// measures writes an event's GDELT numbers, leaving out the unknown ones.
func (w *jsonWriter) measures(m *models.EventMeasures) {
	sep := byte('{')
	num := func(key string, f *float64) {
		if f != nil {
			w.b = append(w.b, sep)
			sep = ','
			w.str(key)
			w.b = append(w.b, ':')
			w.float(*f)
		}
	}
	count := func(key string, n *int) {
		if n != nil {
			w.b = append(w.b, sep)
			sep = ','
			w.str(key)
			w.b = append(w.b, ':')
			w.int(*n)
		}
	}
	num("goldstein", m.Goldstein)
	count("quad_class", m.QuadClass)
	num("avg_tone", m.AvgTone)
	count("num_mentions", m.NumMentions)
	count("num_sources", m.NumSources)
	count("num_articles", m.NumArticles)
	w.b = append(w.b, '}')
}

// evidence writes an evidence list as encoding/json does with omitempty: nothing when
// empty.
func (w *jsonWriter) evidence(evs []models.Evidence) {
	if len(evs) == 0 {
		return
	}
	w.raw(`,"evidence":[`)
	for i, ev := range evs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.raw(`{"source_id":`)
		if ev.Source == nil {
			w.raw("null")
		} else {
			w.ref(*ev.Source)
		}
		w.raw(`,"supports":`)
		w.strings(ev.Supports)
		if ev.Quote != "" {
			w.raw(`,"quote":`)
			w.str(ev.Quote)
		}
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
}

func (w *jsonWriter) statement(s *models.Statement) {
	w.meta(&s.Meta)
	w.raw(`,"text":`)
	w.str(s.Text)
	w.raw(`,"quote":`)
	w.bool(s.Quote)
	if s.Speaker != nil {
		w.raw(`,"speaker_id":`)
		w.ref(*s.Speaker)
	}
	if s.Attribution != "" {
		w.raw(`,"attribution":`)
		w.str(s.Attribution)
	}
	if s.SpeaksFor != nil {
		w.raw(`,"speaks_for_id":`)
		w.ref(*s.SpeaksFor)
	}
	w.raw(`,"date":`)
	w.date(s.Date)
	if s.Medium != "" {
		w.raw(`,"medium":`)
		w.str(s.Medium)
	}
	if s.Language != "" {
		w.raw(`,"language":`)
		w.str(s.Language)
	}
	if s.Event != nil {
		w.raw(`,"event_id":`)
		w.ref(*s.Event)
	}
	if s.Context != "" {
		w.raw(`,"context":`)
		w.str(s.Context)
	}
	w.raw(`,"source_ids":`)
	w.refs(s.Sources)
	w.raw(`,"tags":`)
	w.strings(s.Tags)
	w.evidence(s.Evidence)
	if s.SpeakerData != nil {
		w.raw(`,"speaker":`)
		w.actor(s.SpeakerData)
	}
	if s.SpeakerTitle != "" {
		w.raw(`,"speaker_title":`)
		w.str(s.SpeakerTitle)
	}
	if s.SpeaksForData != nil {
		w.raw(`,"speaks_for":`)
		w.actor(s.SpeaksForData)
	}
	if s.EventData != nil {
		w.raw(`,"event":`)
		w.event(s.EventData)
	}
	if len(s.SourcesData) > 0 {
		w.raw(`,"sources":[`)
		for i := range s.SourcesData {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.source(&s.SourcesData[i])
		}
		w.b = append(w.b, ']')
	}
	w.b = append(w.b, '}')
}

// appendJSONString appends s as a JSON string the way encoding/json does with HTML
// escaping on (its default): <, > and & as \u003c, \u003e and \u0026, control
// characters escaped, invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
