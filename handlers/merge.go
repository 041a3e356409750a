package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
)

// MergeStore is what merging duplicates needs of the store.
type MergeStore interface {
	MergeActors(ctx context.Context, ref, into string, ifVersion int) (*models.Actor, error)
	MergeEvents(ctx context.Context, ref, into string, ifVersion int) (*models.Event, error)
	MergeLocations(ctx context.Context, ref, into string, ifVersion int) (*models.Location, error)
	MergeOutlets(ctx context.Context, ref, into string, ifVersion int) (*models.Outlet, error)
	MergeSources(ctx context.Context, ref, into string, ifVersion int) (*models.Source, error)
	EventDuplicates(ctx context.Context, ref string, limit int) ([]models.DuplicateCandidate, error)
}

// Merges serves the merges of duplicates and the event duplicate candidates.
type Merges struct{ store MergeStore }

// NewMerges binds the merge handlers to a store.
func NewMerges(s MergeStore) *Merges { return &Merges{store: s} }

// maxDuplicates caps the candidates one request asks for.
const maxDuplicates = 50

// Duplicates is the body of GET /events/{id}/duplicates.
type Duplicates struct {
	Items []models.DuplicateCandidate `json:"items"`
}

// mergeRequest reads the body and the optional If-Match (the loser's version).
func mergeRequest(c *gin.Context) (into string, version int, err error) {
	if err := newQuery(c).err(); err != nil {
		return "", 0, err
	}
	var req models.MergeRequest
	if err := decode(c, &req); err != nil {
		return "", 0, err
	}
	if err := req.Validate(); err != nil {
		return "", 0, err
	}
	if strings.TrimSpace(c.GetHeader("If-Match")) != "" {
		if version, err = ifMatch(c); err != nil {
			return "", 0, err
		}
	}
	return req.Into.String(), version, nil
}

// Actors godoc
//
//	@Summary		Merge a duplicate actor into another
//	@ID			mergeActor
//	@Description	The actor in the path is the duplicate: it goes. Every reference to it (participations, whom participants represent, statements' speaker and speaks_for, affiliations, and any other column naming an actor) moves to the actor named by `into`, in one transaction; where the survivor already takes part in an event in the same role, the two rows become one. The duplicate's name, slug and aliases become aliases of the survivor; both get revisions (the duplicate's last has action `merge` and `merged_into`), which the changes feed shows. The duplicate's id and slug then answer 308 Permanent Redirect to the survivor, and references to them in writes and imports land on the survivor; its old slug stays reserved.
//	@Tags			actors
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"The duplicate actor (id or slug), which goes"
//	@Param			If-Match	header		string					false	"ETag of the duplicate's version read (412 when stale); optional"
//	@Param			merge		body		models.MergeRequest		true	"The survivor"
//	@Success		200			{object}	models.Actor			"The survivor after the merge"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem	"No such duplicate (or already merged)"
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		422			{object}	Problem	"into is missing, unknown or the duplicate itself"
//	@Router			/api/v1/actors/{id}/merge [post]
func (h *Merges) Actors(c *gin.Context) {
	respondMerged(c, func(ctx context.Context, into string, version int) (models.Entity, error) {
		return h.store.MergeActors(ctx, c.Param("id"), into, version)
	})
}

// Events godoc
//
//	@Summary		Merge a duplicate event into another
//	@ID			mergeEvent
//	@Description	The event in the path is the duplicate: it goes. Its participants, tags and sources are added to the event named by `into` (the survivor's own rows win where both have one), and its statements, child events and relations (both ways, dropping any that would relate the survivor to itself) move to the survivor, in one transaction. The survivor keeps its own title, date and fields; the duplicate's last revision (action `merge`, with `merged_into`) keeps its state. The duplicate's id and slug then answer 308 Permanent Redirect to the survivor, and references to them land on the survivor.
//	@Tags			events
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"The duplicate event (id or slug), which goes"
//	@Param			If-Match	header		string					false	"ETag of the duplicate's version read (412 when stale); optional"
//	@Param			merge		body		models.MergeRequest		true	"The survivor"
//	@Success		200			{object}	models.Event			"The survivor after the merge"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem	"No such duplicate (or already merged)"
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		422			{object}	Problem	"into is missing, unknown or the duplicate itself"
//	@Router			/api/v1/events/{id}/merge [post]
func (h *Merges) Events(c *gin.Context) {
	respondMerged(c, func(ctx context.Context, into string, version int) (models.Entity, error) {
		return h.store.MergeEvents(ctx, c.Param("id"), into, version)
	})
}

// EventDuplicates godoc
//
//	@Summary		Candidate duplicates of an event
//	@ID			listEventDuplicates
//	@Description	Events that may report the same real event, best first, each with a score from 0 to 1 and the reasons: dates that overlap (or lie within a week), shared participants, the same location, the same type, a similar title. Candidates come from the event's date window (a week either side) and from events its participants took part in, through indexes, at most 500 of each, so the cost is bounded whatever the database holds. Merge one with POST /events/{id}/merge.
//	@Tags			events
//	@Produce		json
//	@Param			id		path		string	true	"Event id or slug"
//	@Param			limit	query		int		false	"Number of candidates (1-50)"	default(10)	minimum(1)	maximum(50)
//	@Success		200		{object}	Duplicates
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/events/{id}/duplicates [get]
func (h *Merges) EventDuplicates(c *gin.Context) {
	q := newQuery(c, "limit")
	limit := q.upTo("limit", maxDuplicates)
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	if limit == 0 {
		limit = 10
	}
	items, err := h.store.EventDuplicates(c.Request.Context(), c.Param("id"), limit)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, Duplicates{Items: items})
}

// respondMerged reads a merge request, runs merge and answers with the survivor and its
// ETag: the steps every kind's merge shares.
func respondMerged(c *gin.Context, merge func(ctx context.Context, into string, version int) (models.Entity, error)) {
	into, version, err := mergeRequest(c)
	if err != nil {
		Fail(c, err)
		return
	}
	e, err := merge(c.Request.Context(), into, version)
	if err != nil {
		Fail(c, err)
		return
	}
	setETag(c, e.GetMeta().Version)
	c.JSON(http.StatusOK, e)
}

// Locations godoc
//
//	@Summary		Merge a duplicate location into another
//	@ID			mergeLocation
//	@Description	The location in the path is the duplicate: it goes. The events held there move to the location named by `into`, which keeps its own name, coordinates and fields, in one transaction; both get revisions (the duplicate's last has action `merge` and `merged_into`). The duplicate's id and slug then answer 308 Permanent Redirect to the survivor, and references to them land on the survivor.
//	@Tags			locations
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"The duplicate location (id or slug), which goes"
//	@Param			If-Match	header		string					false	"ETag of the duplicate's version read (412 when stale); optional"
//	@Param			merge		body		models.MergeRequest		true	"The survivor"
//	@Success		200			{object}	models.Location			"The survivor after the merge"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem	"No such duplicate (or already merged)"
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		422			{object}	Problem	"into is missing, unknown or the duplicate itself"
//	@Router			/api/v1/locations/{id}/merge [post]
func (h *Merges) Locations(c *gin.Context) {
	respondMerged(c, func(ctx context.Context, into string, version int) (models.Entity, error) {
		return h.store.MergeLocations(ctx, c.Param("id"), into, version)
	})
}

// Outlets godoc
//
//	@Summary		Merge a duplicate outlet into another
//	@ID			mergeOutlet
//	@Description	The outlet in the path is the duplicate: it goes. The sources it published move to the outlet named by `into`, and the duplicate's name, slug and aliases become aliases of the survivor, in one transaction; both get revisions (the duplicate's last has action `merge` and `merged_into`). The duplicate's id and slug then answer 308 Permanent Redirect to the survivor, and references to them land on the survivor.
//	@Tags			outlets
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"The duplicate outlet (id or slug), which goes"
//	@Param			If-Match	header		string					false	"ETag of the duplicate's version read (412 when stale); optional"
//	@Param			merge		body		models.MergeRequest		true	"The survivor"
//	@Success		200			{object}	models.Outlet			"The survivor after the merge"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem	"No such duplicate (or already merged)"
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		422			{object}	Problem	"into is missing, unknown or the duplicate itself"
//	@Router			/api/v1/outlets/{id}/merge [post]
func (h *Merges) Outlets(c *gin.Context) {
	respondMerged(c, func(ctx context.Context, into string, version int) (models.Entity, error) {
		return h.store.MergeOutlets(ctx, c.Param("id"), into, version)
	})
}

// Sources godoc
//
//	@Summary		Merge a duplicate source into another
//	@ID			mergeSource
//	@Description	The source in the path is the duplicate (another record of the same report): it goes. The events and statements citing it, their evidence, and the sources known through it (via_id) move to the source named by `into`, in one transaction; a merge that would make a source known through itself is refused (409). Both get revisions (the duplicate's last has action `merge` and `merged_into`). The duplicate's id and slug then answer 308 Permanent Redirect to the survivor, and references to them land on the survivor.
//	@Tags			sources
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"The duplicate source (id or slug), which goes"
//	@Param			If-Match	header		string					false	"ETag of the duplicate's version read (412 when stale); optional"
//	@Param			merge		body		models.MergeRequest		true	"The survivor"
//	@Success		200			{object}	models.Source			"The survivor after the merge"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem	"No such duplicate (or already merged)"
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		422			{object}	Problem	"into is missing, unknown or the duplicate itself"
//	@Router			/api/v1/sources/{id}/merge [post]
func (h *Merges) Sources(c *gin.Context) {
	respondMerged(c, func(ctx context.Context, into string, version int) (models.Entity, error) {
		return h.store.MergeSources(ctx, c.Param("id"), into, version)
	})
}
