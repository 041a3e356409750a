package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// ActorStore is what the actor handlers need of the store.
type ActorStore interface {
	HistoryStore
	CreateActor(context.Context, *models.Actor) error
	GetActor(context.Context, string) (*models.Actor, error)
	ReplaceActor(context.Context, string, *models.Actor, int) error
	DeleteActor(context.Context, string, int) error
	ListActors(context.Context, store.ActorFilter) (store.Page[models.Actor], error)
	ActorEvents(context.Context, string, store.EventFilter) (store.Page[models.Event], error)
	ActorStatements(context.Context, string, store.StatementFilter) (store.Page[models.Statement], error)
	ActorNetwork(context.Context, string, store.EventFilter, int) (*store.Network, error)
	ActorRelations(context.Context, string) (*store.ActorRelations, error)
}

// Actors serves /actors.
type Actors struct {
	store ActorStore
	crud  crud[models.Actor, *models.Actor]
}

var _ = resource(models.KindActor, func(s ActorStore) Resource {
	h := NewActors(s)
	return Resource{Collection: h, Extra: []Route{
		{"/:id/events", h.Events, true}, {"/:id/statements", h.Statements, true}, {"/:id/network", h.Network, true},
		{"/:id/relations", h.Relations, true},
	}}
})

// NewActors binds the actor handlers to a store.
func NewActors(s ActorStore) *Actors {
	return &Actors{store: s, crud: crud[models.Actor, *models.Actor]{
		kind: models.KindActor, history: s, create: s.CreateActor, get: s.GetActor, replace: s.ReplaceActor, remove: s.DeleteActor,
	}}
}

// List godoc
//
//	@Summary		List actors
//	@ID			listActors
//	@Description	People, states, organisations, delegations and groups, sorted by name. With `q`, the actors one of whose names starts with it, for autocomplete: a prefix of any word of the name, an alias or the slug, ignoring case and diacritics ("put" and "путин" find Vladimir Putin, "erdogan" finds Erdoğan), best first: the name, slug or an alias equal to q, then names starting with q, then the others; ties by slug. Keyset-paginated: follow `next_cursor` or the `Link` header.
//	@Tags			actors
//	@Produce		json
//	@Param			kind	query		[]string	false	"Actor kind (repeatable, at most 50 values)"	collectionFormat(multi)	Enums(person, state, organization, delegation, group)
//	@Param			country	query		[]string	false	"ISO 3166-1 alpha-2 country (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			q		query		string		false	"Name search: a prefix of a word of the name, an alias or the slug, any case, with or without diacritics (at most 100 characters)"	maxLength(100)
//	@Param			sort	query		string		false	"Sort order; relevance, the default with q, needs q"	Enums(name, -name, updated, -updated, relevance)	default(name)
//	@Param			limit	query		int			false	"Page size (1-500)"	default(50)	minimum(1)	maximum(500)
//	@Param			cursor	query		string		false	"Opaque cursor from the previous page"
//	@Success		200		{object}	List[models.Actor]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/actors [get]
func (h *Actors) List(c *gin.Context) {
	q := newQuery(c, "kind", "country", "q", "sort", "limit", "cursor")
	f := store.ActorFilter{
		Kinds:     enum(q, "kind", models.ActorKind.Valid, models.ActorKinds),
		Countries: q.countries("country"),
		Q:         q.one("q"),
		Sort:      q.one("sort"), Limit: q.int("limit"), Cursor: q.one("cursor"),
	}
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	p, err := h.store.ListActors(c.Request.Context(), f)
	if err != nil {
		Fail(c, err)
		return
	}
	respondList(c, p)
}

// Create godoc
//
//	@Summary		Create an actor
//	@ID			createActor
//	@Description	The slug is derived from the name when omitted. `affiliation_id` takes an id or a slug.
//	@Tags			actors
//	@Accept			json
//	@Produce		json
//	@Param			actor	body		Create[models.Actor]	true	"The actor: its writable members (the server sets id unless given, version and timestamps)"
//	@Success		201		{object}	models.Actor
//	@Failure		400		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Router			/api/v1/actors [post]
func (h *Actors) Create(c *gin.Context) { h.crud.doCreate(c) }

// Get godoc
//
//	@Summary	Get an actor
//	@ID			getActor
//	@Tags		actors
//	@Produce	json
//	@Param		id	path		string	true	"Actor id or slug"
//	@Success	200	{object}	models.Actor
//	@Header		200	{string}	ETag	"The version, for If-Match"
//	@Failure	404	{object}	Problem
//	@Param		at	query	string	false	"RFC 3339 time: the entity as it was then, from its revisions (404 before it existed or after its deletion)"
//	@Param		If-None-Match	header	string	false	"ETag held: 304 when the entity has not changed"
//	@Success		304	"Not modified"
//	@Failure		400	{object}	Problem
//	@Router		/api/v1/actors/{id} [get]
func (h *Actors) Get(c *gin.Context) { h.crud.doGet(c) }

// Replace godoc
//
//	@Summary	Replace an actor
//	@ID			replaceActor
//	@Tags		actors
//	@Accept		json
//	@Produce	json
//	@Param		id			path		string			true	"Actor id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		actor		body		Replace[models.Actor]	true	"The whole new state: every writable member (one left out is emptied; the slug is kept)"
//	@Success	200			{object}	models.Actor
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/actors/{id} [put]
func (h *Actors) Replace(c *gin.Context) { h.crud.doReplace(c) }

// Patch godoc
//
//	@Summary	Update an actor with a JSON merge patch (RFC 7396)
//	@ID			patchActor
//	@Tags		actors
//	@Accept		json
//	@Produce	json
//	@Param		id			path		string			true	"Actor id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		patch		body		Patch[models.Actor]	true	"The members to change (a JSON merge patch: null removes a member, an array is replaced whole)"
//	@Success	200			{object}	models.Actor
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/actors/{id} [patch]
func (h *Actors) Patch(c *gin.Context) { h.crud.doPatch(c) }

// Delete godoc
//
//	@Summary		Delete an actor
//	@ID			deleteActor
//	@Description	Refused with 409 while events, statements or other actors refer to it.
//	@Tags			actors
//	@Produce	json
//	@Param			id			path	string	true	"Actor id or slug"
//	@Param			If-Match	header	string	true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Success		204
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem
//	@Failure		412	{object}	Problem
//	@Failure		428	{object}	Problem
//	@Router			/api/v1/actors/{id} [delete]
func (h *Actors) Delete(c *gin.Context) { h.crud.doDelete(c) }

// Events godoc
//
//	@Summary		Events an actor took part in
//	@ID			listActorEvents
//	@Description	Takes the /events filters (except actor and match). The actor's own participation by default; with represented=true, also the events where a participant represents it.
//	@Tags			actors
//	@Produce		json
//	@Param			id		path		string		true	"Actor id or slug"
//	@Param			represented	query	bool	false	"Whether the events where a participant represents the actor count too (Russia through Putin); default: the actor's own participation only"	default(false)
//	@Param			min_goldstein	query		number		false	"GDELT events whose Goldstein scale is at least this (-10 to 10); events without one never match"
//	@Param			max_goldstein	query		number		false	"GDELT events whose Goldstein scale is at most this (-10 to 10)"
//	@Param			quad_class		query		[]int		false	"GDELT QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			min_tone		query		number		false	"GDELT events whose average tone is at least this (-100 to 100)"
//	@Param			max_tone		query		number		false	"GDELT events whose average tone is at most this (-100 to 100)"
//	@Param			min_mentions	query		int			false	"GDELT events with at least this many mentions (NumMentions)"	minimum(0)
//	@Param			min_sources		query		int			false	"GDELT events with at least this many sources (NumSources)"	minimum(0)
//	@Param			min_articles	query		int			false	"GDELT events with at least this many articles (NumArticles)"	minimum(0)
//	@Param			role	query		[]string	false	"Role of the actor (repeatable, at most 50 values)"	collectionFormat(multi)	Enums(host, mediator, delegation, head_of_delegation, envoy, participant, observer)
//	@Param			from	query		string		false	"Overlaps from this date (EDTF or ISO 8601)"
//	@Param			to		query		string		false	"Overlaps up to this date (EDTF or ISO 8601)"
//	@Param			type	query		[]string	false	"Event type (repeatable, at most 50 values)"	collectionFormat(multi)	Enums(meeting, negotiation, summit, call, visit, statement, agreement, conference, other)
//	@Param			status	query		[]string	false	"Event status (repeatable, at most 50 values)"	collectionFormat(multi)	Enums(scheduled, held, postponed, cancelled)
//	@Param			country	query		[]string	false	"Country of a participant, ISO 3166-1 alpha-2 (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			location	query	[]string	false	"Location id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			tag		query		[]string	false	"Tag; all given must be present (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			source	query		[]string	false	"Cited source id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			supports	query		[]string	false	"Narrow to what a source (those of source, or any) has evidence for: one of date, status, location, participants, type, summary, relations (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			parent	query		string		false	"Parent event id or slug: the rounds of a series"
//	@Param			q		query		string		false	"Full-text search over title, summary, tags and statements"
//	@Param			sort	query		string		false	"Sort order"	Enums(-date, date, updated, -updated)	default(-date)
//	@Param			limit	query		int			false	"Page size (1-500)"	default(50)
//	@Param			cursor	query		string		false	"Opaque cursor"
//	@Param			include	query		[]string	false	"Embed related entities"	collectionFormat(csv)	Enums(participants, location, statements, sources)
//	@Success		200		{object}	List[models.Event]
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/actors/{id}/events [get]
func (h *Actors) Events(c *gin.Context) {
	f, err := eventFilter(c, false)
	if err != nil {
		Fail(c, err)
		return
	}
	p, err := h.store.ActorEvents(c.Request.Context(), c.Param("id"), f)
	if err != nil {
		Fail(c, err)
		return
	}
	respondList(c, p)
}

// Statements godoc
//
//	@Summary		What an actor said
//	@ID			listActorStatements
//	@Description	Takes the /statements filters (except speaker).
//	@Tags			actors
//	@Produce		json
//	@Param			id		path		string	true	"Actor id or slug"
//	@Param			event	query		string	false	"Event id or slug"
//	@Param			from	query		string	false	"Overlaps from this date"
//	@Param			to		query		string	false	"Overlaps up to this date"
//	@Param			quote	query		bool	false	"Only direct quotes (true) or paraphrases (false)"
//	@Param			source	query		[]string	false	"Cited source id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			supports	query		[]string	false	"Narrow to what a source (those of source, or any) has evidence for: one of text, speaker, attribution, date, event, medium (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			tag		query		[]string	false	"Tag; all given must be present (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			q		query		string	false	"Full-text search over text and attribution"
//	@Param			sort	query		string	false	"Sort order"	Enums(date, -date, updated, -updated, relevance)	default(date)
//	@Param			limit	query		int		false	"Page size (1-500)"	default(50)
//	@Param			cursor	query		string	false	"Opaque cursor"
//	@Param			include	query		[]string	false	"Embed related entities: the speaker (actor), the event (with its participants) and the sources"	collectionFormat(csv)	Enums(speaker, event, sources)
//	@Success		200		{object}	List[models.Statement]
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/actors/{id}/statements [get]
func (h *Actors) Statements(c *gin.Context) {
	f, err := statementFilter(c, false)
	if err != nil {
		Fail(c, err)
		return
	}
	p, err := h.store.ActorStatements(c.Request.Context(), c.Param("id"), f)
	if err != nil {
		Fail(c, err)
		return
	}
	respondList(c, p)
}

// Network godoc
//
//	@Summary		Who an actor took part in events with
//	@ID			getActorNetwork
//	@Description	Co-participants with the number of shared events and the starts of the first and last shared event, most shared first (ties by slug), at most limit of them; total counts them all. Takes the /events filters (except actor and match) to restrict the events counted.
//	@Tags			actors
//	@Produce		json
//	@Param			id			path		string		true	"Actor id or slug"
//	@Param			represented	query		bool		false	"Whether the events where a participant represents the actor count too; then every other participant of them is a co-participant, its representatives included. Default: the actor's own events only"	default(false)
//	@Param			min_goldstein	query		number		false	"GDELT events whose Goldstein scale is at least this (-10 to 10); events without one never match"
//	@Param			max_goldstein	query		number		false	"GDELT events whose Goldstein scale is at most this (-10 to 10)"
//	@Param			quad_class		query		[]int		false	"GDELT QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			min_tone		query		number		false	"GDELT events whose average tone is at least this (-100 to 100)"
//	@Param			max_tone		query		number		false	"GDELT events whose average tone is at most this (-100 to 100)"
//	@Param			min_mentions	query		int			false	"GDELT events with at least this many mentions (NumMentions)"	minimum(0)
//	@Param			min_sources		query		int			false	"GDELT events with at least this many sources (NumSources)"	minimum(0)
//	@Param			min_articles	query		int			false	"GDELT events with at least this many articles (NumArticles)"	minimum(0)
//	@Param			role		query		[]string	false	"Participant role (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			type		query		[]string	false	"Event type (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			from		query		string		false	"Overlaps from this date (EDTF)"
//	@Param			to			query		string		false	"Overlaps up to this date (EDTF)"
//	@Param			location	query		[]string	false	"Location id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			tag			query		[]string	false	"Tag; all must be present (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			country		query		[]string	false	"Country of a participant, ISO 3166-1 alpha-2 (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			status		query		[]string	false	"Event status (repeatable, at most 50 values)"	collectionFormat(multi)	Enums(scheduled, held, postponed, cancelled)
//	@Param			source		query		[]string	false	"Cited source id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			supports	query		[]string	false	"Narrow to what a source (those of source, or any) has evidence for: one of date, status, location, participants, type, summary, relations (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			parent		query		string		false	"Parent event id or slug"
//	@Param			q			query		string		false	"Full-text search"
//	@Param			limit		query		int			false	"The most co-participants answered (1-1000)"	default(100)	minimum(1)	maximum(1000)
//	@Success		200			{object}	store.Network
//	@Failure		400			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Router			/api/v1/actors/{id}/network [get]
func (h *Actors) Network(c *gin.Context) {
	names := eventFilterNamesWithout("sort", "include", "limit", "cursor")
	q := newQuery(c, append(names, "limit")...)
	f := parseEventFilter(q, false)
	limit := q.upTo("limit", store.MaxNetwork)
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	n, err := h.store.ActorNetwork(c.Request.Context(), c.Param("id"), f, limit)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

// Relations godoc
//
//	@Summary		An actor's relations, both ways
//	@ID			listActorRelations
//	@Description	The relations stated on the actor ("Kushner child_in_law_of Trump"), in their order, then those other actors state towards it, named from its side by the inverse type (on Trump: parent_in_law_of Kushner, stated_type child_in_law_of), each with the other actor embedded. At most 1000 inverse relations are listed (truncated says when there are more). A relation is stored once and read both ways: state it on one of the two actors.
//	@Tags			actors
//	@Produce		json
//	@Param			id	path		string	true	"Actor id or slug"
//	@Success		200	{object}	store.ActorRelations
//	@Failure		400	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Router			/api/v1/actors/{id}/relations [get]
func (h *Actors) Relations(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	r, err := h.store.ActorRelations(c.Request.Context(), c.Param("id"))
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// Revisions godoc
//
//	@Summary		History of an entity
//	@ID			listActorRevisions
//	@Description	Every change, oldest first: who, when, which action, and the whole state after it (before it, for a deletion). A deleted entity's history stays readable by id.
//	@Tags			revisions
//	@Produce		json
//	@Param			id		path		string	true	"Id (or slug while the entity exists)"
//	@Param			limit	query		int		false	"Page size (1-500)"	default(50)
//	@Param			cursor	query		string	false	"Opaque cursor"
//	@Success		200		{object}	List[models.Revision]
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/actors/{id}/revisions [get]
func (h *Actors) Revisions(c *gin.Context) { h.crud.doRevisions(c) }
