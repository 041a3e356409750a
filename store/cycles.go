package store

import (
	"fmt"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// hierarchy is a reference from a table to itself that must stay a forest: an actor's
// affiliation, an event's parent. A cycle in one has no first row, so no order of a
// bundle could restore it: a write that would close one is refused, and so is an
// import line (see importer.finish).
//
// Relations between events are not a hierarchy: "A follows B" beside "B precedes A" is
// the usual case, and a bundle restores relations after all the events, in any shape.
type hierarchy struct {
	kind, table string
	// column holds the reference; field names it in entities and error messages.
	column, field string
	// cycle is the message of a change that would close a cycle.
	cycle string
}

var (
	affiliations = &hierarchy{kind: "actor", table: "actors", column: "affiliation_id", field: "affiliation_id",
		cycle: "would make the actor its own affiliation ancestor"}
	series = &hierarchy{kind: "event", table: "events", column: "parent_id", field: "parent_id",
		cycle: "would make the event its own ancestor"}
	relays = &hierarchy{kind: "source", table: "sources", column: "via_id", field: "via_id",
		cycle: "would make the source known through itself"}
)

// hierarchyOf is the hierarchical reference of an import record's entity, if it has
// one: its hierarchy and the reference (nil when not set).
func hierarchyOf(e any) (*hierarchy, *models.Ref) {
	switch x := e.(type) {
	case *models.Actor:
		return affiliations, x.Affiliation
	case *models.Event:
		return series, x.Parent
	case *models.Source:
		return relays, x.Via
	}
	return nil, nil
}

// maxAncestors bounds the rows one write reads up a hierarchy, so that its cost stays
// bounded whatever the data. Real ones are a few levels deep (a person, a ministry, a
// government; a summit, its rounds).
const maxAncestors = 1000

// changed reports whether a write moves a row's reference from old to cur: only a new
// target can close a cycle (a create has no old, and nothing can refer to a row that
// does not exist yet).
func changed(old, cur *models.Ref) bool {
	return cur != nil && cur.Resolved() && (old == nil || old.ID != cur.ID)
}

// checkCycle refuses (into v) pointing self at target when self is among target's
// ancestors, or target itself.
//
// On PostgreSQL every row of the walk is read FOR KEY SHARE. Every write of a reference
// holds its own row FOR UPDATE (find with lock) before it walks, so two writes that
// would only together close a cycle each reach the other's row: one waits for the
// other to commit, after which (READ COMMITTED, a fresh snapshot per statement) it reads
// the new reference and refuses; or both wait and PostgreSQL ends one as a deadlock.
// Either way no cycle is ever committed. SQLite has one writer at a time.
func (h *hierarchy) checkCycle(tx *gorm.DB, self, target models.ID, v *models.Validation) error {
	seen := make(map[models.ID]bool)
	for cur := target; ; {
		if cur == self {
			v.Add(h.field, "%s", h.cycle)
			return nil
		}
		if seen[cur] {
			// A cycle above that does not pass through self (stored before cycles were
			// refused): this write does not make it, and the walk ends here.
			return nil
		}
		if len(seen) == maxAncestors {
			v.Add(h.field, "has more than %d levels above it; parley refuses deeper hierarchies", maxAncestors)
			return nil
		}
		seen[cur] = true
		q := tx.Table(h.table).Where("id = ?", cur)
		if tx.Dialector.Name() == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "KEY SHARE"})
		}
		var next []*models.Ref
		if err := q.Pluck(h.column, &next).Error; err != nil {
			return err
		}
		if len(next) == 0 || next[0] == nil || !next[0].Resolved() {
			return nil
		}
		cur = next[0].ID
	}
}

// checkRepresentation refuses representation loops inside one event: a participant
// who represents one who (through others, perhaps) represents them. A chain (an envoy
// for a minister for a state) is fine; a loop says nothing anyone could mean. It runs
// after references are resolved, on the ids.
func checkRepresentation(ps []models.Participant, v *models.Validation) {
	principals := map[models.ID][]models.ID{}
	for _, p := range ps {
		if p.Represents != nil && p.Represents.Resolved() && p.Actor.Resolved() && p.Represents.ID != p.Actor.ID {
			principals[p.Actor.ID] = append(principals[p.Actor.ID], p.Represents.ID)
		}
	}
	for i, p := range ps {
		if p.Represents == nil || !p.Represents.Resolved() || !p.Actor.Resolved() || p.Represents.ID == p.Actor.ID {
			continue
		}
		// Does anyone p represents, directly or through others, represent p's actor?
		seen := map[models.ID]bool{}
		stack := []models.ID{p.Represents.ID}
		for len(stack) > 0 {
			cur := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if cur == p.Actor.ID {
				v.Add(fmt.Sprintf("participants[%d].represents_id", i), "would make the participant represent itself through the others")
				break
			}
			if !seen[cur] {
				seen[cur] = true
				stack = append(stack, principals[cur]...)
			}
		}
	}
}
