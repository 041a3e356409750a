package handlers

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// GraphStore is what the graph needs of the store.
type GraphStore interface {
	CoParticipationGraph(context.Context, store.EventFilter, store.GraphCut) (*models.Graph, error)
}

// totalEdgesHeader counts a graph's edges before the limit kept the heaviest.
const totalEdgesHeader = "Parley-Total-Edges"

// Graph serves /graph.
type Graph struct{ store GraphStore }

// NewGraph binds the graph handler to a store.
func NewGraph(s GraphStore) *Graph { return &Graph{store: s} }

// Get godoc
//
//	@Summary		Co-participation network
//	@ID			getGraph
//	@Description	Actors of the events the /events filters select, and who took part with whom: edge weight = shared events. format=d3 (default) is {nodes, links} for d3-force (forceLink().id(d => d.id)); format=cytoscape is {elements: {nodes, edges}} for cytoscape(); format=gexf is GEXF 1.3 XML, which Gephi opens (File > Open). At most limit edges, the heaviest (ties by ids); the Parley-Total-Edges header counts them all. Nodes are every participating actor while no edge is cut, and the actors of the kept edges once some are.
//	@Tags			research
//	@Produce		json,application/gexf+xml
//	@Param			format		query		formats.GraphName	false	"Output format"	default(d3)
//	@Param			min_weight	query		int			false	"Only edges with at least this many shared events"	default(1)	minimum(1)
//	@Param			limit		query		int			false	"The most edges answered, heaviest first (1-10000)"	default(1000)	minimum(1)	maximum(10000)
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
//	@Param			parent		query		string		false	"Parent event"
//	@Param			q			query		string		false	"Full-text search"
//	@Success		200			{object}	formats.CytoscapeGraph	"format=cytoscape"
//	@Success		200			{object}	formats.D3Graph	"format=d3 (format=gexf is GEXF XML; the served documents list each format's schema)"
//	@Header			200			{integer}	Parley-Total-Edges	"Edges before the limit"
//	@Failure		400			{object}	Problem
//	@Router			/api/v1/graph [get]
func (h *Graph) Get(c *gin.Context) {
	names := eventFilterNamesWithout("sort", "include", "limit", "cursor")
	q := newQuery(c, append(names, "actor", "match", "format", "min_weight", "limit")...)
	f := parseEventFilter(q, true)
	format := q.one("format")
	if format == "" {
		format = formats.Names(formats.AtGraph)[0]
	}
	fm, ok := formats.Lookup(formats.AtGraph, format)
	if !ok {
		q.v.Merge("", formats.UnknownFormat(formats.AtGraph, format))
	}
	minWeight := int64(1)
	if s := q.one("min_weight"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			q.v.Add("min_weight", "must be a positive integer")
		}
		minWeight = n
	}
	limit := q.upTo("limit", store.MaxGraphEdges)
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	g, err := h.store.CoParticipationGraph(c.Request.Context(), f, store.GraphCut{MinWeight: minWeight, Limit: limit})
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header(totalEdgesHeader, strconv.FormatInt(g.TotalEdges, 10))
	doc := fm.Graph(g)
	if write, ok := doc.(formats.WriteFunc); ok {
		stream(c, fm.MediaType, exportFileName(fm, "graph", f), write)
		return
	}
	c.JSON(http.StatusOK, doc)
}
