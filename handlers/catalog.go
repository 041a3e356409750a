package handlers

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// catalog is the shape of a kind whose handlers are its CRUD and a filtered, paged list
// that finds its entities by name, and nothing else (locations, sources): its file holds
// only the filter it reads and the API documentation of each route.
type catalog[T any, P interface {
	*T
	models.Entity
}, F any] struct {
	crud[T, P]
	list func(context.Context, F) (store.Page[T], error)
	// params are the query parameters filter reads, besides those of listArgs.
	params []string
	filter func(q *query, l listArgs) F
}

// listArgs are the query parameters every catalog list takes: the name search and paging.
type listArgs struct {
	Q, Sort, Cursor string
	Limit           int
}

func (h *catalog[T, P, F]) doList(c *gin.Context) {
	q := newQuery(c, append([]string{"q", "sort", "limit", "cursor"}, h.params...)...)
	f := h.filter(q, listArgs{Q: q.one("q"), Sort: q.one("sort"), Cursor: q.one("cursor"), Limit: q.int("limit")})
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	p, err := h.list(c.Request.Context(), f)
	if err != nil {
		Fail(c, err)
		return
	}
	respondList(c, p)
}
