package store

import (
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// The reads the roll-ups answer (see rollups.go): a histogram by month or year, an
// actor's co-participants and the co-participation graph, for filters of at most one
// actor and a range of whole months. Any other filter reads the events themselves.

// rollupStatsFit reports whether the roll-ups answer the histogram f asks for, and the
// range of months it covers.
func (s *Store) rollupStatsFit(conds *eventConds, f StatsFilter) (from, to *time.Time, ok bool) {
	if s.noRollups || (f.Interval != "month" && f.Interval != "year") || (f.GroupBy == "actor" && len(conds.actors) > 0) {
		return nil, nil, false
	}
	return conds.onlyActorAndMonths()
}

// subject is the actor_id of the roll-up rows a filter reads: its actor, or every event.
func (c *eventConds) subject() models.ID {
	if len(c.actors) == 1 {
		return c.actors[0]
	}
	return models.ID{}
}

// rollupStats counts a histogram from the roll-ups: a sum over O(months × groups) rows.
func (s *Store) rollupStats(db *gorm.DB, conds *eventConds, f StatsFilter, from, to *time.Time) ([]statsRow, []statsTotal, error) {
	r := rollupSQL{d: s.dialect}
	label := "r.start_month"
	switch {
	case s.dialect == Postgres && f.Interval == "month":
		label = "to_char(r.start_month, 'YYYY-MM-DD')"
	case s.dialect == Postgres:
		label = "to_char(r.start_month, 'YYYY') || '-01-01'"
	case f.Interval == "year":
		label = "substr(r.start_month, 1, 4) || '-01-01'"
	}
	// Each table's rows in the range, reusable: Session starts a new statement per use.
	rowsOf := func(table string) (*gorm.DB, error) {
		q, err := r.inMonths(db, table, "r", from, to)
		if err != nil {
			return nil, err
		}
		return q.Where("r.events > 0").Session(&gorm.Session{}), nil
	}
	events, err := rowsOf("rollup_events")
	if err != nil {
		return nil, nil, err
	}
	if f.GroupBy == "type" {
		// An event has one type: the buckets' totals are the sums of their types, and the
		// rows are read once.
		var rows []statsRow
		err := events.Where("r.actor_id = ?", conds.subject()).Select(label + " AS bucket, r.type AS grp, SUM(r.events) AS n").
			Group(label + ", r.type").Having("SUM(r.events) > 0").Order("bucket, grp").Scan(&rows).Error
		var totals []statsTotal
		for _, row := range rows {
			if n := len(totals); n > 0 && totals[n-1].Bucket == row.Bucket {
				totals[n-1].N += row.N
			} else {
				totals = append(totals, statsTotal{Bucket: row.Bucket, N: row.N})
			}
		}
		return rows, totals, err
	}
	var totals []statsTotal
	err = events.Where("r.actor_id = ?", conds.subject()).
		Select(label + " AS bucket, SUM(r.events) AS n").Group(label).Scan(&totals).Error
	if err != nil || f.GroupBy == "" {
		return nil, totals, err
	}
	var q *gorm.DB
	switch f.GroupBy {
	case "country":
		countries, err := rowsOf("rollup_countries")
		if err != nil {
			return nil, nil, err
		}
		q = countries.Where("r.actor_id = ?", conds.subject()).Select(label + " AS bucket, r.country AS grp, SUM(r.events) AS n").
			Group(label + ", r.country")
	default: // actor, over every event
		q = events.Joins("JOIN actors ga ON ga.id = r.actor_id").Select(label + " AS bucket, ga.slug AS grp, SUM(r.events) AS n").
			Group(label + ", ga.slug")
	}
	var rows []statsRow
	err = q.Having("SUM(r.events) > 0").Order("bucket, grp").Scan(&rows).Error
	return rows, totals, err
}

// networkRow is one co-participant's shared events, with the number of co-participants.
type networkRow struct {
	ActorID     models.ID
	N           int64
	First, Last scannedTime
	Total       int64
}

// rollupNetwork counts an actor's co-participants from the pairs, which hold each pair
// once (actor_id < other_id): the actor on either side. It is a query of networkRow's
// columns for coParticipants to rank.
func (s *Store) rollupNetwork(db *gorm.DB, actor models.ID, from, to *time.Time) (*gorm.DB, error) {
	r := rollupSQL{d: s.dialect}
	table := "rollup_pairs"
	if from == nil && to == nil {
		table = "rollup_pair_totals"
	}
	side := func(me, other string) (*gorm.DB, error) {
		q, err := r.inMonths(db.Session(&gorm.Session{NewDB: true}), table, "r", from, to)
		if err != nil {
			return nil, err
		}
		return q.Select("r."+other+" AS actor_id, r.events AS events, r.first_start AS first_start, r.last_start AS last_start").
			Where("r."+me+" = ? AND r.events > 0", actor), nil
	}
	mine, err := side("actor_id", "other_id")
	if err != nil {
		return nil, err
	}
	theirs, err := side("other_id", "actor_id")
	if err != nil {
		return nil, err
	}
	return db.Session(&gorm.Session{NewDB: true}).Raw(`SELECT actor_id, SUM(events) AS n, MIN(first_start) AS first, MAX(last_start) AS last
FROM (? UNION ALL ?) y GROUP BY actor_id`, mine, theirs), nil
}

// rollupGraph reads the co-participation graph from the roll-ups: edges from the pairs,
// nodes from each actor's events; the whole graph from the totals.
func (s *Store) rollupGraph(db *gorm.DB, from, to *time.Time, minWeight int64) (graphSource, error) {
	r := rollupSQL{d: s.dialect}
	fresh := func() *gorm.DB { return db.Session(&gorm.Session{NewDB: true}) }
	if from == nil && to == nil {
		return graphSource{
			edges: fresh().Table("rollup_pair_totals r").Where("r.events >= ? AND r.events > 0", minWeight).
				Select("r.actor_id AS source, r.other_id AS target, r.events AS weight"),
			nodes: fresh().Table("rollup_actor_totals r").Joins("JOIN actors ac ON ac.id = r.actor_id").Where("r.events > 0").
				Select("r.actor_id AS id, ac.slug AS slug, ac.name AS label, ac.kind AS kind, r.events AS events"),
			actor: "r.actor_id",
		}, nil
	}
	pairs, err := r.inMonths(fresh(), "rollup_pairs", "r", from, to)
	if err != nil {
		return graphSource{}, err
	}
	actors, err := r.inMonths(fresh(), "rollup_events", "r", from, to)
	if err != nil {
		return graphSource{}, err
	}
	return graphSource{
		edges: pairs.Where("r.events > 0").
			Select("r.actor_id AS source, r.other_id AS target, SUM(r.events) AS weight").
			Group("r.actor_id, r.other_id").Having("SUM(r.events) >= ?", minWeight),
		nodes: actors.Where("r.events > 0 AND r.actor_id <> ?", models.ID{}).
			Joins("JOIN actors ac ON ac.id = r.actor_id").
			Select("r.actor_id AS id, ac.slug AS slug, ac.name AS label, ac.kind AS kind, SUM(r.events) AS events").
			Group("r.actor_id, ac.slug, ac.name, ac.kind").Having("SUM(r.events) > 0"),
		actor: "r.actor_id",
	}, nil
}
