package store

import (
	"cmp"
	"context"
	"database/sql/driver"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// CoParticipant is an actor who took part in events together with another.
type CoParticipant struct {
	Actor        models.Actor `json:"actor"`
	SharedEvents int64        `json:"shared_events"`
	// FirstShared and LastShared are the starts of the earliest and the latest shared event.
	FirstShared time.Time `json:"first_shared"`
	LastShared  time.Time `json:"last_shared"`
}

// Network is an actor's co-participants, most shared events first.
type Network struct {
	Actor          models.Actor    `json:"actor"`
	CoParticipants []CoParticipant `json:"co_participants"`
	// Total counts every co-participant, of which CoParticipants holds the first limit.
	Total int64 `json:"total"`
}

// MaxNetwork and MaxGraphEdges bound the answers of a network and a graph: the busiest
// actor of a million events has 20,000 co-participants, and a year's graph 200,000
// edges, answers of megabytes that no reader draws. The heaviest come first.
const (
	MaxNetwork        = 1000
	DefaultNetwork    = 100
	MaxGraphEdges     = 10000
	DefaultGraphEdges = 1000
)

// ActorNetwork lists who took part in events with the actor addressed by ref, among the
// events f selects (its actor and match fields are ignored): the limit with the most
// shared events (ties by slug), and how many there are in all.
func (s *Store) ActorNetwork(ctx context.Context, ref string, f EventFilter, limit int) (*Network, error) {
	limit, err := checkCap(limit, DefaultNetwork, MaxNetwork)
	if err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	a, err := findActor(db, ref)
	if err != nil {
		return nil, err
	}
	f.Actors, f.MatchAll = nil, false
	rows, err := s.coParticipants(db, a.ID, &f, limit)
	if err != nil {
		return nil, dbError(err, "network")
	}
	ids := make([]models.ID, len(rows))
	for i, r := range rows {
		ids[i] = r.ActorID
	}
	byID, err := loadByID[models.Actor](db, ids)
	if err != nil {
		return nil, dbError(err, "actors")
	}
	out := &Network{Actor: *a, CoParticipants: make([]CoParticipant, 0, len(rows))}
	if len(rows) > 0 {
		out.Total = rows[0].Total
	}
	for _, r := range rows {
		co := byID[r.ActorID]
		if co == nil {
			// The actor went between the two statements (they are two snapshots unless the
			// request reads in one transaction): leave it out rather than invent it.
			continue
		}
		out.CoParticipants = append(out.CoParticipants, CoParticipant{Actor: *co, SharedEvents: r.N,
			FirstShared: r.First.Time, LastShared: r.Last.Time})
	}
	slices.SortFunc(out.CoParticipants, func(a, b CoParticipant) int {
		if a.SharedEvents != b.SharedEvents {
			return cmp.Compare(b.SharedEvents, a.SharedEvents)
		}
		return strings.Compare(a.Actor.Slug, b.Actor.Slug)
	})
	return out, nil
}

// coParticipants counts the actor's shared events with each co-participant among the
// events f selects (from the roll-ups when f is at most a range of whole months) and
// keeps the limit with the most.
func (s *Store) coParticipants(db *gorm.DB, actor models.ID, f *EventFilter, limit int) ([]networkRow, error) {
	conds, err := s.eventConditions(db, f)
	if err != nil {
		return nil, err
	}
	var counts *gorm.DB
	if from, to, ok := conds.onlyActorAndMonths(); ok && !s.noRollups {
		if counts, err = s.rollupNetwork(db, actor, from, to); err != nil {
			return nil, err
		}
	} else {
		q := db.Session(&gorm.Session{NewDB: true}).Table("event_participants me").
			Select("o.actor_id AS actor_id, COUNT(DISTINCT me.event_id) AS n, MIN(me.event_start) AS first, MAX(me.event_start) AS last").
			Joins("JOIN event_participants o ON o.event_id = me.event_id AND o.actor_id <> me.actor_id").
			Where("me.actor_id = ?", actor)
		counts = onEvents(q, "me.event_id", conds.ids(db)).Group("o.actor_id")
	}
	var rows []networkRow
	err = db.Table("(?) x", counts).Joins("JOIN actors ac ON ac.id = x.actor_id").
		Select("x.actor_id AS actor_id, x.n AS n, x.first AS first, x.last AS last, COUNT(*) OVER () AS total").
		Order("x.n DESC, ac.slug").Limit(limit).Scan(&rows).Error
	return rows, err
}

// scannedTime reads an aggregate of a timestamp column: a time on PostgreSQL, the
// stored text on SQLite (where MIN and MAX lose the column's type).
type scannedTime struct{ time.Time }

// Value implements driver.Valuer (GORM requires both directions of a scanned struct).
func (t scannedTime) Value() (driver.Value, error) { return t.Time, nil }

// Scan implements sql.Scanner.
func (t *scannedTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		t.Time = v.UTC()
		return nil
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02"} {
			if p, err := time.Parse(layout, v); err == nil {
				t.Time = p.UTC()
				return nil
			}
		}
	case []byte:
		return t.Scan(string(v))
	}
	return fmt.Errorf("store: cannot read %T %v as a time", src, src)
}

// ids is a sub-query of the ids of the events the conditions select, nil when they
// select every event.
func (c *eventConds) ids(db *gorm.DB) *gorm.DB {
	if c.none() {
		return nil
	}
	return c.where(db.Session(&gorm.Session{NewDB: true}).Table("events").Select("events.id"))
}

// onEvents keeps the rows of q whose column names one of events (an eventConds.ids
// sub-query); nil keeps every row, without a semi-join over every event.
func onEvents(q *gorm.DB, column string, events *gorm.DB) *gorm.DB {
	if events == nil {
		return q
	}
	return q.Where(column+" IN (?)", events)
}

// GraphCut bounds a graph: only edges of at least MinWeight shared events, and of those
// the Limit heaviest.
type GraphCut struct {
	MinWeight int64
	Limit     int
}

// CoParticipationGraph builds the graph of the events f selects: every pair sharing at
// least cut.MinWeight events is an edge, of which the cut.Limit heaviest are kept
// (Graph.TotalEdges counts them all). The nodes are every participating actor while no
// edge is cut, and the actors of the kept edges once some are. Nodes come in slug
// order, edges by weight (heaviest first).
func (s *Store) CoParticipationGraph(ctx context.Context, f EventFilter, cut GraphCut) (*models.Graph, error) {
	var err error
	if cut.Limit, err = checkCap(cut.Limit, DefaultGraphEdges, MaxGraphEdges); err != nil {
		return nil, err
	}
	cut.MinWeight = max(cut.MinWeight, 1)
	db := s.db.WithContext(ctx)
	conds, err := s.eventConditions(db, &f)
	if err != nil {
		return nil, err
	}
	var src graphSource
	if from, to, ok := conds.onlyActorAndMonths(); ok && len(conds.actors) == 0 && !s.noRollups {
		src, err = s.rollupGraph(db, from, to, cut.MinWeight)
		if err != nil {
			return nil, err
		}
	} else {
		events := conds.ids(db)
		src = graphSource{
			edges: onEvents(db.Session(&gorm.Session{NewDB: true}).Table("event_participants a").
				Select("a.actor_id AS source, b.actor_id AS target, COUNT(DISTINCT a.event_id) AS weight").
				Joins("JOIN event_participants b ON b.event_id = a.event_id AND a.actor_id < b.actor_id"), "a.event_id", events).
				Group("a.actor_id, b.actor_id").Having("COUNT(DISTINCT a.event_id) >= ?", cut.MinWeight),
			nodes: onEvents(db.Session(&gorm.Session{NewDB: true}).Table("event_participants p").
				Select("p.actor_id AS id, ac.slug AS slug, ac.name AS label, ac.kind AS kind, COUNT(DISTINCT p.event_id) AS events").
				Joins("JOIN actors ac ON ac.id = p.actor_id"), "p.event_id", events).
				Group("p.actor_id, ac.slug, ac.name, ac.kind"),
			actor: "p.actor_id",
		}
	}
	g, err := src.read(db, cut)
	if err != nil {
		return nil, dbError(err, "graph")
	}
	return g, nil
}

// graphSource is where a graph is read from: its edges (source, target, weight, heavier
// than the cut's minimum) and its nodes, as queries that read applies the cut to.
type graphSource struct {
	edges *gorm.DB
	// nodes is the query of the nodes (id, slug, label, kind, events), run once.
	nodes *gorm.DB
	// actor is the nodes' actor column, to keep only the actors of kept edges.
	actor string
}

// read runs the source's queries: the heaviest edges within the cut with their total,
// then the nodes (only those on the kept edges once edges were cut).
func (g graphSource) read(db *gorm.DB, cut GraphCut) (*models.Graph, error) {
	var rows []struct {
		models.GraphEdge
		Total int64
	}
	err := db.Table("(?) x", g.edges).Select("x.source AS source, x.target AS target, x.weight AS weight, COUNT(*) OVER () AS total").
		Order("x.weight DESC, x.source, x.target").Limit(cut.Limit).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := &models.Graph{Edges: make([]models.GraphEdge, len(rows)), Nodes: []models.GraphNode{}}
	for i, r := range rows {
		out.Edges[i] = r.GraphEdge
		out.TotalEdges = r.Total
	}
	nodes := g.nodes
	if out.TotalEdges > int64(len(out.Edges)) {
		ids := make(map[models.ID]bool, 2*len(out.Edges))
		for _, e := range out.Edges {
			ids[e.Source], ids[e.Target] = true, true
		}
		nodes = nodes.Where(g.actor+" IN ?", slices.Collect(maps.Keys(ids)))
	}
	if err := nodes.Order("slug").Scan(&out.Nodes).Error; err != nil {
		return nil, err
	}
	return out, nil
}
