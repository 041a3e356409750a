package handlers

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// RevisionStore is what the revision handler needs of the store.
type RevisionStore interface {
	Revisions(context.Context, *models.Kind, string, store.RevisionFilter) (store.Page[models.Revision], error)
}

// Revisions serves /{collection}/{id}/revisions for one kind.
type Revisions struct {
	store RevisionStore
	kind  *models.Kind
}

// NewRevisions binds the revision handler of kind k to a store.
func NewRevisions(s RevisionStore, k *models.Kind) *Revisions { return &Revisions{store: s, kind: k} }

// List godoc
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
//	@Router			/api/v1/events/{id}/revisions [get]
//	@Router			/api/v1/actors/{id}/revisions [get]
//	@Router			/api/v1/locations/{id}/revisions [get]
//	@Router			/api/v1/sources/{id}/revisions [get]
//	@Router			/api/v1/statements/{id}/revisions [get]
func (h *Revisions) List(c *gin.Context) {
	q := newQuery(c, "limit", "cursor")
	f := store.RevisionFilter{Limit: q.int("limit"), Cursor: q.one("cursor")}
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	p, err := h.store.Revisions(c.Request.Context(), h.kind, c.Param("id"), f)
	if err != nil {
		Fail(c, err)
		return
	}
	respondList(c, p)
}
