package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/store"
)

// ChangeStore is what the changes feed needs of the store.
type ChangeStore interface {
	Changes(ctx context.Context, since string, limit int) (store.ChangePage, error)
}

// Changes serves /api/v1/changes, the feed a mirror or a snapshot follows.
type Changes struct{ store ChangeStore }

// NewChanges binds the changes feed to a store.
func NewChanges(s ChangeStore) *Changes { return &Changes{store: s} }

// List godoc
//
//	@Summary		Changes feed
//	@ID			listChanges
//	@Description	Every create, update and delete of every entity, oldest first, each with the entity's whole state after the change (before it, for a deletion). Pass `next` back as `since` to get what changed since; an empty page keeps the same `next`, so a mirror polls with it. A change appears only once every transaction that began before its own has ended, so resuming never skips one that committed late.
//	@Tags			revisions
//	@Produce		json
//	@Param			since	query		string	false	"Cursor from a previous page's next (or an item's cursor); empty: from the beginning"
//	@Param			limit	query		int		false	"Page size (1-500)"	default(50)
//	@Success		200		{object}	store.ChangePage
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/changes [get]
func (h *Changes) List(c *gin.Context) {
	q := newQuery(c, "since", "limit")
	since, limit := q.one("since"), q.int("limit")
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	p, err := h.store.Changes(c.Request.Context(), since, limit)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
