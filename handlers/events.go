package handlers

import (
	"context"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// EventStore is what the event handlers need of the store.
type EventStore interface {
	HistoryStore
	CreateEvent(context.Context, *models.Event) error
	GetEvent(context.Context, string, store.Include) (*models.Event, error)
	ReplaceEvent(context.Context, string, *models.Event, int) error
	DeleteEvent(context.Context, string, int) error
	ListEvents(context.Context, store.EventFilter) (store.Page[models.Event], error)
	RelatedEvents(context.Context, string) (*store.Related, error)
}

// Events serves /events.
type Events struct {
	store EventStore
	crud  crud[models.Event, *models.Event]
}

var _ = resource(models.KindEvent, func(s EventStore) Resource {
	h := NewEvents(s)
	return Resource{Collection: h, Extra: []Route{{"/:id/related", h.Related, false}}}
})

// NewEvents binds the event handlers to a store.
func NewEvents(s EventStore) *Events {
	get := func(ctx context.Context, ref string) (*models.Event, error) {
		return s.GetEvent(ctx, ref, store.Include{})
	}
	return &Events{store: s, crud: crud[models.Event, *models.Event]{
		kind: models.KindEvent, history: s, create: s.CreateEvent, get: get, replace: s.ReplaceEvent, remove: s.DeleteEvent,
	}}
}

// eventFilterNames are the /events query parameters other than actor and match.
// represented is among them: on /actors/{id}/… it applies to the actor of the path; so
// are the GDELT measure filters (measureFilterNames).
var eventFilterNames = slices.Concat([]string{"represented", "role", "country", "location", "type", "status", "tag", "from", "to", "source",
	"supports", "parent", "q", "sort", "limit", "cursor", "include"}, measureFilterNames)

// eventFilterNamesWithout is eventFilterNames less the given ones, for endpoints that
// take the /events filters but not, say, paging.
func eventFilterNamesWithout(drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(eventFilterNames), func(s string) bool { return slices.Contains(drop, s) })
}

// eventFilter reads the /events query; withActor says whether actor and match apply.
func eventFilter(c *gin.Context, withActor bool) (store.EventFilter, error) {
	names := eventFilterNames
	if withActor {
		names = append(slices.Clone(names), "actor", "match")
	}
	q := newQuery(c, names...)
	f := parseEventFilter(q, withActor)
	return f, q.err()
}

// parseEventFilter reads the event filters from q, recording problems in q.
func parseEventFilter(q *query, withActor bool) store.EventFilter {
	f := store.EventFilter{
		Roles:     enum(q, "role", models.Role.Valid, models.Roles),
		Countries: q.countries("country"),
		Locations: q.refs("location"),
		Types:     enum(q, "type", models.EventType.Valid, models.EventTypes),
		Statuses:  enum(q, "status", models.EventStatus.Valid, models.EventStatuses),
		Tags:      q.tags("tag"),
		From:      q.date("from"),
		To:        q.date("to"),
		Sources:   q.refs("source"),
		Supports:  claims(q, "supports", models.EventClaims),
		Parent:    q.ref("parent"),
		Q:         q.one("q"),
		Sort:      q.one("sort"),
		Limit:     q.int("limit"),
		Cursor:    q.one("cursor"),
		Include:   include(q),
	}
	if r := q.bool("represented"); r != nil {
		f.Represented = *r
	}
	if withActor {
		f.Actors = q.refs("actor")
		switch m := q.one("match"); m {
		case "", "any":
		case "all":
			f.MatchAll = true
		default:
			q.v.Add("match", "must be any or all")
		}
	}
	f.Measures = measureFilter(q)
	if f.From != nil && f.To != nil && !f.From.Start.Before(f.To.End) {
		q.v.Add("to", "must not end before from begins")
	}
	return f
}

func include(q *query) store.Include {
	var inc store.Include
	for _, s := range q.strings("include") {
		switch s {
		case "participants":
			inc.Participants = true
		case "location":
			inc.Location = true
		case "statements":
			inc.Statements = true
		case "sources":
			inc.Sources = true
		default:
			q.v.Add("include", "%q is not one of participants, location, statements, sources", s)
		}
	}
	return inc
}

// List godoc
//
//	@Summary		List and filter events
//	@ID			listEvents
//	@Description	Events matching every given filter. Repeated values of one filter are alternatives, except `tag` (all must be present) and `actor` with `match=all`. `actor` matches direct participants only unless `represented=true`, which also matches the events where a participant represents the actor. Dates use overlap: an event dated 2025-08 matches from=2025-08-15&to=2025-08-15.
//	@Tags			events
//	@Produce		json
//	@Param			actor		query		[]string	false	"Participant id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			match		query		string		false	"Whether any or all actors must take part"	Enums(any, all)	default(any)
//	@Param			represented	query		bool		false	"Whether an actor also matches through the participants who represent it (Russia through Putin); default: direct participation only. With match=all, each actor takes part or is represented"	default(false)
//	@Param			min_goldstein	query		number		false	"GDELT events whose Goldstein scale is at least this (-10 to 10); events without one never match"
//	@Param			max_goldstein	query		number		false	"GDELT events whose Goldstein scale is at most this (-10 to 10)"
//	@Param			quad_class		query		[]int		false	"GDELT QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			min_tone		query		number		false	"GDELT events whose average tone is at least this (-100 to 100)"
//	@Param			max_tone		query		number		false	"GDELT events whose average tone is at most this (-100 to 100)"
//	@Param			min_mentions	query		int			false	"GDELT events with at least this many mentions (NumMentions)"	minimum(0)
//	@Param			min_sources		query		int			false	"GDELT events with at least this many sources (NumSources)"	minimum(0)
//	@Param			min_articles	query		int			false	"GDELT events with at least this many articles (NumArticles)"	minimum(0)
//	@Param			role		query		[]string	false	"Participant role; with actor, the role of those actors (repeatable, at most 50 values)"	collectionFormat(multi)	Enums(host, mediator, delegation, head_of_delegation, envoy, participant, observer)
//	@Param			country		query		[]string	false	"Country of a participant, ISO 3166-1 alpha-2 (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			location	query		[]string	false	"Location id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			type		query		[]string	false	"Event type (repeatable, at most 50 values)"	collectionFormat(multi)	Enums(meeting, negotiation, summit, call, visit, statement, agreement, conference, other)
//	@Param			status		query		[]string	false	"Event status (repeatable, at most 50 values)"	collectionFormat(multi)	Enums(scheduled, held, postponed, cancelled)
//	@Param			tag			query		[]string	false	"Tag; all given must be present (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			from		query		string		false	"Events overlapping from this date on (EDTF or ISO 8601: 2025, 2025-08, 2026-01-23)"
//	@Param			to			query		string		false	"Events overlapping up to the end of this date"
//	@Param			source		query		[]string	false	"Cited source id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			supports	query		[]string	false	"Narrow to what a source (those of source, or any) has evidence for: one of date, status, location, participants, type, summary, relations (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			parent		query		string		false	"Parent event id or slug: the rounds of a series"
//	@Param			q			query		string		false	"Full-text search over title, summary, tags and statements: words (all required), \"quoted phrases\", -excluded, or"
//	@Param			sort		query		string		false	"Sort order; relevance needs q"	Enums(-date, date, updated, -updated, relevance)	default(-date)
//	@Param			limit		query		int			false	"Page size (1-500)"	default(50)	minimum(1)	maximum(500)
//	@Param			cursor		query		string		false	"Opaque cursor from the previous page"
//	@Param			include		query		[]string	false	"Embed related entities"	collectionFormat(csv)	Enums(participants, location, statements, sources)
//	@Success		200			{object}	List[models.Event]
//	@Header			200			{string}	Link	"<…>; rel=\"next\" when there is a next page"
//	@Failure		400			{object}	Problem
//	@Router			/api/v1/events [get]
func (h *Events) List(c *gin.Context) {
	f, err := eventFilter(c, true)
	if err != nil {
		Fail(c, err)
		return
	}
	p, err := h.store.ListEvents(c.Request.Context(), f)
	if err != nil {
		Fail(c, err)
		return
	}
	respondList(c, p)
}

// Create godoc
//
//	@Summary		Create an event
//	@ID			createEvent
//	@Description	References (location_id, participants[].actor_id, represents_id, source_ids, parent_id, relations[].event_id) take ids or slugs. `date` takes an EDTF string ("2026-01-23", "2025-08~", "2026-01-23/2026-01-24") or the object the API returns.
//	@Tags			events
//	@Accept			json
//	@Produce		json
//	@Param			event	body		Create[models.Event]	true	"The event: its writable members (the server sets id unless given, version and timestamps)"
//	@Success		201		{object}	models.Event
//	@Failure		400		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Router			/api/v1/events [post]
func (h *Events) Create(c *gin.Context) { h.crud.doCreate(c) }

// Get godoc
//
//	@Summary	Get an event
//	@ID			getEvent
//	@Tags		events
//	@Produce	json
//	@Param		id		path		string		true	"Event id or slug"
//	@Param		include	query		[]string	false	"Embed related entities"	collectionFormat(csv)	Enums(participants, location, statements, sources)
//	@Success	200		{object}	models.Event
//	@Header		200		{string}	ETag	"The version, for If-Match"
//	@Failure	400		{object}	Problem
//	@Failure	404		{object}	Problem
//	@Param		at	query	string	false	"RFC 3339 time: the entity as it was then, from its revisions (404 before it existed or after its deletion)"
//	@Param		If-None-Match	header	string	false	"ETag held: 304 when the entity has not changed"
//	@Success		304	"Not modified"
//	@Failure		400	{object}	Problem
//	@Router		/api/v1/events/{id} [get]
func (h *Events) Get(c *gin.Context) {
	q := newQuery(c, "include", "at")
	inc, at := include(q), q.time("at")
	if at != nil && inc != (store.Include{}) {
		q.v.Add("include", "cannot embed entities in an event as it was (at=)")
	}
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	if at != nil {
		respondAt(c, h.store, models.KindEvent, *at)
		return
	}
	e, err := h.store.GetEvent(c.Request.Context(), c.Param("id"), inc)
	if err != nil {
		Fail(c, err)
		return
	}
	// The version tags the event itself: with embedded entities it says nothing of them.
	if inc == (store.Include{}) && notModified(c, e.Version) {
		return
	}
	setETag(c, e.Version)
	c.JSON(http.StatusOK, e)
}

// Replace godoc
//
//	@Summary	Replace an event
//	@ID			replaceEvent
//	@Tags		events
//	@Accept		json
//	@Produce	json
//	@Param		id			path		string			true	"Event id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		event		body		Replace[models.Event]	true	"The whole new state: every writable member (one left out is emptied; the slug is kept)"
//	@Success	200			{object}	models.Event
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/events/{id} [put]
func (h *Events) Replace(c *gin.Context) { h.crud.doReplace(c) }

// Patch godoc
//
//	@Summary	Update an event with a JSON merge patch (RFC 7396)
//	@ID			patchEvent
//	@Tags		events
//	@Accept		json
//	@Produce	json
//	@Param		id			path		string			true	"Event id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		patch		body		Patch[models.Event]	true	"The members to change (a JSON merge patch: null removes a member, an array is replaced whole)"
//	@Success	200			{object}	models.Event
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/events/{id} [patch]
func (h *Events) Patch(c *gin.Context) { h.crud.doPatch(c) }

// Delete godoc
//
//	@Summary		Delete an event
//	@ID			deleteEvent
//	@Description	Its participants, tags, source links and relations go with it. Refused with 409 while statements or rounds refer to it.
//	@Tags			events
//	@Produce	json
//	@Param			id			path	string	true	"Event id or slug"
//	@Param			If-Match	header	string	true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Success		204
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem
//	@Failure		412	{object}	Problem
//	@Failure		428	{object}	Problem
//	@Router			/api/v1/events/{id} [delete]
func (h *Events) Delete(c *gin.Context) { h.crud.doDelete(c) }

// Related godoc
//
//	@Summary		An event's series and links
//	@ID			getEventRelated
//	@Description	Its parent (the series), its children (the rounds, in date order) and its typed relations both ways: outgoing reads "this event <type> the other", incoming "the other <type> this event".
//	@Tags			events
//	@Produce		json
//	@Param			id	path		string	true	"Event id or slug"
//	@Success		200	{object}	store.Related
//	@Failure		404	{object}	Problem
//	@Router			/api/v1/events/{id}/related [get]
func (h *Events) Related(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	r, err := h.store.RelatedEvents(c.Request.Context(), c.Param("id"))
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// Revisions godoc
//
//	@Summary		History of an entity
//	@ID			listEventRevisions
//	@Description	Every change, oldest first: who, when, which action, and the whole state after it (before it, for a deletion). A deleted entity's history stays readable by id.
//	@Tags			revisions
//	@Produce		json
//	@Param			id		path		string	true	"Id (or slug while the entity exists)"
//	@Param			limit	query		int		false	"Page size (1-500)"	default(50)
//	@Param			cursor	query		string	false	"Opaque cursor"
//	@Success		200		{object}	List[models.Revision]
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/events/{id}/revisions [get]
func (h *Events) Revisions(c *gin.Context) { h.crud.doRevisions(c) }
