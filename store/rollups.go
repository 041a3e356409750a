package store

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// Roll-ups (migration 00007) count distinct events by actor and month, so that a
// histogram, an actor's network and the co-participation graph read O(months) or
// O(pairs) rows instead of every event. They are kept exact in the transaction of every
// write: an event's contribution is taken out before it changes (rollupsOut) and put
// back after (rollupsIn), as signed increments, which commute, so concurrent writers
// need no more than the row locks of the upserts. The write paths are the event spec's
// hooks (every create, replace, delete and import goes through them) and an actor's
// country change, which moves its events between countries.
//
// A row is keyed by the month of its events' start and the month of their last instant
// (date_end less a microsecond): a range of whole months [F, T) then selects exactly the
// events the overlap filter selects, start_month < T AND end_month >= F.

// rollupTableNames are the roll-up tables.
var rollupTableNames = []string{"rollup_events", "rollup_actor_totals", "rollup_countries", "rollup_pairs", "rollup_pair_totals"}

// allActors is the actor_id of the rows that count every event, whoever took part.
const allActors = "00000000-0000-0000-0000-000000000000"

// rollupTables says which roll-ups a change moves: an event's date, type or
// participants move all of them, an actor's country only the countries.
type rollupTables struct{ events, countries, pairs bool }

var (
	allRollups     = rollupTables{events: true, countries: true, pairs: true}
	countryRollups = rollupTables{countries: true}
)

// rollupScope names the events whose contributions move: a condition on events e.
type rollupScope struct {
	cond string
	args []any
}

// eventsIn scopes the events with these ids.
func eventsIn(ids []models.ID) rollupScope { return rollupScope{cond: "e.id IN ?", args: []any{ids}} }

// eventsOf scopes the events the actor takes part in.
func eventsOf(actor models.ID) rollupScope {
	return rollupScope{cond: "e.id IN (SELECT event_id FROM event_participants WHERE actor_id = ?)", args: []any{actor}}
}

// everyEvent scopes every event: a rebuild.
var everyEvent = rollupScope{cond: "1 = 1"}

// pairKey is one row of rollup_pairs whose first and last starts a removal may have
// made stale.
type pairKey struct {
	ActorID    models.ID
	OtherID    models.ID
	StartMonth scannedTime
	EndMonth   scannedTime
}

// rollupSQL is the dialect's SQL of the roll-ups.
type rollupSQL struct {
	d Dialect
}

// months is the SQL of the start month and the end month of events e.
func (r rollupSQL) months() (start, end string) {
	if r.d == Postgres {
		return "date_trunc('month', e.date_start AT TIME ZONE 'UTC')::date",
			"date_trunc('month', (e.date_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date"
	}
	return "strftime('%Y-%m-01', e.date_start)", "strftime('%Y-%m-01', e.date_end, '-0.001 seconds')"
}

// all is the SQL of allActors as an actor id.
func (r rollupSQL) all() string {
	if r.d == Postgres {
		return "'" + allActors + "'::uuid"
	}
	return "'" + allActors + "'"
}

// month is a month's first day as a parameter compared with a month column.
func (r rollupSQL) month(t time.Time) any {
	t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	if r.d == Postgres {
		return t
	}
	return t.Format("2006-01-02")
}

// least and greatest keep the earlier (later) of a stored time and a new one.
func (r rollupSQL) least(stored, next string) string {
	if r.d == Postgres {
		return "LEAST(" + stored + ", " + next + ")"
	}
	return "min(COALESCE(" + stored + ", " + next + "), " + next + ")"
}

func (r rollupSQL) greatest(stored, next string) string {
	if r.d == Postgres {
		return "GREATEST(" + stored + ", " + next + ")"
	}
	return "max(COALESCE(" + stored + ", " + next + "), " + next + ")"
}

// rollupsIn adds the contributions of the events sc scopes, as they are now.
func rollupsIn(tx *gorm.DB, sc rollupScope, t rollupTables) error {
	_, err := moveRollups(tx, sc, t, 1)
	return err
}

// rollupsOut takes away the contributions of the events sc scopes, as they are now,
// before they change. The pairs it returns need their first and last starts read again
// once the change is made (fixPairs).
func rollupsOut(tx *gorm.DB, sc rollupScope, t rollupTables) ([]pairKey, error) {
	return moveRollups(tx, sc, t, -1)
}

// moveRollups adds sign times the contributions of the events sc scopes. Rows are
// upserted in key order, so that two writers lock shared rows in one order.
func moveRollups(tx *gorm.DB, sc rollupScope, t rollupTables, sign int) ([]pairKey, error) {
	r := rollupSQL{d: Dialect(tx.Dialector.Name())}
	if sign > 0 && staged(tx) {
		return nil, stageRollups(tx, r, sc, t)
	}
	var keys []pairKey
	for _, table := range t.names() {
		rows, args := r.contribution(table, sc)
		q := r.addTo(table, "("+rows+") c", sign)
		if table == "rollup_pairs" && sign < 0 {
			if err := tx.Raw(q+" RETURNING actor_id, other_id, start_month, end_month", args...).Scan(&keys).Error; err != nil {
				return nil, err
			}
			continue
		}
		if err := tx.Exec(q, args...).Error; err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// names lists the roll-up tables a change moves.
func (t rollupTables) names() []string {
	var out []string
	if t.events {
		out = append(out, "rollup_events", "rollup_actor_totals")
	}
	if t.countries {
		out = append(out, "rollup_countries")
	}
	if t.pairs {
		out = append(out, "rollup_pairs", "rollup_pair_totals")
	}
	return out
}

// rollupKeys are the key columns of each roll-up table.
var rollupKeys = map[string]string{
	"rollup_events":       "actor_id, start_month, end_month, type",
	"rollup_actor_totals": "actor_id",
	"rollup_countries":    "actor_id, start_month, end_month, country",
	"rollup_pairs":        "actor_id, other_id, start_month, end_month",
	"rollup_pair_totals":  "actor_id, other_id",
}

// dated reports whether a roll-up table keeps its events' first and last start.
func dated(table string) bool { return table == "rollup_pairs" || table == "rollup_pair_totals" }

// contribution is the SQL (and its arguments) of the rows the events sc scopes count in
// table: its key columns, events and, for the pairs, first_start and last_start.
func (r rollupSQL) contribution(table string, sc rollupScope) (string, []any) {
	sm, em := r.months()
	twice := append(append([]any{}, sc.args...), sc.args...)
	shared := fmt.Sprintf(`SELECT DISTINCT p.actor_id AS a, o.actor_id AS b, %[1]s AS sm, %[2]s AS em, e.id AS id, e.date_start AS start
  FROM events e JOIN event_participants p ON p.event_id = e.id
  JOIN event_participants o ON o.event_id = e.id AND p.actor_id < o.actor_id
  WHERE %[3]s`, sm, em, sc.cond)
	switch table {
	case "rollup_events":
		return fmt.Sprintf(`SELECT actor_id, sm AS start_month, em AS end_month, type, COUNT(*) AS events FROM (
  SELECT DISTINCT p.actor_id AS actor_id, %[1]s AS sm, %[2]s AS em, e.type AS type, e.id AS id
  FROM events e JOIN event_participants p ON p.event_id = e.id WHERE %[3]s
  UNION ALL
  SELECT %[4]s, %[1]s, %[2]s, e.type, e.id FROM events e WHERE %[3]s
) x GROUP BY actor_id, sm, em, type`, sm, em, sc.cond, r.all()), twice
	case "rollup_actor_totals":
		return fmt.Sprintf(`SELECT p.actor_id AS actor_id, COUNT(DISTINCT e.id) AS events
  FROM events e JOIN event_participants p ON p.event_id = e.id WHERE %s GROUP BY p.actor_id`, sc.cond), sc.args
	case "rollup_countries":
		return fmt.Sprintf(`SELECT actor_id, sm AS start_month, em AS end_month, country, COUNT(*) AS events FROM (
  SELECT DISTINCT p.actor_id AS actor_id, %[1]s AS sm, %[2]s AS em, ca.country AS country, e.id AS id
  FROM events e JOIN event_participants p ON p.event_id = e.id
  JOIN event_participants cp ON cp.event_id = e.id JOIN actors ca ON ca.id = cp.actor_id AND ca.country <> ''
  WHERE %[3]s
  UNION ALL
  SELECT DISTINCT %[4]s, %[1]s, %[2]s, ca.country, e.id
  FROM events e JOIN event_participants cp ON cp.event_id = e.id JOIN actors ca ON ca.id = cp.actor_id AND ca.country <> ''
  WHERE %[3]s
) x GROUP BY actor_id, sm, em, country`, sm, em, sc.cond, r.all()), twice
	case "rollup_pairs":
		return `SELECT a AS actor_id, b AS other_id, sm AS start_month, em AS end_month, COUNT(*) AS events,
  MIN(start) AS first_start, MAX(start) AS last_start FROM (` + shared + `) x GROUP BY a, b, sm, em`, sc.args
	default: // rollup_pair_totals
		return `SELECT a AS actor_id, b AS other_id, COUNT(*) AS events, MIN(start) AS first_start, MAX(start) AS last_start
  FROM (` + shared + `) x GROUP BY a, b`, sc.args
	}
}

// addTo is the upsert that adds sign times the rows of from (an SQL table expression with
// table's key columns, events and, when dated, first_start and last_start) to table, in
// key order. SQLite needs a WHERE in an INSERT … SELECT with an upsert (the parser would
// read ON CONFLICT as a join's ON): hence "WHERE true".
func (r rollupSQL) addTo(table, from string, sign int) string {
	k := rollupKeys[table]
	cols, sums := k+", events", fmt.Sprintf("%d * SUM(events)", sign)
	set := "events = " + table + ".events + excluded.events"
	if dated(table) {
		cols += ", first_start, last_start"
		sums += ", MIN(first_start), MAX(last_start)"
		if sign > 0 { // a removal's first and last are read again by fixPairs
			set += ", first_start = " + r.least(table+".first_start", "excluded.first_start") +
				", last_start = " + r.greatest(table+".last_start", "excluded.last_start")
		}
	}
	return "INSERT INTO " + table + " (" + cols + ") SELECT " + k + ", " + sums + " FROM " + from +
		" WHERE true GROUP BY " + k + " ORDER BY " + k + " ON CONFLICT (" + k + ") DO UPDATE SET " + set
}

// fixPairs reads again, once a change is made, the first and last starts of the pairs
// rollupsOut took events from, per month and in all: the event that went may have been
// either. Each is one range of the first actor's participation index.
func fixPairs(tx *gorm.DB, keys []pairKey) error {
	r := rollupSQL{d: Dialect(tx.Dialector.Name())}
	_, em := r.months()
	for _, k := range keys {
		from := k.StartMonth.Time
		to := from.AddDate(0, 1, 0)
		shared := `FROM event_participants p JOIN event_participants o ON o.event_id = p.event_id AND o.actor_id = ?
JOIN events e ON e.id = p.event_id
WHERE p.actor_id = ? AND p.event_start >= ? AND p.event_start < ? AND ` + em + ` = ?`
		args := []any{k.OtherID, k.ActorID, from, to, r.month(k.EndMonth.Time)}
		q := "UPDATE rollup_pairs SET first_start = (SELECT MIN(e.date_start) " + shared + "), last_start = (SELECT MAX(e.date_start) " + shared +
			") WHERE actor_id = ? AND other_id = ? AND start_month = ? AND end_month = ?"
		all := append(append(append([]any{}, args...), args...), k.ActorID, k.OtherID, r.month(from), r.month(k.EndMonth.Time))
		if err := tx.Exec(q, all...).Error; err != nil {
			return err
		}
	}
	done := map[[2]models.ID]bool{}
	for _, k := range keys {
		pair := [2]models.ID{k.ActorID, k.OtherID}
		if done[pair] {
			continue
		}
		done[pair] = true
		shared := `FROM event_participants p JOIN event_participants o ON o.event_id = p.event_id AND o.actor_id = ?
WHERE p.actor_id = ?`
		q := "UPDATE rollup_pair_totals SET first_start = (SELECT MIN(p.event_start) " + shared + "), last_start = (SELECT MAX(p.event_start) " + shared +
			") WHERE actor_id = ? AND other_id = ?"
		if err := tx.Exec(q, k.OtherID, k.ActorID, k.OtherID, k.ActorID, k.ActorID, k.OtherID).Error; err != nil {
			return err
		}
	}
	return nil
}

// rebuildRollups counts every roll-up again from the events: after a bulk load that
// wrote the events without the write paths.
func rebuildRollups(tx *gorm.DB) error {
	for _, t := range rollupTableNames {
		if err := tx.Exec("DELETE FROM " + t).Error; err != nil {
			return err
		}
	}
	_, err := moveRollups(tx, everyEvent, allRollups, 1)
	return err
}

// monthRange is the range of whole months [from, to) a filter's from and to select,
// each nil when not given; ok is false when either is not a month's first instant
// (the roll-ups cannot answer a range that cuts a month).
func monthRange(f *EventFilter) (from, to *time.Time, ok bool) {
	whole := func(t time.Time) bool {
		t = t.UTC()
		return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
	}
	if f.From != nil {
		if !whole(f.From.Start) {
			return nil, nil, false
		}
		t := f.From.Start.UTC()
		from = &t
	}
	if f.To != nil {
		if !whole(f.To.End) {
			return nil, nil, false
		}
		t := f.To.End.UTC()
		to = &t
	}
	return from, to, true
}

// onlyActorAndMonths reports whether the filter selects by at most one actor and a
// range of whole months, which the roll-ups answer; the range is returned. Any other
// field set, including one added to EventFilter later, makes the events answer.
func (c *eventConds) onlyActorAndMonths() (from, to *time.Time, ok bool) {
	rest := *c.f
	rest.Actors, rest.actorIDs, rest.MatchAll, rest.From, rest.To = nil, nil, false, nil, nil
	rest.Sort, rest.Limit, rest.Cursor, rest.Include = "", 0, "", Include{}
	if len(c.actors) > 1 || !reflect.ValueOf(rest).IsZero() {
		return nil, nil, false
	}
	return monthRange(c.f)
}

// inMonths keeps the roll-up rows (alias t, of table) of events overlapping [from, to).
// Overlap is two open ranges (start before to, end from from on), which no index
// bounds; the longest span any row of the table has bounds the start from below too,
// so that a year's rows are an index range of about a year.
func (r rollupSQL) inMonths(db *gorm.DB, table, t string, from, to *time.Time) (*gorm.DB, error) {
	q := db.Table(table + " " + t)
	if from != nil {
		var days float64
		err := db.Session(&gorm.Session{NewDB: true}).Raw("SELECT COALESCE(MAX(" + r.span() + "), 0) FROM " + table).Scan(&days).Error
		if err != nil {
			return nil, err
		}
		q = q.Where(t+".end_month >= ? AND "+t+".start_month >= ?", r.month(*from), r.day(from.AddDate(0, 0, -int(days)-1)))
	}
	if to != nil {
		q = q.Where(t+".start_month < ?", r.month(*to))
	}
	return q, nil
}

// span is the SQL of a roll-up row's span in days, end_month less start_month, which
// an index of each table holds.
func (r rollupSQL) span() string {
	if r.d == Postgres {
		return "(end_month - start_month)"
	}
	return "(julianday(end_month) - julianday(start_month))"
}

// day is a day as a parameter compared with a month column.
func (r rollupSQL) day(t time.Time) any {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if r.d == Postgres {
		return t
	}
	return t.Format("2006-01-02")
}

// eventRollups is the event spec's beforeWrite: it takes out old's contributions when
// the write changes what the roll-ups count (date, type, participants), and puts the
// new ones back after.
func eventRollups(tx *gorm.DB, old, next *models.Event) (func() error, error) {
	if next != nil && !rollupsMove(old, next) {
		return func() error { return nil }, nil
	}
	keys, err := rollupsOut(tx, eventsIn([]models.ID{old.ID}), allRollups)
	if err != nil {
		return nil, err
	}
	return func() error {
		if next != nil {
			if err := rollupsIn(tx, eventsIn([]models.ID{old.ID}), allRollups); err != nil {
				return err
			}
		}
		return fixPairs(tx, keys)
	}, nil
}

// rollupsMove reports whether replacing old (children loaded) by next changes what the
// roll-ups count of it: its dates, its type or who took part.
func rollupsMove(old, next *models.Event) bool {
	if !old.Date.Start.Equal(next.Date.Start) || !old.Date.End.Equal(next.Date.End) || old.Type != next.Type {
		return true
	}
	who := func(e *models.Event) map[models.ID]bool {
		m := map[models.ID]bool{}
		for _, p := range e.Participants {
			m[p.Actor.ID] = true
		}
		return m
	}
	a, b := who(old), who(next)
	if len(a) != len(b) {
		return true
	}
	for id := range a {
		if !b[id] {
			return true
		}
	}
	return false
}

// entityIDs lists the ids of entities.
func entityIDs[P models.Entity](es []P) []models.ID {
	out := make([]models.ID, len(es))
	for i, e := range es {
		out[i] = e.GetMeta().ID
	}
	return out
}

// An import adds the contributions of its events to staging tables of its own (temporary,
// insert-only) and merges them into the roll-ups once, before it commits. Upserting them
// batch by batch updated the same rows (every event's month, the busiest actors) once per
// batch inside one transaction: on PostgreSQL each update adds a row version that later
// look-ups walk until the transaction ends, and a 100k-event import slowed batch after
// batch. Staging rows are inserted in the import's savepoints, so a batch rolled back
// takes its rows with it.

// rollupStaging is the key of the setting that marks an import's transaction.
const rollupStaging = "parley:rollup_staging"

// staged reports whether tx is an import's, whose additions go to the staging tables.
func staged(tx *gorm.DB) bool {
	v, ok := tx.Get(rollupStaging)
	return ok && v == true
}

// stagingOf names the staging table of a roll-up table.
func stagingOf(table string) string { return "staged_" + table }

// stagedTables are the roll-ups an import stages. The totals are merged from their
// monthly rows (an event has one start month, end month and type).
var stagedTables = []string{"rollup_events", "rollup_countries", "rollup_pairs"}

// startStaging creates the staging tables in tx and returns tx marked so that the event
// hooks stage their additions.
func startStaging(tx *gorm.DB) (*gorm.DB, error) {
	for _, t := range stagedTables {
		st := stagingOf(t)
		if err := tx.Exec("DROP TABLE IF EXISTS " + st).Error; err != nil {
			return nil, err
		}
		if err := tx.Exec("CREATE TEMP TABLE " + st + " AS SELECT * FROM " + t + " WHERE 1 = 0").Error; err != nil {
			return nil, err
		}
	}
	return tx.Set(rollupStaging, true).Session(&gorm.Session{}), nil // Session: reusable, a statement per call
}

// stageRollups inserts the contributions of the events sc scopes into the staging
// tables: the rows moveRollups would add, without upserts.
func stageRollups(tx *gorm.DB, r rollupSQL, sc rollupScope, t rollupTables) error {
	for _, table := range t.names() {
		if !slices.Contains(stagedTables, table) {
			continue
		}
		rows, args := r.contribution(table, sc)
		if err := tx.Exec("INSERT INTO "+stagingOf(table)+" "+rows, args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// mergeStaging adds the staging tables' sums to the roll-ups, one upsert per row, and
// drops them.
func mergeStaging(tx *gorm.DB) error {
	r := rollupSQL{d: Dialect(tx.Dialector.Name())}
	from := map[string]string{
		"rollup_events":       stagingOf("rollup_events"),
		"rollup_actor_totals": "(SELECT actor_id, events FROM " + stagingOf("rollup_events") + " WHERE actor_id <> " + r.all() + ") s",
		"rollup_countries":    stagingOf("rollup_countries"),
		"rollup_pairs":        stagingOf("rollup_pairs"),
		"rollup_pair_totals":  stagingOf("rollup_pairs"),
	}
	for _, t := range rollupTableNames {
		if err := tx.Exec(r.addTo(t, from[t], 1)).Error; err != nil {
			return err
		}
	}
	for _, t := range stagedTables {
		if err := tx.Exec("DROP TABLE " + stagingOf(t)).Error; err != nil {
			return err
		}
	}
	return nil
}
