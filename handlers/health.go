package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
)

// HealthStore is what readiness needs of the store.
type HealthStore interface {
	Ping(context.Context) error
	Pending(context.Context) (bool, error)
}

// Health serves /healthz and /readyz.
type Health struct{ store HealthStore }

// NewHealth binds the health handlers to a store.
func NewHealth(s HealthStore) *Health { return &Health{store: s} }

// Status is the body of /healthz and /readyz.
type Status struct {
	Status string `json:"status" example:"ok"`
}

// Live godoc
//
//	@Summary		Liveness
//	@ID			checkLiveness
//	@Description	200 while the process serves HTTP; it does not touch the database.
//	@Tags			health
//	@Produce		json
//	@Success		200	{object}	Status
//	@Router			/healthz [get]
func (h *Health) Live(c *gin.Context) { c.JSON(http.StatusOK, Status{Status: "ok"}) }

// Ready godoc
//
//	@Summary		Readiness
//	@ID			checkReadiness
//	@Description	200 when the database answers and its schema is up to date, else 503.
//	@Tags			health
//	@Produce		json
//	@Success		200	{object}	Status
//	@Failure		503	{object}	Problem
//	@Router			/readyz [get]
func (h *Health) Ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := h.store.Ping(ctx); err != nil {
		Fail(c, &models.Error{Code: models.EUNAVAILABLE, Message: "the database does not answer", Err: err})
		return
	}
	if pending, err := h.store.Pending(ctx); err != nil || pending {
		Fail(c, &models.Error{Code: models.EUNAVAILABLE, Message: "the database schema is not migrated", Err: err})
		return
	}
	c.JSON(http.StatusOK, Status{Status: "ok"})
}
