package store

import (
	"cmp"
	"context"
	"database/sql/driver"
	"fmt"
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
}

// ActorNetwork lists who took part in events with the actor addressed by ref, among the
// events f selects (its actor and match fields are ignored).
func (s *Store) ActorNetwork(ctx context.Context, ref string, f EventFilter) (*Network, error) {
	db := s.db.WithContext(ctx)
	a, err := actorSpec.find(db, ref, false)
	if err != nil {
		return nil, err
	}
	f.Actors, f.MatchAll = nil, false
	rows, err := s.coParticipants(db, a.ID, &f)
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
// events f selects: from the roll-ups when f is at most a range of whole months.
func (s *Store) coParticipants(db *gorm.DB, actor models.ID, f *EventFilter) ([]networkRow, error) {
	conds, err := s.eventConditions(db, f)
	if err != nil {
		return nil, err
	}
	if from, to, ok := conds.onlyActorAndMonths(); ok && !s.noRollups {
		return s.rollupNetwork(db, actor, from, to)
	}
	events := conds.ids(db)
	var rows []networkRow
	q := db.Table("event_participants me").
		Select("o.actor_id AS actor_id, COUNT(DISTINCT me.event_id) AS n, MIN(me.event_start) AS first, MAX(me.event_start) AS last").
		Joins("JOIN event_participants o ON o.event_id = me.event_id AND o.actor_id <> me.actor_id").
		Where("me.actor_id = ?", actor)
	err = onEvents(q, "me.event_id", events).Group("o.actor_id").Scan(&rows).Error
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

// CoParticipationGraph builds the graph of the events f selects: every participating
// actor is a node, every pair sharing at least minWeight events an edge. Nodes come in
// slug order, edges by weight (heaviest first).
func (s *Store) CoParticipationGraph(ctx context.Context, f EventFilter, minWeight int64) (*models.Graph, error) {
	db := s.db.WithContext(ctx)
	conds, err := s.eventConditions(db, &f)
	if err != nil {
		return nil, err
	}
	if from, to, ok := conds.onlyActorAndMonths(); ok && len(conds.actors) == 0 && !s.noRollups {
		edges, nodes, err := s.rollupGraph(db, from, to, minWeight)
		if err != nil {
			return nil, dbError(err, "graph")
		}
		return newGraph(nodes, edges), nil
	}
	events := conds.ids(db)
	var edges []models.GraphEdge
	err = onEvents(db.Table("event_participants a").
		Select("a.actor_id AS source, b.actor_id AS target, COUNT(DISTINCT a.event_id) AS weight").
		Joins("JOIN event_participants b ON b.event_id = a.event_id AND a.actor_id < b.actor_id"), "a.event_id", events).
		Group("a.actor_id, b.actor_id").Having("COUNT(DISTINCT a.event_id) >= ?", minWeight).
		Order("weight DESC, source, target").Scan(&edges).Error
	if err != nil {
		return nil, dbError(err, "graph")
	}
	var nodes []models.GraphNode
	err = onEvents(db.Table("event_participants p").
		Select("p.actor_id AS id, ac.slug AS slug, ac.name AS label, ac.kind AS kind, COUNT(DISTINCT p.event_id) AS events").
		Joins("JOIN actors ac ON ac.id = p.actor_id"), "p.event_id", events).
		Group("p.actor_id, ac.slug, ac.name, ac.kind").Order("ac.slug").Scan(&nodes).Error
	if err != nil {
		return nil, dbError(err, "graph")
	}
	return newGraph(nodes, edges), nil
}

// newGraph is the graph of nodes and edges, empty lists rather than none.
func newGraph(nodes []models.GraphNode, edges []models.GraphEdge) *models.Graph {
	if edges == nil {
		edges = []models.GraphEdge{}
	}
	if nodes == nil {
		nodes = []models.GraphNode{}
	}
	return &models.Graph{Nodes: nodes, Edges: edges}
}
