package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// TimelineStore is what the timeline needs of the store.
type TimelineStore interface {
	ListEvents(context.Context, store.EventFilter) (store.Page[models.Event], error)
}

// Timeline serves /timeline.
type Timeline struct{ store TimelineStore }

// NewTimeline binds the timeline handler to a store.
func NewTimeline(s TimelineStore) *Timeline { return &Timeline{store: s} }

// Get godoc
//
//	@Summary		Timeline of events
//	@ID			getTimeline
//	@Description	The /events filters, in date order, as parley JSON (with everything embedded), a Knight Lab TimelineJS3 document or vis-timeline items and groups. Up to `limit` events (default 500); a `Link: rel="next"` header points at the rest.
//	@Tags			research
//	@Produce		json
//	@Param			format		query		formats.TimelineName	false	"Output format"	default(parley)
//	@Param			group_by	query		string		false	"Lanes: TimelineJS group / vis groups (actor: the first participant)"	Enums(type, actor, location)
//	@Param			title		query		string		false	"Headline of the TimelineJS title slide"
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
//	@Param			from		query		string		false	"Overlaps from this date (EDTF)"
//	@Param			to			query		string		false	"Overlaps up to this date (EDTF)"
//	@Param			source		query		[]string	false	"Cited source (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			supports	query		[]string	false	"Narrow to what a source (those of source, or any) has evidence for: one of date, status, location, participants, type, summary, relations (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			parent		query		string		false	"Parent event: the rounds of a series"
//	@Param			q			query		string		false	"Full-text search"
//	@Param			limit		query		int			false	"At most this many events (1-500)"	default(500)
//	@Param			cursor		query		string		false	"Opaque cursor from the Link header"
//	@Success		200			{object}	formats.VisDoc	"format=vis"
//	@Success		200			{object}	formats.TimelineJSDoc	"format=timelinejs"
//	@Success		200			{object}	List[models.Event]	"format=parley: the events with everything embedded (the served documents list each format's schema)"
//	@Failure		400			{object}	Problem
//	@Router			/api/v1/timeline [get]
func (h *Timeline) Get(c *gin.Context) {
	names := eventFilterNamesWithout("sort", "include")
	q := newQuery(c, append(names, "actor", "match", "format", "group_by", "title")...)
	f := parseEventFilter(q, true)
	format := q.one("format")
	if format == "" {
		format = formats.Names(formats.AtTimeline)[0]
	}
	fm, ok := formats.Lookup(formats.AtTimeline, format)
	if !ok {
		q.v.Merge("", formats.UnknownFormat(formats.AtTimeline, format))
	}
	opt := formats.TimelineOptions{GroupBy: q.one("group_by"), Title: q.one("title")}
	if !formats.ValidGroupBy(opt.GroupBy) {
		q.v.Add("group_by", "must be one of type, actor, location")
	}
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	if f.Limit == 0 {
		f.Limit = store.MaxLimit
	}
	f.Sort = "date"
	emb := fm.EmbedsFor(opt)
	f.Include = store.Include{Participants: emb.Participants, Location: emb.Location, Statements: emb.Statements,
		Sources: emb.Sources, Bare: !emb.Children}
	// The store embeds the actors the events name (participants, whom they represent,
	// speakers), as it does for /export: the documents read the same.
	p, err := h.store.ListEvents(c.Request.Context(), f)
	if err != nil {
		Fail(c, err)
		return
	}
	if fm.Timeline == nil {
		respondList(c, p)
		return
	}
	setNextLink(c, p.NextCursor)
	c.JSON(http.StatusOK, fm.Timeline(p.Items, opt))
}
