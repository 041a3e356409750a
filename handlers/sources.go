package handlers

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// SourceStore is what the source handlers need of the store.
type SourceStore interface {
	HistoryStore
	CreateSource(context.Context, *models.Source) error
	GetSource(context.Context, string) (*models.Source, error)
	ReplaceSource(context.Context, string, *models.Source, int) error
	DeleteSource(context.Context, string, int) error
	ListSources(context.Context, store.SourceFilter) (store.Page[models.Source], error)
}

// Sources serves /sources.
type Sources struct {
	catalog[models.Source, *models.Source, store.SourceFilter]
}

var _ = resource(models.KindSource, func(s SourceStore) Resource { return Resource{Collection: NewSources(s)} })

// NewSources binds the source handlers to a store.
func NewSources(s SourceStore) *Sources {
	return &Sources{catalog[models.Source, *models.Source, store.SourceFilter]{
		crud: crud[models.Source, *models.Source]{kind: models.KindSource, history: s,
			create: s.CreateSource, get: s.GetSource, replace: s.ReplaceSource, remove: s.DeleteSource},
		list:   s.ListSources,
		params: []string{"outlet"},
		filter: func(q *query, l listArgs) store.SourceFilter {
			return store.SourceFilter{Outlets: q.strings("outlet"), Q: l.Q, Sort: l.Sort, Cursor: l.Cursor, Limit: l.Limit}
		},
	}}
}

// List godoc
//
//	@Summary		List sources
//	@Description	Sorted by outlet. With `q`, the sources whose title, outlet or slug has a word starting with it, ignoring case and diacritics, best first: the title, outlet or slug equal to q, then titles starting with q, then the others; ties by slug. Keyset-paginated: follow `next_cursor` or the `Link` header.
//	@Tags			sources
//	@Produce		json,application/problem+json
//	@Param			outlet	query		[]string	false	"Outlet name, exact (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			q		query		string		false	"Name search: a prefix of a word of the title, the outlet or the slug, any case, with or without diacritics (at most 100 characters)"	maxLength(100)
//	@Param			sort	query		string		false	"Sort order; relevance, the default with q, needs q"	Enums(outlet, -outlet, updated, -updated, relevance)	default(outlet)
//	@Param			limit	query		int			false	"Page size (1-500)"	default(50)	minimum(1)	maximum(500)
//	@Param			cursor	query		string		false	"Opaque cursor from the previous page"
//	@Success		200		{object}	List[models.Source]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/sources [get]
func (h *Sources) List(c *gin.Context) { h.doList(c) }

// Create godoc
//
//	@Summary		Create a source
//	@Description	The slug is derived from outlet and title when omitted. `published` takes an EDTF date.
//	@Tags			sources
//	@Accept			json
//	@Produce		json,application/problem+json
//	@Param			source	body		models.Source	true	"The source (id, version and timestamps are ignored or optional)"
//	@Success		201		{object}	models.Source
//	@Failure		400		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Router			/api/v1/sources [post]
func (h *Sources) Create(c *gin.Context) { h.crud.doCreate(c) }

// Get godoc
//
//	@Summary	Get a source
//	@Tags		sources
//	@Produce	json,application/problem+json
//	@Param		id	path		string	true	"Source id or slug"
//	@Success	200	{object}	models.Source
//	@Header		200	{string}	ETag	"The version, for If-Match"
//	@Failure	404	{object}	Problem
//	@Param		at	query	string	false	"RFC 3339 time: the entity as it was then, from its revisions (404 before it existed or after its deletion)"
//	@Param		If-None-Match	header	string	false	"ETag held: 304 when the entity has not changed"
//	@Success		304	"Not modified"
//	@Failure		400	{object}	Problem
//	@Router		/api/v1/sources/{id} [get]
func (h *Sources) Get(c *gin.Context) { h.crud.doGet(c) }

// Replace godoc
//
//	@Summary	Replace a source
//	@Tags		sources
//	@Accept		json
//	@Produce	json,application/problem+json
//	@Param		id			path		string			true	"Source id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		source		body		models.Source	true	"The whole new state"
//	@Success	200			{object}	models.Source
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/sources/{id} [put]
func (h *Sources) Replace(c *gin.Context) { h.crud.doReplace(c) }

// Patch godoc
//
//	@Summary	Update a source with a JSON merge patch (RFC 7396)
//	@Tags		sources
//	@Accept		json
//	@Produce	json,application/problem+json
//	@Param		id			path		string			true	"Source id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		patch		body		models.Source	true	"Members to change; null removes"
//	@Success	200			{object}	models.Source
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/sources/{id} [patch]
func (h *Sources) Patch(c *gin.Context) { h.crud.doPatch(c) }

// Delete godoc
//
//	@Summary		Delete a source
//	@Description	Refused with 409 while events or statements cite it.
//	@Tags			sources
//	@Produce	json,application/problem+json
//	@Param			id			path	string	true	"Source id or slug"
//	@Param			If-Match	header	string	true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Success		204
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem
//	@Failure		412	{object}	Problem
//	@Failure		428	{object}	Problem
//	@Router			/api/v1/sources/{id} [delete]
func (h *Sources) Delete(c *gin.Context) { h.crud.doDelete(c) }

// Revisions godoc
//
//	@Summary		History of an entity
//	@Description	Every change, oldest first: who, when, which action, and the whole state after it (before it, for a deletion). A deleted entity's history stays readable by id.
//	@Tags			revisions
//	@Produce		json,application/problem+json
//	@Param			id		path		string	true	"Id (or slug while the entity exists)"
//	@Param			limit	query		int		false	"Page size (1-500)"	default(50)
//	@Param			cursor	query		string	false	"Opaque cursor"
//	@Success		200		{object}	List[models.Revision]
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/sources/{id}/revisions [get]
func (h *Sources) Revisions(c *gin.Context) { h.doRevisions(c) }
