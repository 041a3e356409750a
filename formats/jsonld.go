package formats

import (
	"fmt"
	"io"
	"slices"

	"github.com/parley-api/parley/models"
)

// exportJSONLD writes a schema.org graph of Events.
type exportJSONLD struct{ exportBase }

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
	Citation       []any      `json:"citation,omitempty"`
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
	Citation      []any           `json:"citation,omitempty"`
	CreditText    string          `json:"creditText,omitempty"`
	IsBasedOn     any             `json:"isBasedOn,omitempty"`
	HasPart       []*ldWork       `json:"hasPart,omitempty"`
	IsPartOf      *ldWork         `json:"isPartOf,omitempty"`
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
	out.Citation = ldCitations(e.Sources, e.SourcesData, e.Evidence)
	return out
}

// ldCitations are the sources refs names: each a CreativeWork when it is among data
// (with its credit, the source it came via as isBasedOn, and the spans its evidence
// quotes as Quotations whose keywords are the claims they support), else a reference.
func ldCitations(refs []*models.Ref, data []models.Source, evidence []models.Evidence) []any {
	var out []any
	for _, r := range refs {
		if r == nil {
			continue
		}
		var src *models.Source
		for i := range data {
			if r.Resolved() && data[i].ID == r.ID {
				src = &data[i]
			}
		}
		if src == nil {
			if n := ldRefNode(r); n != nil {
				out = append(out, n)
			}
			continue
		}
		w := ldSource(src)
		for _, ev := range evidence {
			if ev.Source != nil && ev.Source.Resolved() && ev.Source.ID == src.ID {
				w.HasPart = append(w.HasPart, &ldWork{Type: "Quotation", Text: ev.Quote, Keywords: ev.Supports})
			}
		}
		out = append(out, w)
	}
	return out
}

// ldParticipant is the participant's actor, or a reference to it when not embedded.
func ldParticipant(p models.Participant) *ldAgent {
	if p.ActorData != nil {
		a := ldActor(p.ActorData)
		if p.Title != "" {
			a.JobTitle = p.Title // the title on the event's date
		}
		return a
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
	if s.DateBasis == "" || s.DateBasis == models.DateBasisPublished {
		// Another basis (the day GDELT added the article) is no publication date.
		w.DatePublished, _ = ldDates(s.Published)
	}
	w.CreditText = models.Credit(s)
	switch {
	case s.ViaData != nil:
		w.IsBasedOn = ldSource(s.ViaData)
	case s.Via != nil && s.Via.Resolved():
		w.IsBasedOn = ldRefNode(s.Via)
	}
	return w
}

// ldStatement maps a statement onto a Quotation (a direct quote) or a CreativeWork (a
// paraphrase). The speaker is given in full when it is one of the event's embedded
// participants, else by reference; a speaker the source does not name is a Person known
// by the attribution, affiliated with the organisation they speak for. A quoted fragment's
// context, the sentence around it, is the work it is part of.
func ldStatement(e *models.Event, s *models.Statement) *ldWork {
	w := &ldWork{Type: "CreativeWork", ID: ldURN(s.ID), Text: s.Text, InLanguage: s.Language, Keywords: s.Tags}
	if s.Quote {
		w.Type = "Quotation"
	}
	for _, p := range e.Participants {
		if a := p.ActorData; a != nil && s.Speaker != nil && ((s.Speaker.Resolved() && a.ID == s.Speaker.ID) ||
			(!s.Speaker.Resolved() && s.Speaker.Slug != "" && a.Slug == s.Speaker.Slug)) {
			w.Creator = ldActor(a)
			break
		}
	}
	if w.Creator == nil {
		switch {
		case s.Speaker == nil:
			w.Creator = &ldAgent{Type: "Person", Description: s.Attribution, Affiliation: ldRefNode(s.SpeaksFor)}
		case s.Speaker.Resolved():
			w.Creator = &ldAgent{ID: ldURN(s.Speaker.ID)}
		case s.Speaker.Slug != "":
			w.Creator = &ldAgent{Identifier: s.Speaker.Slug}
		}
	}
	w.DateCreated, _ = ldDates(s.Date)
	if s.Context != "" {
		w.IsPartOf = &ldWork{Type: "CreativeWork", Text: s.Context}
	}
	switch {
	case s.Attribution != "" && s.Medium != "":
		w.Description = s.Attribution + ", " + s.Medium
	default:
		w.Description = s.Attribution + s.Medium
	}
	w.Citation = ldCitations(s.Sources, e.SourcesData, s.Evidence)
	return w
}

// ldDates writes a date's ends as ISO 8601 at their stated precision; end is the last
// period the date covers (the start's for a single date). Qualifiers are dropped.
func ldDates(d models.Date) (start, end string) {
	if d.IsZero() {
		return "", ""
	}
	a, b, _ := d.Ends()
	return exportISOPoint(a), exportISOPoint(b)
}

// exportISOPoint writes one end of a date as ISO 8601 at its precision, the time of day
// in the offset it was written in.
func exportISOPoint(p models.DatePoint) string {
	switch p.Precision.Rank() {
	case 1:
		return fmt.Sprintf("%04d", p.Year)
	case 2:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	case 3:
		return fmt.Sprintf("%04d-%02d-%02d", p.Year, p.Month, p.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02dT%s%s", p.Year, p.Month, p.Day, clock(p), p.Offset)
}
