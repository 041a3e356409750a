package handlers

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// LocationStore is what the location handlers need of the store.
type LocationStore interface {
	HistoryStore
	CreateLocation(context.Context, *models.Location) error
	GetLocation(context.Context, string) (*models.Location, error)
	ReplaceLocation(context.Context, string, *models.Location, int) error
	DeleteLocation(context.Context, string, int) error
	ListLocations(context.Context, store.LocationFilter) (store.Page[models.Location], error)
}

// Locations serves /locations.
type Locations struct {
	catalog[models.Location, *models.Location, store.LocationFilter]
}

var _ = resource(models.KindLocation, func(s LocationStore) Resource { return Resource{Collection: NewLocations(s)} })

// NewLocations binds the location handlers to a store.
func NewLocations(s LocationStore) *Locations {
	return &Locations{catalog[models.Location, *models.Location, store.LocationFilter]{
		crud: crud[models.Location, *models.Location]{kind: models.KindLocation, history: s,
			create: s.CreateLocation, get: s.GetLocation, replace: s.ReplaceLocation, remove: s.DeleteLocation},
		list:   s.ListLocations,
		params: []string{"country"},
		filter: func(q *query, l listArgs) store.LocationFilter {
			return store.LocationFilter{Countries: q.countries("country"), Q: l.Q, Sort: l.Sort, Cursor: l.Cursor, Limit: l.Limit}
		},
	}}
}

// List godoc
//
//	@Summary		List locations
//	@Description	Sorted by name. With `q`, the locations whose name or slug has a word starting with it, ignoring case and diacritics, best first: the name or slug equal to q, then names starting with q, then the others; ties by slug. Keyset-paginated: follow `next_cursor` or the `Link` header.
//	@Tags			locations
//	@Produce		json,application/problem+json
//	@Param			country	query		[]string	false	"ISO 3166-1 alpha-2 country (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			q		query		string		false	"Name search: a prefix of a word of the name or the slug, any case, with or without diacritics (at most 100 characters)"	maxLength(100)
//	@Param			sort	query		string		false	"Sort order; relevance, the default with q, needs q"	Enums(name, -name, updated, -updated, relevance)	default(name)
//	@Param			limit	query		int			false	"Page size (1-500)"	default(50)	minimum(1)	maximum(500)
//	@Param			cursor	query		string		false	"Opaque cursor from the previous page"
//	@Success		200		{object}	List[models.Location]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/locations [get]
func (h *Locations) List(c *gin.Context) { h.doList(c) }

// Create godoc
//
//	@Summary		Create a location
//	@Description	The slug is derived from the name when omitted. Coordinates are WGS84 and come in pairs.
//	@Tags			locations
//	@Accept			json
//	@Produce		json,application/problem+json
//	@Param			location	body		models.Location	true	"The location (id, version and timestamps are ignored or optional)"
//	@Success		201		{object}	models.Location
//	@Failure		400		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Router			/api/v1/locations [post]
func (h *Locations) Create(c *gin.Context) { h.crud.doCreate(c) }

// Get godoc
//
//	@Summary	Get a location
//	@Tags		locations
//	@Produce	json,application/problem+json
//	@Param		id	path		string	true	"Location id or slug"
//	@Success	200	{object}	models.Location
//	@Header		200	{string}	ETag	"The version, for If-Match"
//	@Failure	404	{object}	Problem
//	@Param		at	query	string	false	"RFC 3339 time: the entity as it was then, from its revisions (404 before it existed or after its deletion)"
//	@Param		If-None-Match	header	string	false	"ETag held: 304 when the entity has not changed"
//	@Success		304	"Not modified"
//	@Failure		400	{object}	Problem
//	@Router		/api/v1/locations/{id} [get]
func (h *Locations) Get(c *gin.Context) { h.crud.doGet(c) }

// Replace godoc
//
//	@Summary	Replace a location
//	@Tags		locations
//	@Accept		json
//	@Produce	json,application/problem+json
//	@Param		id			path		string			true	"Location id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		location		body		models.Location	true	"The whole new state"
//	@Success	200			{object}	models.Location
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/locations/{id} [put]
func (h *Locations) Replace(c *gin.Context) { h.crud.doReplace(c) }

// Patch godoc
//
//	@Summary	Update a location with a JSON merge patch (RFC 7396)
//	@Tags		locations
//	@Accept		json
//	@Produce	json,application/problem+json
//	@Param		id			path		string			true	"Location id or slug"
//	@Param		If-Match	header		string			true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		patch		body		models.Location	true	"Members to change; null removes"
//	@Success	200			{object}	models.Location
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/locations/{id} [patch]
func (h *Locations) Patch(c *gin.Context) { h.crud.doPatch(c) }

// Delete godoc
//
//	@Summary		Delete a location
//	@Description	Refused with 409 while events refer to it.
//	@Tags			locations
//	@Produce	json,application/problem+json
//	@Param			id			path	string	true	"Location id or slug"
//	@Param			If-Match	header	string	true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Success		204
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem
//	@Failure		412	{object}	Problem
//	@Failure		428	{object}	Problem
//	@Router			/api/v1/locations/{id} [delete]
func (h *Locations) Delete(c *gin.Context) { h.crud.doDelete(c) }

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
//	@Router			/api/v1/locations/{id}/revisions [get]
func (h *Locations) Revisions(c *gin.Context) { h.doRevisions(c) }
