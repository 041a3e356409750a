package handlers

import (
	"context"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// OutletStore is what the outlet handlers need of the store.
type OutletStore interface {
	HistoryStore
	CreateOutlet(context.Context, *models.Outlet) error
	GetOutlet(context.Context, string) (*models.Outlet, error)
	ReplaceOutlet(context.Context, string, *models.Outlet, int) error
	DeleteOutlet(context.Context, string, int) error
	ListOutlets(context.Context, store.OutletFilter) (store.Page[models.Outlet], error)
}

// Outlets serves /outlets: the publishers sources appeared in.
type Outlets struct {
	catalog[models.Outlet, *models.Outlet, store.OutletFilter]
}

var _ = resource(models.KindOutlet, func(s OutletStore) Resource { return Resource{Collection: NewOutlets(s)} })

// NewOutlets binds the outlet handlers to a store.
func NewOutlets(s OutletStore) *Outlets {
	return &Outlets{catalog[models.Outlet, *models.Outlet, store.OutletFilter]{
		crud: crud[models.Outlet, *models.Outlet]{kind: models.KindOutlet, history: s,
			create: s.CreateOutlet, get: s.GetOutlet, replace: s.ReplaceOutlet, remove: s.DeleteOutlet},
		list:   s.ListOutlets,
		params: []string{"country"},
		filter: func(q *query, l listArgs) store.OutletFilter {
			return store.OutletFilter{Countries: q.countries("country"), Q: l.Q, Sort: l.Sort, Cursor: l.Cursor, Limit: l.Limit}
		},
	}}
}

// List godoc
//
//	@Summary		List outlets
//	@ID			listOutlets
//	@Description	Sorted by name. With `q`, the outlets whose name, an alias or slug has a word starting with it, ignoring case and diacritics, best first: the name, an alias or slug equal to q, then names starting with q, then the others; ties by slug. Keyset-paginated: follow `next_cursor` or the `Link` header.
//	@Tags			outlets
//	@Produce		json
//	@Param			country	query		[]string	false	"ISO 3166-1 alpha-2 country (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			q		query		string		false	"Name search: a prefix of a word of the name, an alias or the slug, any case, with or without diacritics (at most 100 characters)"	maxLength(100)
//	@Param			sort	query		string		false	"Sort order; relevance, the default with q, needs q"	Enums(name, -name, updated, -updated, relevance)	default(name)
//	@Param			limit	query		int			false	"Page size (1-500)"	default(50)	minimum(1)	maximum(500)
//	@Param			cursor	query		string		false	"Opaque cursor from the previous page"
//	@Success		200		{object}	List[models.Outlet]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/outlets [get]
func (h *Outlets) List(c *gin.Context) { h.doList(c) }

// Create godoc
//
//	@Summary		Create a outlet
//	@ID			createOutlet
//	@Description	The slug is derived from the name when omitted. state_owned is true, false, or absent when unknown.
//	@Tags			outlets
//	@Accept			json
//	@Produce		json
//	@Param			outlet	body		Create[models.Outlet]	true	"The outlet: its writable members (the server sets id unless given, version and timestamps)"
//	@Success		201		{object}	models.Outlet
//	@Failure		400		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Router			/api/v1/outlets [post]
func (h *Outlets) Create(c *gin.Context) { h.crud.doCreate(c) }

// Get godoc
//
//	@Summary	Get a outlet
//	@ID			getOutlet
//	@Tags		outlets
//	@Produce	json
//	@Param		id	path		string	true	"Outlet id or slug"
//	@Success	200	{object}	models.Outlet
//	@Header		200	{string}	ETag	"The version, for If-Match"
//	@Failure	404	{object}	Problem
//	@Param		at	query	string	false	"RFC 3339 time: the entity as it was then, from its revisions (404 before it existed or after its deletion)"
//	@Param		If-None-Match	header	string	false	"ETag held: 304 when the entity has not changed"
//	@Success		304	"Not modified"
//	@Failure		400	{object}	Problem
//	@Router		/api/v1/outlets/{id} [get]
func (h *Outlets) Get(c *gin.Context) { h.crud.doGet(c) }

// Replace godoc
//
//	@Summary	Replace a outlet
//	@ID			replaceOutlet
//	@Tags		outlets
//	@Accept		json
//	@Produce	json
//	@Param		id			path		string			true	"Outlet id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		outlet		body		Replace[models.Outlet]	true	"The whole new state: every writable member (one left out is emptied; the slug is kept)"
//	@Success	200			{object}	models.Outlet
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/outlets/{id} [put]
func (h *Outlets) Replace(c *gin.Context) { h.crud.doReplace(c) }

// Patch godoc
//
//	@Summary	Update a outlet with a JSON merge patch (RFC 7396)
//	@ID			patchOutlet
//	@Tags		outlets
//	@Accept		json
//	@Produce	json
//	@Param		id			path		string			true	"Outlet id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		patch		body		Patch[models.Outlet]	true	"The members to change (a JSON merge patch: null removes a member, an array is replaced whole)"
//	@Success	200			{object}	models.Outlet
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/outlets/{id} [patch]
func (h *Outlets) Patch(c *gin.Context) { h.crud.doPatch(c) }

// Delete godoc
//
//	@Summary		Delete a outlet
//	@ID			deleteOutlet
//	@Description	Refused with 409 while sources name it (outlet_id).
//	@Tags			outlets
//	@Produce	json
//	@Param			id			path	string	true	"Outlet id or slug"
//	@Param			If-Match	header	string	true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Success		204
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem
//	@Failure		412	{object}	Problem
//	@Failure		428	{object}	Problem
//	@Router			/api/v1/outlets/{id} [delete]
func (h *Outlets) Delete(c *gin.Context) { h.crud.doDelete(c) }

// Revisions godoc
//
//	@Summary		History of an entity
//	@ID			listOutletRevisions
//	@Description	Every change, oldest first: who, when, which action, and the whole state after it (before it, for a deletion). A deleted entity's history stays readable by id.
//	@Tags			revisions
//	@Produce		json
//	@Param			id		path		string	true	"Id (or slug while the entity exists)"
//	@Param			limit	query		int		false	"Page size (1-500)"	default(50)
//	@Param			cursor	query		string	false	"Opaque cursor"
//	@Success		200		{object}	List[models.Revision]
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/outlets/{id}/revisions [get]
func (h *Outlets) Revisions(c *gin.Context) { h.doRevisions(c) }

// claims reads a repeatable claim filter (supports=): each value one of allowed.
func claims(q *query, name string, allowed []string) []string {
	var out []string
	for _, s := range q.strings(name) {
		if !slices.Contains(allowed, s) {
			q.v.Add(name, "%q is not one of %v", s, allowed)
			continue
		}
		out = append(out, s)
	}
	return out
}
