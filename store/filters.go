package store

import (
	"fmt"
	"slices"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// MaxFilterValues caps the values of one repeatable filter (actor, tag, type, …). Every
// filter has one SQL shape whatever its count (an IN list, or an all-of sub-query with a
// HAVING count), so its cost grows at most linearly up to this cap; more is refused.
const MaxFilterValues = 50

// checkFilterCounts refuses a filter with more than MaxFilterValues values, naming it.
func checkFilterCounts(counts map[string]int) error {
	v := models.NewValidation(models.EINVALID)
	names := make([]string, 0, len(counts))
	for name := range counts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if n := counts[name]; n > MaxFilterValues {
			v.Add(name, "has %d values; at most %d are accepted", n, MaxFilterValues)
		}
	}
	return v.Err()
}

// uniq returns xs without repeats, in first-seen order.
func uniq[T comparable](xs []T) []T {
	seen := make(map[T]bool, len(xs))
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// lookupRefs resolves filter references given as ids or slugs, in one query whatever
// their number, and returns each distinct id once. An unknown one is a 400, since a
// filter on something that does not exist is almost always a typo.
func lookupRefs(tx *gorm.DB, k *models.Kind, field string, refs []string) ([]models.ID, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	if err := checkFilterCounts(map[string]int{field: len(refs)}); err != nil {
		return nil, err
	}
	v := models.NewValidation(models.EINVALID)
	parsed := make([]models.Ref, 0, len(refs))
	var ids []models.ID
	var slugs []string
	for _, s := range refs {
		r, err := models.ParseRef(s)
		if err != nil {
			v.Add(field, "%s", err.Error())
			continue
		}
		parsed = append(parsed, r)
		if r.Resolved() {
			ids = append(ids, r.ID)
		} else {
			slugs = append(slugs, r.Slug)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var rows []struct {
		ID   models.ID
		Slug string
	}
	q := whereIDsOrSlugs(tx.Table(k.Table).Select("id, slug"), "id", "slug", ids, slugs)
	if err := q.Scan(&rows).Error; err != nil {
		return nil, dbError(err, k.Name)
	}
	byID, bySlug := map[models.ID]bool{}, map[string]models.ID{}
	for _, r := range rows {
		byID[r.ID] = true
		bySlug[r.Slug] = r.ID
	}
	out := make([]models.ID, 0, len(parsed))
	missing := 0
	for _, r := range parsed {
		id, ok := r.ID, byID[r.ID]
		if !r.Resolved() {
			id, ok = bySlug[r.Slug]
		}
		if !ok {
			// A typo, usually: the first few get the slugs it may have meant.
			var sg []string
			if missing++; missing <= suggestRefsPerList {
				sg = suggestionsFor(tx, k, r.String())
			}
			v.Suggest(field, sg, "no %s with id or slug %q%s", k.Name, r.String(), didYouMean(sg))
			continue
		}
		out = append(out, id)
	}
	return uniq(out), v.Err()
}

// allOf is the condition that a row of the outer table (column key) has a child row for
// every one of n distinct values: one sub-query whatever n, never one per value.
func allOf(key, childTable, childKey, valueCol string, n int) string {
	sub := fmt.Sprintf("%s IN (SELECT c.%s FROM %s c WHERE c.%s IN ?", key, childKey, childTable, valueCol)
	if n > 1 {
		sub += fmt.Sprintf(" GROUP BY c.%s HAVING COUNT(DISTINCT c.%s) = %d", childKey, valueCol, n)
	}
	return sub + ")"
}

// eventConds is the resolved /events filter: references looked up, values deduplicated.
type eventConds struct {
	f                                  *EventFilter
	actors, locations, sources, parent []models.ID
	tags                               []string
	searchCond                         string
	searchArgs                         []any
	// driver is the actor whose participation rows the actor scan walks: the one actor,
	// or with match=all the one of fewest events (see eventConditions).
	driver models.ID
	// fewMatches says the full-text query matches fewer than searchProbe events (on
	// PostgreSQL): a page in date order is then sorted from the matches the GIN index
	// finds, not met on a walk of the date index that may cross every event. A query of
	// common words (wordStats) is not probed: its walk is short.
	fewMatches bool
}

// searchProbe is how many events, first in the page's order, the full-text probe looks
// at. When they hold a tenth of a page of matches, the walk of the date index in that
// order finds the page within about ten times as many rows (some milliseconds); when
// they hold fewer, the matches are sparse and are sorted from the ones the GIN index
// finds instead. PostgreSQL's planner cannot tell the two apart: it
// prices a rare word like a common one (and walked a million-event index backwards for
// 10 to 30 s), and a phrase of common words like a common word.
var searchProbe = 2000

// sparse reports whether the first searchProbe events in the page's order hold fewer
// than a tenth of a page of matches: one bounded statement, an index walk of
// searchProbe rows.
// It looks at the search alone; other filters only make matches sparser, which the
// walk pays for as before.
func (c *eventConds) sparse(db *gorm.DB) (bool, error) {
	sk, err := pickSort(c.f.Sort, eventSorts)
	if err != nil {
		sk = eventSorts[0] // relevance, or a sort the page refuses anyway
	}
	page, err := checkLimit(c.f.Limit)
	if err != nil {
		return false, err
	}
	walk := sk.apply(db.Session(&gorm.Session{NewDB: true}).Table("events").Select("events.search_vector"), nil, searchProbe-1)
	need := int64(page/10 + 1)
	var n int64
	err = db.Raw("SELECT count(*) FROM (SELECT 1 FROM (?) AS events WHERE "+c.searchCond+" LIMIT ?) m",
		append(append([]any{walk}, c.searchArgs...), need)...).Scan(&n).Error
	if err != nil {
		return false, dbError(err, "events")
	}
	return n < need, nil
}

// eventConditions checks the filter's counts, resolves its references and returns the
// conditions. Each filter adds one condition whatever the number of its values.
func (s *Store) eventConditions(db *gorm.DB, f *EventFilter) (*eventConds, error) {
	if err := checkFilterCounts(map[string]int{"actor": len(f.Actors), "role": len(f.Roles), "country": len(f.Countries),
		"location": len(f.Locations), "type": len(f.Types), "status": len(f.Statuses), "tag": len(f.Tags), "source": len(f.Sources), "supports": len(f.Supports)}); err != nil {
		return nil, err
	}
	if err := f.Measures.check(); err != nil {
		return nil, err
	}
	c := &eventConds{f: f, tags: uniq(f.Tags)}
	var err error
	if f.actorIDs != nil {
		c.actors = f.actorIDs
	} else if c.actors, err = lookupRefs(db, models.KindActor, "actor", f.Actors); err != nil {
		return nil, err
	}
	if c.locations, err = lookupRefs(db, models.KindLocation, "location", f.Locations); err != nil {
		return nil, err
	}
	if c.sources, err = lookupRefs(db, models.KindSource, "source", f.Sources); err != nil {
		return nil, err
	}
	if f.Parent != "" {
		if c.parent, err = lookupRefs(db, models.KindEvent, "parent", []string{f.Parent}); err != nil {
			return nil, err
		}
	}
	if len(c.actors) == 1 {
		c.driver = c.actors[0]
	} else if len(c.actors) > 1 && f.MatchAll {
		if c.driver, err = rarestActor(db, c.actors); err != nil {
			return nil, err
		}
	}
	// The search condition, except for sort=relevance, whose ranked table already matches.
	if f.Q != "" && f.Sort != "relevance" {
		sq, err := parseSearch(f.Q)
		if err != nil {
			return nil, err
		}
		c.searchCond, c.searchArgs = matchCondition(db, "events", sq)
		if s.dialect == Postgres && !s.words.surelyMany(db, sq) {
			if c.fewMatches, err = c.sparse(db); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

// none reports whether the filter selects every event: then a caller need not name the
// events at all (a sub-query of every event id cost a semi-join over all of them).
func (c *eventConds) none() bool {
	f := c.f
	return len(c.actors) == 0 && len(f.Roles) == 0 && len(f.Countries) == 0 && len(c.locations) == 0 &&
		len(f.Types) == 0 && len(f.Statuses) == 0 && len(c.tags) == 0 && len(c.sources) == 0 && len(f.Supports) == 0 &&
		len(c.parent) == 0 && c.searchCond == "" && f.From == nil && f.To == nil && f.Measures.none()
}

// where applies every condition.
func (c *eventConds) where(q *gorm.DB) *gorm.DB {
	q = c.others(c.participation(q))
	if c.f.From != nil {
		q = q.Where("events.date_end > ?", c.f.From.Start)
	}
	if c.f.To != nil {
		q = q.Where("events.date_start < ?", c.f.To.End)
	}
	return q
}

// participation applies the actor and role conditions: those the single-actor scan
// answers with its join instead.
func (c *eventConds) participation(q *gorm.DB) *gorm.DB {
	f := c.f
	roleCond := ""
	var roleArgs []any
	if len(f.Roles) > 0 {
		roleCond = " AND c.role IN ?"
		roleArgs = []any{uniq(f.Roles)}
	}
	switch {
	case len(c.actors) > 1 && f.MatchAll && f.Represented:
		// Each actor counts once per event whether it took part, was represented, or both:
		// the rows naming it as participant and as principal, one set, counted distinct.
		q = q.Where("events.id IN (SELECT m.event_id FROM (SELECT c.event_id, c.actor_id AS who FROM event_participants c WHERE c.actor_id IN ?"+roleCond+
			" UNION ALL SELECT c.event_id, c.represents_id AS who FROM event_participants c WHERE c.represents_id IN ?"+roleCond+
			fmt.Sprintf(") m GROUP BY m.event_id HAVING COUNT(DISTINCT m.who) = %d)", len(c.actors)),
			append(append(append([]any{c.actors}, roleArgs...), c.actors), roleArgs...)...)
	case len(c.actors) > 1 && f.MatchAll:
		q = q.Where("events.id IN (SELECT c.event_id FROM event_participants c WHERE c.actor_id IN ?"+roleCond+
			fmt.Sprintf(" GROUP BY c.event_id HAVING COUNT(DISTINCT c.actor_id) = %d)", len(c.actors)),
			append([]any{c.actors}, roleArgs...)...)
	case len(c.actors) > 0 && f.Represented:
		// Two index range scans (actor_id, represents_id), not an OR per event: with the
		// OR, PostgreSQL walked every event in date order testing each (1.1 s at 500,000
		// events for an actor of 75 rows; 3 ms this way).
		q = q.Where("events.id IN (SELECT c.event_id FROM event_participants c WHERE c.actor_id IN ?"+roleCond+
			" UNION ALL SELECT c.event_id FROM event_participants c WHERE c.represents_id IN ?"+roleCond+")",
			append(append(append([]any{c.actors}, roleArgs...), c.actors), roleArgs...)...)
	case len(c.actors) > 0:
		q = q.Where("EXISTS (SELECT 1 FROM event_participants c WHERE c.event_id = events.id AND c.actor_id IN ?"+roleCond+")",
			append([]any{c.actors}, roleArgs...)...)
	case len(f.Roles) > 0:
		q = q.Where("EXISTS (SELECT 1 FROM event_participants c WHERE c.event_id = events.id"+roleCond+")", roleArgs...)
	}
	return q
}

// others applies every condition but participation and the date range, which the
// single-actor scan answers on its participation rows' copy of the event's dates.
func (c *eventConds) others(q *gorm.DB) *gorm.DB {
	f := c.f
	if c.searchCond != "" {
		q = q.Where(c.searchCond, c.searchArgs...)
	}
	if len(f.Countries) > 0 {
		q = q.Where("EXISTS (SELECT 1 FROM event_participants p JOIN actors a ON a.id = p.actor_id "+
			"WHERE p.event_id = events.id AND a.country IN ?)", uniq(f.Countries))
	}
	if len(c.locations) > 0 {
		q = q.Where("events.location_id IN ?", c.locations)
	}
	if len(f.Types) > 0 {
		q = q.Where("events.type IN ?", uniq(f.Types))
	}
	if len(f.Statuses) > 0 {
		q = q.Where("events.status IN ?", uniq(f.Statuses))
	}
	if len(c.tags) > 0 {
		q = q.Where(allOf("events.id", "event_tags", "event_id", "tag", len(c.tags)), c.tags)
	}
	if len(c.sources) > 0 {
		q = q.Where("EXISTS (SELECT 1 FROM event_sources es WHERE es.event_id = events.id AND es.source_id IN ?)", c.sources)
	}
	if len(c.f.Supports) > 0 {
		cond, args := supportsCondition("event_evidence", "event_id", "events", c.sources, uniq(c.f.Supports))
		q = q.Where(cond, args...)
	}
	if len(c.parent) > 0 {
		q = q.Where("events.parent_id = ?", c.parent[0])
	}
	return c.f.Measures.apply(q)
}

// actorScanSorts order by the participation row's copy of the event's start, so that one
// actor's events in date order are a single range scan of (actor_id, event_start,
// event_id) with the events fetched by primary key: no sort, no scan of other actors.
// Their names and cursor keys equal the date sorts of eventSorts.
var actorScanSorts = []sortKey{
	{name: "-date", column: "k.event_start", idCol: "k.event_id", desc: true, kind: keyTime},
	{name: "date", column: "k.event_start", idCol: "k.event_id", kind: keyTime},
}

// actorScan reports whether the actor range scan answers the query: one actor (or
// several that resolve to one), or several that must all take part (walking the one of
// fewest events and checking the others on each), a date sort and no full-text query.
// Every other filter composes with it (others), so none is ever dropped on this path.
// Represented events are not on the actor's own rows: those take the general path.
func (c *eventConds) actorScan() bool {
	f := c.f
	return !c.driver.IsZero() && !f.Represented && f.Q == "" && (f.Sort == "" || f.Sort == "date" || f.Sort == "-date")
}

// rarestProbe bounds how many participation rows rarestActor counts per actor.
const rarestProbe = 5000

// rarestActor is the actor of ids with the fewest participation rows, counted up to
// rarestProbe each on the (actor_id, event_start, event_id) index: one statement of one
// shape, whose cost is bounded by rarestProbe times the number of actors.
func rarestActor(db *gorm.DB, ids []models.ID) (models.ID, error) {
	var rows []struct {
		ID models.ID
		N  int64
	}
	err := db.Raw(`SELECT a.id, (SELECT COUNT(*) FROM (SELECT 1 FROM event_participants p WHERE p.actor_id = a.id LIMIT ?) x) AS n
		FROM actors a WHERE a.id IN ? ORDER BY n, a.id LIMIT 1`, rarestProbe, ids).Scan(&rows).Error
	if err != nil {
		return models.ID{}, dbError(err, "actors")
	}
	if len(rows) == 0 {
		return ids[0], nil
	}
	return rows[0].ID, nil
}

// actorScanWhere filters the joined participation rows k and applies every other
// condition to the events. An actor with several roles in one event has several rows;
// only the first (lowest matching role) is kept.
func (c *eventConds) actorScanWhere(q *gorm.DB) *gorm.DB { return c.actorRows(q, true) }

// actorRows filters the joined participation rows k and applies every other condition
// to the events; with once, an event the actor had several (matching) roles in keeps
// only its row of the lowest role.
func (c *eventConds) actorRows(q *gorm.DB, once bool) *gorm.DB {
	f := c.f
	// NOT EXISTS, which PostgreSQL prices as keeping nearly every row: a comparison with
	// a sub-query's MIN was priced at 0.5 % of them, and at a million events it chose to
	// sort the top actor's 106,000 rows for a page of 500 (1.4 s instead of 22 ms).
	switch roles := uniq(f.Roles); {
	case len(roles) > 0 && once:
		q = q.Where("k.role IN ?", roles).Where("NOT EXISTS (SELECT 1 FROM event_participants d "+
			"WHERE d.event_id = k.event_id AND d.actor_id = k.actor_id AND d.role < k.role AND d.role IN ?)", roles)
	case len(roles) > 0:
		q = q.Where("k.role IN ?", roles)
	case once:
		q = q.Where("NOT EXISTS (SELECT 1 FROM event_participants d " +
			"WHERE d.event_id = k.event_id AND d.actor_id = k.actor_id AND d.role < k.role)")
	}
	if len(c.actors) > 1 {
		// match=all: every other actor takes part too (in one of the roles, if given).
		// ">=" rather than "=" (the count cannot exceed the others'): PostgreSQL prices an
		// equality with a sub-query at 0.5 % of the rows and an inequality at a third. With
		// "=", on some statistics it read and sorted all 7,800 rows of an actor for a page
		// of 50 (80 ms); with ">=" it walks them in date order and stops at the page (3 ms:
		// the benchmark's list-two-hot-all, EXPLAIN ANALYZE at 20,000 events).
		others := slices.DeleteFunc(slices.Clone(c.actors), func(id models.ID) bool { return id == c.driver })
		cond, args := "d.actor_id IN ?", []any{others}
		if len(f.Roles) > 0 {
			cond, args = cond+" AND d.role IN ?", append(args, uniq(f.Roles))
		}
		q = q.Where(fmt.Sprintf("(SELECT COUNT(DISTINCT d.actor_id) FROM event_participants d WHERE d.event_id = k.event_id AND %s) >= %d",
			cond, len(others)), args...)
	}
	if f.From != nil {
		q = q.Where("k.event_end > ?", f.From.Start)
	}
	if f.To != nil {
		q = q.Where("k.event_start < ?", f.To.End)
	}
	return c.others(q)
}
