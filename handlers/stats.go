package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/store"
)

// StatsStore is what the statistics need of the store.
type StatsStore interface {
	EventStats(context.Context, store.StatsFilter) (*store.Stats, error)
}

// Stats serves /stats.
type Stats struct{ store StatsStore }

// NewStats binds the statistics handler to a store.
func NewStats(s StatsStore) *Stats { return &Stats{store: s} }

// Events godoc
//
//	@Summary		Event counts per interval, for histograms
//	@ID			getEventStats
//	@Description	Counts events by the interval their date starts in (UTC; ISO weeks start on Monday), with every empty interval between from and to (or between the first and the last event). group_by splits each count: by type; by actor (an event counts for each participant; labels names the slugs); by country (each participant country). More than 5000 intervals over the range (from and to, or the events' own) is a 400 naming interval and the cap. Takes the /events filters.
//	@Tags			research
//	@Produce		json
//	@Param			interval	query		string		true	"Bucket size"	Enums(day, week, month, year)
//	@Param			group_by	query		string		false	"Split counts by"	Enums(type, actor, country)
//	@Param			actor		query		[]string	false	"Participant id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			match		query		string		false	"Whether any or all actors must take part"	Enums(any, all)
//	@Param			represented	query		bool		false	"Whether an actor also matches through the participants who represent it (Russia through Putin); default: direct participation only"	default(false)
//	@Param			min_goldstein	query		number		false	"GDELT events whose Goldstein scale is at least this (-10 to 10); events without one never match"
//	@Param			max_goldstein	query		number		false	"GDELT events whose Goldstein scale is at most this (-10 to 10)"
//	@Param			quad_class		query		[]int		false	"GDELT QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			min_tone		query		number		false	"GDELT events whose average tone is at least this (-100 to 100)"
//	@Param			max_tone		query		number		false	"GDELT events whose average tone is at most this (-100 to 100)"
//	@Param			min_mentions	query		int			false	"GDELT events with at least this many mentions (NumMentions)"	minimum(0)
//	@Param			min_sources		query		int			false	"GDELT events with at least this many sources (NumSources)"	minimum(0)
//	@Param			min_articles	query		int			false	"GDELT events with at least this many articles (NumArticles)"	minimum(0)
//	@Param			role		query		[]string	false	"Participant role (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			country		query		[]string	false	"Participant country (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			location	query		[]string	false	"Location id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			type		query		[]string	false	"Event type (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			status		query		[]string	false	"Event status (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			tag			query		[]string	false	"Tag; all must be present (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			from		query		string		false	"First interval: the one holding this date (EDTF)"
//	@Param			to			query		string		false	"Last interval: the one holding the end of this date (EDTF)"
//	@Param			source		query		[]string	false	"Cited source (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			supports	query		[]string	false	"Narrow to what a source (those of source, or any) has evidence for: one of date, status, location, participants, type, summary, relations (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			parent		query		string		false	"Parent event"
//	@Param			q			query		string		false	"Full-text search"
//	@Success		200			{object}	store.Stats
//	@Failure		400			{object}	Problem
//	@Router			/api/v1/stats/events [get]
func (h *Stats) Events(c *gin.Context) {
	names := eventFilterNamesWithout("sort", "include", "limit", "cursor")
	q := newQuery(c, append(names, "actor", "match", "interval", "group_by")...)
	f := store.StatsFilter{EventFilter: parseEventFilter(q, true), Interval: q.one("interval"), GroupBy: q.one("group_by")}
	if f.Interval == "" {
		q.v.Add("interval", "is required: day, week, month or year")
	}
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	st, err := h.store.EventStats(c.Request.Context(), f)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}
