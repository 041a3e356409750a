package formats

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parley-api/parley/models"
)

// TimelineOptions configure the timeline encoders.
type TimelineOptions struct {
	// Title is the headline of the title slide (TimelineJS); no title slide when empty.
	Title string
	// GroupBy picks the lanes (TimelineJS group, vis groups): "" (none), "type",
	// "actor" or "location". See ValidGroupBy.
	GroupBy string
}

// The GroupBy values.
const (
	GroupByNone     = ""
	GroupByType     = "type"
	GroupByActor    = "actor"
	GroupByLocation = "location"
)

// GroupByValues lists the non-empty GroupBy values, for validation and documentation.
var GroupByValues = []string{GroupByType, GroupByActor, GroupByLocation}

// ValidGroupBy reports whether s is a GroupBy value the encoders know ("" included).
// The encoders treat an unknown value as "" (no lanes); callers validate first.
func ValidGroupBy(s string) bool { return s == GroupByNone || slices.Contains(GroupByValues, s) }

// Lane labels for events that lack what GroupBy groups by.
const (
	UnknownLocation = "Unknown location"
	NoParticipants  = "No participants"
)

// encoder holds what both timeline encoders derive from the options and the events.
// Names come from the actors embedded in the events (each participant's actor and whom
// it represents, each statement's speaker), as the store embeds them for /timeline and
// for the exports alike, so that both write the same text; an actor embedded in one
// place is known by id and slug everywhere in the same document.
type encoder struct {
	opt    TimelineOptions
	actors map[models.ID]*models.Actor
	slugs  map[string]*models.Actor
}

func newEncoder(events []models.Event, opt TimelineOptions) *encoder {
	en := &encoder{opt: opt, actors: map[models.ID]*models.Actor{}, slugs: map[string]*models.Actor{}}
	add := func(a *models.Actor) {
		if a == nil {
			return
		}
		if _, ok := en.actors[a.ID]; !ok && !a.ID.IsZero() {
			en.actors[a.ID] = a
		}
		if _, ok := en.slugs[a.Slug]; !ok && a.Slug != "" {
			en.slugs[a.Slug] = a
		}
	}
	for i := range events {
		for _, p := range events[i].Participants {
			add(p.ActorData)
			add(p.RepresentsData)
		}
		for _, st := range events[i].StatementsData {
			add(st.SpeakerData)
		}
	}
	return en
}

// actor looks a reference up among the known actors; nil when unknown.
func (en *encoder) actor(r models.Ref) *models.Actor {
	if r.Resolved() {
		return en.actors[r.ID]
	}
	return en.slugs[r.Slug]
}

// actorName is the actor's name when known, else its id (or slug, before resolution).
func (en *encoder) actorName(r models.Ref) string {
	if a := en.actor(r); a != nil {
		return a.Name
	}
	return r.String()
}

// participantName prefers the embedded actor, then the lookup, then the reference.
func (en *encoder) participantName(p models.Participant) string {
	if p.ActorData != nil {
		return p.ActorData.Name
	}
	return en.actorName(p.Actor)
}

// representsName is whom a participant represents, as participantName finds names.
func (en *encoder) representsName(p models.Participant) string {
	if p.RepresentsData != nil {
		return p.RepresentsData.Name
	}
	return en.actorName(*p.Represents)
}

// speaker is a statement's speaker: embedded, else looked up; nil when unknown or unnamed.
func (en *encoder) speaker(s *models.Statement) *models.Actor {
	if s.SpeakerData != nil {
		return s.SpeakerData
	}
	if s.Speaker == nil {
		return nil
	}
	return en.actor(*s.Speaker)
}

// speaksForName is the name of the organisation an unnamed speaker speaks for, "" if none.
func (en *encoder) speaksForName(s *models.Statement) string {
	if s.SpeaksForData != nil {
		return s.SpeaksForData.Name
	}
	if s.SpeaksFor == nil {
		return ""
	}
	return en.actorName(*s.SpeaksFor)
}

// keyed is an event to encode with its key: unique_id (TimelineJS) and id (vis).
type keyed struct {
	e   *models.Event
	key string
}

// unique returns the events to encode: in the order given, each once. An event's key
// is its slug (unique in the store), else its id, else its position ("event-3"); a later
// event with a key already seen (the same event passed twice) is dropped, so every
// slide and item has a distinct key.
func unique(events []models.Event) []keyed {
	stated := map[string]bool{} // slugs and ids, which generated keys must avoid
	for i := range events {
		if k := statedKey(&events[i]); k != "" {
			stated[k] = true
		}
	}
	seen := map[string]bool{}
	out := make([]keyed, 0, len(events))
	for i := range events {
		e := &events[i]
		k := statedKey(e)
		if k == "" {
			k = fmt.Sprintf("event-%d", i+1)
			for stated[k] || seen[k] {
				k += "-x"
			}
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, keyed{e, k})
	}
	return out
}

// statedKey is the event's slug, else its id, else "".
func statedKey(e *models.Event) string {
	if e.Slug != "" {
		return e.Slug
	}
	if !e.ID.IsZero() {
		return e.ID.String()
	}
	return ""
}

// lane is one group of a timeline: a stable id and the label people see (plain text).
type lane struct{ id, label string }

// laneOf returns the event's lane for GroupBy, and false when there are no lanes.
// actor: an item has one lane but an event has several participants, so the lane is the
// first participant's (in the event's order); location: the embedded location's name,
// or UnknownLocation when there is none or it was not embedded.
func (en *encoder) laneOf(e *models.Event) (lane, bool) {
	switch en.opt.GroupBy {
	case GroupByType:
		return lane{"type:" + string(e.Type), string(e.Type)}, true
	case GroupByActor:
		if len(e.Participants) == 0 {
			return lane{"actor:", NoParticipants}, true
		}
		p := e.Participants[0]
		id := p.Actor.String()
		if p.ActorData != nil && p.ActorData.Slug != "" {
			id = p.ActorData.Slug
		} else if a := en.actor(p.Actor); a != nil && a.Slug != "" {
			id = a.Slug
		}
		return lane{"actor:" + id, en.participantName(p)}, true
	case GroupByLocation:
		if l := e.LocationData; l != nil {
			id := l.Slug
			if id == "" {
				id = l.ID.String()
			}
			return lane{"location:" + id, l.Name}, true
		}
		return lane{"location:", UnknownLocation}, true
	}
	return lane{}, false
}

// esc escapes user text for HTML.
func esc(s string) string { return html.EscapeString(s) }

// roleText writes a role for people: "head_of_delegation" -> "head of delegation".
func roleText(r models.Role) string { return strings.ReplaceAll(string(r), "_", " ") }

// participantsText lists the participants with their roles and whom they represent:
// "Vladimir Putin (host, representing Russia), Steve Witkoff (envoy, representing
// United States)". Plain text.
func (en *encoder) participantsText(e *models.Event) string {
	parts := make([]string, 0, len(e.Participants))
	for _, p := range e.Participants {
		s := en.participantName(p)
		if p.Title != "" {
			s += ", " + p.Title // the title on the event's date
		}
		s += " (" + roleText(p.Role)
		if p.Represents != nil {
			s += ", representing " + en.representsName(p)
		}
		parts = append(parts, s+")")
	}
	return strings.Join(parts, ", ")
}

// locationText is "Davos, Graubünden, CH", or "" when the location is not embedded.
func locationText(e *models.Event) string {
	l := e.LocationData
	if l == nil {
		return ""
	}
	parts := []string{l.Name}
	if l.AdminArea != "" {
		parts = append(parts, l.AdminArea)
	}
	if l.Country != "" {
		parts = append(parts, l.Country)
	}
	return strings.Join(parts, ", ")
}

// speakerText says who made a statement: the attribution with the speaker's name
// ("Dmitry Peskov, to reporters (Dmitry Peskov)"), or the name with the actor's title
// ("Yuri Ushakov, Kremlin foreign policy aide"); a speaker the source does not name is the
// attribution with the organisation they speak for ("a TASS source (TASS)"), never a
// speaker's name. The medium follows.
func (en *encoder) speakerText(s *models.Statement) string {
	a := en.speaker(s)
	name := en.speaksForName(s)
	if s.Speaker != nil {
		name = s.Speaker.String()
		if a != nil {
			name = a.Name
		}
	}
	var who string
	switch {
	case s.Attribution != "" && name != "" && !strings.EqualFold(name, s.Attribution):
		who = s.Attribution + " (" + name + ")"
	case s.Attribution != "":
		who = s.Attribution
	default:
		who = name
		if a != nil && a.Title != "" {
			who += ", " + a.Title
		}
	}
	if s.Medium != "" {
		who += ", " + s.Medium
	}
	return who
}

// safeURL reports whether u may go into an href: an absolute http(s) URL. The store
// accepts nothing else; this guards documents built from other input.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// sourceHTML is one source: a link when it has a URL, else its credit ("NBC News, via
// Meduza", models.Credit) and title; the publication date follows.
func sourceHTML(s models.Source) string {
	label := models.Credit(&s)
	if s.Title != "" {
		label += ": “" + s.Title + "”"
	}
	out := esc(label)
	if s.URL != "" && safeURL(s.URL) {
		out = `<a href="` + esc(s.URL) + `">` + out + `</a>`
	}
	if !s.Published.IsZero() {
		out += " (" + sourceDateLabel(s.DateBasis) + esc(DisplayDate(s.Published)) + ")"
	}
	return out
}

// sourceDateLabel says what a source's date is when it is not the publication date.
func sourceDateLabel(basis string) string {
	switch basis {
	case models.DateBasisGDELTAdded:
		return "added to GDELT "
	case models.DateBasisRetrieved:
		return "retrieved "
	}
	return ""
}

// metaText is the event's type, and its status unless it was held: "negotiation ·
// scheduled".
func metaText(e *models.Event) string {
	s := string(e.Type)
	if e.Status != "" && e.Status != models.StatusHeld {
		if s != "" {
			s += " · "
		}
		s += string(e.Status)
	}
	return s
}

// eventHTML is the body of a TimelineJS slide: the summary, the participants, the
// location, the quotes as blockquotes (TimelineJS's stylesheet adds the quotation marks
// and the dash before <cite>), each followed by its context when it has one, and the
// sources. All user text is escaped.
func (en *encoder) eventHTML(e *models.Event) string {
	var b strings.Builder
	if e.Summary != "" {
		b.WriteString("<p>" + esc(e.Summary) + "</p>")
	}
	if m := metaText(e); m != "" {
		b.WriteString(`<p class="parley-meta"><em>` + esc(m) + "</em></p>")
	}
	if len(e.Participants) > 0 {
		b.WriteString(`<p class="parley-participants"><strong>Participants:</strong> ` + esc(en.participantsText(e)) + "</p>")
	}
	if l := locationText(e); l != "" {
		b.WriteString(`<p class="parley-location"><strong>Location:</strong> ` + esc(l) + "</p>")
	}
	for i := range e.StatementsData {
		s := &e.StatementsData[i]
		if !s.Quote {
			continue
		}
		b.WriteString("<blockquote><p>" + esc(s.Text) + "</p><cite>" + esc(en.speakerText(s)) + "</cite></blockquote>")
		if s.Context != "" {
			b.WriteString(`<p class="parley-context"><strong>Context:</strong> ` + esc(s.Context) + "</p>")
		}
	}
	var srcs []string
	for _, s := range e.SourcesData {
		if s.Outlet == "" && s.Title == "" && s.URL == "" {
			continue // a source the store could not find
		}
		srcs = append(srcs, sourceHTML(s))
	}
	if len(srcs) > 0 {
		b.WriteString(`<p class="parley-sources"><strong>Sources:</strong> ` + strings.Join(srcs, "; ") + "</p>")
	}
	return b.String()
}

// maxTooltip bounds the plain-text summary line of a vis item, in characters.
const maxTooltip = 300

// summaryLine is a one-line plain-text description: "22 January 2026 · Davos: Ukrainian
// President …", cut at maxTooltip characters.
func summaryLine(e *models.Event) string {
	s := DisplayDate(e.Date)
	if e.LocationData != nil && e.LocationData.Name != "" {
		s += " · " + e.LocationData.Name
	}
	body := e.Summary
	if body == "" {
		body = e.Title
	}
	s += ": " + strings.Join(strings.Fields(body), " ")
	if utf8.RuneCountInString(s) > maxTooltip {
		r := []rune(s)
		s = strings.TrimRight(string(r[:maxTooltip-1]), " ") + "…"
	}
	return s
}
