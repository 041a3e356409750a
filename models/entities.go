package models

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Meta is what every stored entity carries: its id, the version that optimistic
// concurrency checks, and when it was created and last changed. A client may choose
// the id of what it creates; the rest the server sets (readonly, see Members).
type Meta struct {
	ID        ID        `json:"id" gorm:"primaryKey"`
	Version   int       `json:"version" gorm:"not null" readonly:"true"`
	CreatedAt time.Time `json:"created_at" gorm:"not null;autoCreateTime:false" readonly:"true"`
	UpdatedAt time.Time `json:"updated_at" gorm:"not null;autoUpdateTime:false" readonly:"true"`
}

// GetMeta gives generic store code access to the common fields.
func (m *Meta) GetMeta() *Meta { return m }

// Actor is who takes part in events or speaks: a person, a state, an organisation, a
// delegation or a group.
type Actor struct {
	Meta
	Slug        string     `json:"slug" gorm:"not null;unique"`
	Name        string     `json:"name" gorm:"not null"`
	Kind        ActorKind  `json:"kind" gorm:"not null"`
	Aliases     StringList `json:"aliases" gorm:"not null" swaggertype:"array,string"`
	Country     string     `json:"country,omitempty" gorm:"not null"`
	Title       string     `json:"title,omitempty" gorm:"not null"`
	Affiliation *Ref       `json:"affiliation_id,omitempty" gorm:"column:affiliation_id"`
	ExternalIDs StringMap  `json:"external_ids" gorm:"column:external_ids;not null" swaggertype:"object,string"`
	// Positions are the offices the actor holds or held, with their dates (positions.go).
	Positions []Position `json:"positions,omitempty" gorm:"-"`
	// Relations are typed relations to other actors, read "this actor <type> actor_id".
	Relations []ActorRelation `json:"relations,omitempty" gorm:"-"`
}

// Validate checks an actor's own fields; references are checked by the store.
func (a *Actor) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	checkName(v, "name", a.Name, true)
	checkSlug(v, a.Slug)
	if !a.Kind.Valid() {
		v.Add("kind", "must be one of %v", ActorKinds)
	}
	for i, al := range a.Aliases {
		checkName(v, fmt.Sprintf("aliases[%d]", i), al, true)
	}
	checkCountry(v, "country", a.Country)
	checkName(v, "title", a.Title, false)
	checkExternalIDs(v, "external_ids", a.ExternalIDs)
	if a.Affiliation != nil && a.Affiliation.Resolved() && a.Affiliation.ID == a.ID {
		v.Add("affiliation_id", "an actor cannot be its own affiliation")
	}
	a.validatePositions(v)
	return v.Err()
}

// Location is a place where events happen, with WGS84 coordinates when known.
type Location struct {
	Meta
	Slug        string    `json:"slug" gorm:"not null;unique"`
	Name        string    `json:"name" gorm:"not null"`
	Country     string    `json:"country,omitempty" gorm:"not null"`
	AdminArea   string    `json:"admin_area,omitempty" gorm:"not null"`
	Latitude    *float64  `json:"latitude,omitempty" gorm:"type:double precision"`
	Longitude   *float64  `json:"longitude,omitempty" gorm:"type:double precision"`
	ExternalIDs StringMap `json:"external_ids" gorm:"column:external_ids;not null" swaggertype:"object,string"`
}

// Validate checks a location's fields.
func (l *Location) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	checkName(v, "name", l.Name, true)
	checkSlug(v, l.Slug)
	checkCountry(v, "country", l.Country)
	checkName(v, "admin_area", l.AdminArea, false)
	if (l.Latitude == nil) != (l.Longitude == nil) {
		v.Add("latitude", "latitude and longitude must be given together")
	}
	if l.Latitude != nil && (math.IsNaN(*l.Latitude) || *l.Latitude < -90 || *l.Latitude > 90) {
		v.Add("latitude", "must be between -90 and 90")
	}
	if l.Longitude != nil && (math.IsNaN(*l.Longitude) || *l.Longitude < -180 || *l.Longitude > 180) {
		v.Add("longitude", "must be between -180 and 180")
	}
	checkExternalIDs(v, "external_ids", l.ExternalIDs)
	return v.Err()
}

// Source is a publication that facts cite: an article, a transcript, a press release.
type Source struct {
	Meta
	Slug      string `json:"slug" gorm:"not null;unique"`
	Outlet    string `json:"outlet" gorm:"not null"`
	Title     string `json:"title" gorm:"not null"`
	URL       string `json:"url,omitempty" gorm:"column:url;not null"`
	Published Date   `json:"published" gorm:"embedded;embeddedPrefix:published_"`
	Language  string `json:"language,omitempty" gorm:"not null"`
	// DateBasis says what Published is: "" or "published" the publication date,
	// "gdelt_dateadded" the day GDELT added the article, "retrieved" the retrieval day.
	DateBasis string `json:"date_basis,omitempty" gorm:"not null;default:''"`

	// OutletID names the outlet entity; Outlet, its name, is then filled from it when
	// empty. Via names the source this one is known through (the NBC News report via
	// the Meduza article).
	OutletID *Ref `json:"outlet_id,omitempty" gorm:"column:outlet_id"`
	Via      *Ref `json:"via_id,omitempty" gorm:"column:via_id"`

	// Embedded with the sources of events and statements (include=sources); never
	// written. ViaData is the source Via names, Credit how the source is printed
	// ("NBC News, via Meduza", see Credit).
	ViaData *Source `json:"via,omitempty" gorm:"-"`
	Credit  string  `json:"credit,omitempty" gorm:"-" readonly:"true"`
}

// Validate checks a source's fields.
func (s *Source) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	checkName(v, "outlet", s.Outlet, s.OutletID == nil || s.OutletID.String() == "")
	checkText(v, "title", s.Title, false, MaxShortLen)
	checkRef(v, "outlet_id", s.OutletID, false)
	checkRef(v, "via_id", s.Via, false)
	if s.Via != nil && ((s.Via.Resolved() && s.Via.ID == s.ID) || (s.Via.Slug != "" && s.Via.Slug == s.Slug)) {
		v.Add("via_id", "a source cannot be known through itself")
	}
	if s.ViaData != nil {
		v.Add("via", "is read-only; set via_id")
	}
	checkSlug(v, s.Slug)
	checkURL(v, "url", s.URL)
	if s.Published.IsZero() {
		v.Add("published", "is required (EDTF: \"2026\", \"2026-01?\" and \"2026-01-23\" all work)")
	}
	checkLanguage(v, "language", s.Language)
	checkDateBasis(v, s.DateBasis)
	return v.Err()
}

// Participant is one actor's part in an event. EventStart and EventEnd copy the event's
// date so that an actor's events are one index range scan on (actor, start, event).
type Participant struct {
	EventID    ID        `json:"-" gorm:"primaryKey"`
	Actor      Ref       `json:"actor_id" gorm:"column:actor_id;primaryKey"`
	Role       Role      `json:"role" gorm:"primaryKey"`
	Represents *Ref      `json:"represents_id,omitempty" gorm:"column:represents_id"`
	Position   int       `json:"-" gorm:"not null"`
	EventStart time.Time `json:"-" gorm:"not null"`
	EventEnd   time.Time `json:"-" gorm:"not null"`
	// ActorData is the participant's actor, embedded when include=participants.
	ActorData *Actor `json:"actor,omitempty" gorm:"-"`
	// RepresentsData is the actor the participant represents, embedded with ActorData.
	RepresentsData *Actor `json:"represents,omitempty" gorm:"-"`
	// Title is the actor's title on the event's date: the position that covers it
	// (models.TitleOn), with the organisation it is held in. Read-only, shown on GET
	// /events/{id} and with include=participants; empty when no position covers the date.
	Title string `json:"title,omitempty" gorm:"-" readonly:"true"`
	// TitleOrganization is the organisation or state the title on the date is held in.
	TitleOrganization *Ref `json:"title_organization_id,omitempty" gorm:"-" readonly:"true"`
}

// TableName is the participation table.
func (Participant) TableName() string { return "event_participants" }

// Relation types a link from an event to another one.
type Relation struct {
	EventID ID           `json:"-" gorm:"primaryKey"`
	Type    RelationType `json:"type" gorm:"primaryKey"`
	Related Ref          `json:"event_id" gorm:"column:related_id;primaryKey"`
}

// TableName is the relation table.
func (Relation) TableName() string { return "event_relations" }

// Event is a diplomatic event: who took part, where, when, and which sources say so.
type Event struct {
	Meta
	Slug         string        `json:"slug" gorm:"not null;unique"`
	Title        string        `json:"title" gorm:"not null"`
	Type         EventType     `json:"type" gorm:"not null"`
	CAMEO        string        `json:"cameo_code,omitempty" gorm:"column:cameo_code;not null"`
	Status       EventStatus   `json:"status" gorm:"not null"`
	Date         Date          `json:"date" gorm:"embedded;embeddedPrefix:date_"`
	Location     *Ref          `json:"location_id,omitempty" gorm:"column:location_id"`
	Summary      string        `json:"summary,omitempty" gorm:"not null"`
	Tags         []string      `json:"tags" gorm:"-"`
	Participants []Participant `json:"participants" gorm:"-"`
	Sources      []*Ref        `json:"source_ids" gorm:"-"`
	Parent       *Ref          `json:"parent_id,omitempty" gorm:"column:parent_id"`
	Relations    []Relation    `json:"relations" gorm:"-"`
	Evidence     []Evidence    `json:"evidence,omitempty" gorm:"-"`
	// Measures are GDELT's numbers for the event (Goldstein, QuadClass, tone, counts);
	// omitted when none is known.
	Measures EventMeasures `json:"gdelt,omitempty,omitzero" gorm:"embedded;embeddedPrefix:gdelt_"`

	// Embedded on request (include=location,sources,statements); never written.
	LocationData   *Location   `json:"location,omitempty" gorm:"-"`
	SourcesData    []Source    `json:"sources,omitempty" gorm:"-"`
	StatementsData []Statement `json:"statements,omitempty" gorm:"-"`
}

var cameoRE = regexp.MustCompile(`^[0-9]{2,4}$`)

// Validate checks an event's own fields and the shape of its participants and relations.
func (e *Event) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	checkText(v, "title", e.Title, true, MaxShortLen)
	checkSlug(v, e.Slug)
	if !e.Type.Valid() {
		v.Add("type", "must be one of %v", EventTypes)
	}
	if e.CAMEO != "" && !cameoRE.MatchString(e.CAMEO) {
		v.Add("cameo_code", "must be a CAMEO event code of 2 to 4 digits, e.g. \"046\"")
	}
	if !e.Status.Valid() {
		v.Add("status", "must be one of %v", EventStatuses)
	}
	if e.Date.IsZero() {
		v.Add("date", "is required")
	}
	checkText(v, "summary", e.Summary, false, MaxTextLen)
	checkTags(v, "tags", e.Tags)
	for i, p := range e.Participants {
		f := fmt.Sprintf("participants[%d]", i)
		checkRef(v, f+".actor_id", &p.Actor, true)
		if !p.Role.Valid() {
			v.Add(f+".role", "must be one of %v", Roles)
		}
		if p.ActorData != nil {
			v.Add(f+".actor", "is read-only; set actor_id")
		}
		if p.RepresentsData != nil {
			v.Add(f+".represents", "is read-only; set represents_id")
		}
	}
	for i, s := range e.Sources {
		checkRef(v, fmt.Sprintf("source_ids[%d]", i), s, true)
	}
	for i, r := range e.Relations {
		f := fmt.Sprintf("relations[%d]", i)
		if !r.Type.Valid() {
			v.Add(f+".type", "must be one of %v", RelationTypes)
		}
		checkRef(v, f+".event_id", &r.Related, true)
	}
	checkEvidence(v, e.Evidence, EventClaims)
	if e.Status == StatusHeld && len(e.Evidence) > 0 && !slices.ContainsFunc(e.Evidence, func(ev Evidence) bool { return slices.Contains(ev.Supports, "status") }) {
		// An event is held once a source says it happened: evidence that says nothing of
		// that leaves it resting on a plan.
		v.Add("status", "is held, but no evidence supports status: cite the span saying it happened (supports \"status\"), or leave it scheduled")
	}
	e.Measures.check(v, "gdelt")
	if e.LocationData != nil || e.SourcesData != nil || e.StatementsData != nil {
		v.Add("", "location, sources and statements are read-only; set location_id and source_ids")
	}
	return v.Err()
}

// Statement is something said, quoted or paraphrased, with who reported it. Its speaker
// is the actor who said it, when the source names them; a person the source does not
// name ("a TASS source") is no speaker but an attribution, with the organisation they
// speak for in SpeaksFor, so that what TASS said and what a TASS source said stay apart.
// Its date is required: a source always supports at least an approximate one. Context is
// the sentence around a quoted fragment ("sincerely interested") that says who or what the
// fragment is about, as the source prints it.
type Statement struct {
	Meta
	Text        string     `json:"text" gorm:"not null"`
	Quote       bool       `json:"quote" gorm:"not null"`
	Speaker     *Ref       `json:"speaker_id,omitempty" gorm:"column:speaker_id"`
	Attribution string     `json:"attribution,omitempty" gorm:"not null"`
	SpeaksFor   *Ref       `json:"speaks_for_id,omitempty" gorm:"column:speaks_for_id"`
	Date        Date       `json:"date" gorm:"embedded;embeddedPrefix:date_"`
	Medium      string     `json:"medium,omitempty" gorm:"not null"`
	Language    string     `json:"language,omitempty" gorm:"not null"`
	Event       *Ref       `json:"event_id,omitempty" gorm:"column:event_id"`
	Context     string     `json:"context,omitempty" gorm:"not null;default:''"`
	Sources     []*Ref     `json:"source_ids" gorm:"-"`
	Tags        []string   `json:"tags" gorm:"-"`
	Evidence    []Evidence `json:"evidence,omitempty" gorm:"-"`

	// Embedded on request (include=speaker,event,sources); never written.
	SpeakerData *Actor `json:"speaker,omitempty" gorm:"-"`
	// SpeakerTitle is the speaker's title on the statement's date, from their positions
	// (TitleOn): Ushakov speaks as a Kremlin aide on 22 January 2026 whatever he is later.
	SpeakerTitle  string   `json:"speaker_title,omitempty" gorm:"-" readonly:"true"`
	SpeaksForData *Actor   `json:"speaks_for,omitempty" gorm:"-"`
	EventData     *Event   `json:"event,omitempty" gorm:"-"`
	SourcesData   []Source `json:"sources,omitempty" gorm:"-"`
}

// OneRequired is implemented by entities that need at least one of some members, which
// Validate enforces and the API documents state beside their required members.
type OneRequired interface {
	OneRequired() []string
}

// OneRequired names the members of which a statement needs one: a speaker, or an
// attribution for a speaker the source does not name.
func (*Statement) OneRequired() []string { return []string{"speaker_id", "attribution"} }

// Validate checks a statement's fields.
func (s *Statement) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	checkText(v, "text", s.Text, true, MaxTextLen)
	checkRef(v, "speaker_id", s.Speaker, false)
	checkRef(v, "speaks_for_id", s.SpeaksFor, false)
	if (s.Speaker == nil || s.Speaker.String() == "") && strings.TrimSpace(s.Attribution) == "" {
		// Either one: the fault is the body's, so that the API documents require neither.
		v.Add("", "needs speaker_id (the actor who said it) or, when the source does not name the speaker, attribution (\"a TASS source\")")
	}
	if s.Date.IsZero() {
		v.Add("date", "is required (at the precision the source supports)")
	}
	checkText(v, "attribution", s.Attribution, false, MaxShortLen)
	checkText(v, "medium", s.Medium, false, MaxShortLen)
	checkText(v, "context", s.Context, false, MaxTextLen)
	checkLanguage(v, "language", s.Language)
	checkTags(v, "tags", s.Tags)
	for i, r := range s.Sources {
		checkRef(v, fmt.Sprintf("source_ids[%d]", i), r, true)
	}
	checkEvidence(v, s.Evidence, StatementClaims)
	if s.SpeakerData != nil || s.SpeaksForData != nil || s.EventData != nil || s.SourcesData != nil {
		v.Add("", "speaker, speaks_for, event and sources are read-only; set speaker_id, speaks_for_id, event_id and source_ids")
	}
	return v.Err()
}

// Revision records one change to an entity: who made it, when, and the entity's whole
// state afterwards (before, for a deletion).
type Revision struct {
	ID         ID        `json:"id" gorm:"primaryKey"`
	EntityType string    `json:"entity_type" gorm:"not null"`
	EntityID   ID        `json:"entity_id" gorm:"not null"`
	Version    int       `json:"version" gorm:"not null"`
	Action     Action    `json:"action" gorm:"not null"`
	Author     string    `json:"author" gorm:"not null"`
	CreatedAt  time.Time `json:"created_at" gorm:"not null"`
	Data       JSONDoc   `json:"data" gorm:"not null" swaggertype:"object"`
}
