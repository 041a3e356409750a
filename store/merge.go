package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// A merge folds a duplicate (the loser, addressed by the path) into the entity that
// stays (the survivor, the body's "into"), in one transaction: every reference to the
// loser moves to the survivor, the loser goes, and a redirect (store/redirects.go) keeps
// its id and slug answering. The references to move are read from the database's
// catalog of foreign keys (foreignKeysTo, beside the delete's 409 in referrers.go), so a
// table that a migration adds with a foreign key to actors or events is moved with no
// change here; mergeSelfPairs is the one list of tables whose rows would name the
// survivor twice, and what to do with them.

// mergeSelfPairs says, for a table with two references to the merged kind, what happens
// to a row that would name the survivor in both: the column to clear, or "" to drop the
// row. A table not listed keeps such rows (a statement may speak for its own speaker).
// A kind's own self reference (an actor's affiliation, an event's parent) that would
// name itself is always cleared.
var mergeSelfPairs = map[string]string{
	"event_participants": "represents_id",   // a participant cannot represent itself
	"event_relations":    "",                // an event cannot relate to itself
	"actor_relations":    "",                // an actor is not its own son-in-law
	"actor_positions":    "organization_id", // an office held at oneself is an office of unknown organisation
}

// mergeSkipTables are derived tables, rebuilt rather than moved: the name indexes.
func mergeSkipTables() []string {
	var out []string
	for _, k := range models.Kinds {
		out = append(out, nameTables(k)...)
	}
	return out
}

// MergeActors merges the actor ref into the actor into (ids or slugs): see mergeInto.
// The loser's name, slug and aliases become aliases of the survivor.
func (s *Store) MergeActors(ctx context.Context, ref, into string, ifVersion int) (*models.Actor, error) {
	return mergeInto(ctx, s.db, actorSpec, ref, into, ifVersion, func(tx *gorm.DB, loser, survivor *models.Actor) error {
		survivor.Aliases = mergedAliases(survivor.Name, survivor.Aliases, loser.Name, loser.Slug, loser.Aliases)
		return nil
	})
}

// MergeOutlets merges the outlet ref into the outlet into: the sources naming it move,
// and its name, slug and aliases become aliases of the survivor.
func (s *Store) MergeOutlets(ctx context.Context, ref, into string, ifVersion int) (*models.Outlet, error) {
	return mergeInto(ctx, s.db, outletSpec, ref, into, ifVersion, func(tx *gorm.DB, loser, survivor *models.Outlet) error {
		survivor.Aliases = mergedAliases(survivor.Name, survivor.Aliases, loser.Name, loser.Slug, loser.Aliases)
		return nil
	})
}

// MergeLocations merges the location ref into the location into: the events held there
// move to the survivor, whose name and coordinates stay.
func (s *Store) MergeLocations(ctx context.Context, ref, into string, ifVersion int) (*models.Location, error) {
	return mergeInto(ctx, s.db, locationSpec, ref, into, ifVersion, func(*gorm.DB, *models.Location, *models.Location) error { return nil })
}

// MergeSources merges the source ref into the source into (two records of one report):
// the events and statements citing it, their evidence, and the sources known through it
// move to the survivor.
func (s *Store) MergeSources(ctx context.Context, ref, into string, ifVersion int) (*models.Source, error) {
	return mergeInto(ctx, s.db, sourceSpec, ref, into, ifVersion, func(*gorm.DB, *models.Source, *models.Source) error { return nil })
}

// MergeEvents merges the event ref into the event into: participants, tags, sources,
// statements, child events and relations (both ways) move to the survivor, whose own
// date, title and fields stay; the loser's title is kept in its last revision.
func (s *Store) MergeEvents(ctx context.Context, ref, into string, ifVersion int) (*models.Event, error) {
	return mergeInto(ctx, s.db, eventSpec, ref, into, ifVersion, func(tx *gorm.DB, _, survivor *models.Event) error {
		// Participation rows copy their event's dates (see models.Participant).
		return tx.Exec("UPDATE event_participants SET event_start = ?, event_end = ? WHERE event_id = ?",
			survivor.Date.Start, survivor.Date.End, survivor.ID).Error
	})
}

// maxAliases bounds the aliases a merge leaves on the survivor.
const maxAliases = 100

// mergedAliases are the survivor's aliases with the loser's name, slug and aliases
// added, without repeats or the survivor's own name.
func mergedAliases(name string, aliases models.StringList, loserName, loserSlug string, loserAliases models.StringList) models.StringList {
	seen := map[string]bool{strings.ToLower(name): true}
	out := models.StringList{}
	for _, a := range append(append(slices.Clone(aliases), loserName, loserSlug), loserAliases...) {
		if k := strings.ToLower(a); a != "" && !seen[k] && len(out) < maxAliases {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}

// mergeInto merges the entity ref into the entity into, in one transaction, and returns
// the survivor as stored after. into may be an old slug or id (a redirect): the merge
// goes to where it leads. Both rows are locked in id order, so that two merges of the
// same pair (or of A into B and B into C) wait for each other; the later one then finds
// its loser gone (404) or its survivor gone (422). ifVersion > 0 demands the loser's
// version. combine adjusts the survivor (its aliases) once the references have moved.
func mergeInto[T any, P interface {
	*T
	models.Entity
}](ctx context.Context, db *gorm.DB, sp *spec[T, P], ref, into string, ifVersion int, combine func(tx *gorm.DB, loser, survivor P) error) (P, error) {
	k := sp.kind
	var out P
	err := transact(ctx, db, func(tx *gorm.DB) error {
		loser, err := sp.find(tx, ref, false)
		if err != nil {
			return err
		}
		survivorID, err := mergeTarget(tx, sp, into)
		if err != nil {
			return err
		}
		if survivorID == loser.GetMeta().ID {
			return intoError("is the %s being merged: merge a duplicate into another %s", k.Name, k.Name)
		}
		if err := lockPair(tx, k, loser.GetMeta().ID, survivorID); err != nil {
			return err
		}
		// Read again under the lock: a merge that held it may have taken either away.
		if loser, err = sp.find(tx, loser.GetMeta().ID.String(), false); err != nil {
			return models.NotFound(k.Name, ref)
		}
		survivor, err := sp.find(tx, survivorID.String(), false)
		if err != nil {
			return intoError("names no %s (it may have been merged or deleted meanwhile)", k.Name)
		}
		lm, sm := loser.GetMeta(), survivor.GetMeta()
		if ifVersion > 0 && lm.Version != ifVersion {
			return models.Errorf(models.EPRECONDITION, "%s %s is at version %d, not %d: read it again", k.Name, lm.ID, lm.Version, ifVersion)
		}
		if sp.loadChildren != nil {
			if err := sp.loadChildren(tx, []P{loser, survivor}); err != nil {
				return err
			}
		}
		oldSurvivor := *survivor
		touched, err := moveReferences(tx, k, lm.ID, sm.ID)
		if err != nil {
			return err
		}
		if err := checkSelfCycle(tx, k, sm.ID); err != nil {
			return err
		}
		if sp.afterWrite != nil {
			if err := sp.afterWrite(tx, loser, nil); err != nil {
				return err
			}
		}
		// The survivor as it now is, adjusted, with a new version and its revision.
		cur, err := sp.find(tx, sm.ID.String(), false)
		if err != nil {
			return err
		}
		if sp.loadChildren != nil {
			if err := sp.loadChildren(tx, []P{cur}); err != nil {
				return err
			}
		}
		if err := combine(tx, loser, cur); err != nil {
			return err
		}
		if sp.normalize != nil {
			sp.normalize(cur)
		}
		t := now()
		cm := cur.GetMeta()
		cm.Version, cm.UpdatedAt = sm.Version+1, t
		if err := tx.Table(k.Table).Select("*").Where("id = ?", cm.ID).Updates(cur).Error; err != nil {
			return err
		}
		if sp.afterWrite != nil {
			if err := sp.afterWrite(tx, &oldSurvivor, cur); err != nil {
				return err
			}
		}
		if err := writeRevision(ctx, tx, k.Name, cm, models.ActionUpdate, cur); err != nil {
			return err
		}
		for ok, ids := range touched {
			if err := storeOf(ok).touch(ctx, tx, ids); err != nil {
				return err
			}
		}
		lm.Version, lm.UpdatedAt = lm.Version+1, t
		if err := writeMergeRevision(ctx, tx, k, lm, loser, cm.ID); err != nil {
			return err
		}
		if err := addRedirect(tx, k, lm.ID, sp.slugOf(loser), cm.ID, t); err != nil {
			return err
		}
		out = cur
		return nil
	})
	return out, dbError(err, k.Name)
}

// intoError is a 422 on the body's "into".
func intoError(format string, args ...any) error {
	return &models.Error{Code: models.EUNPROCESSABLE, Message: "validation failed",
		Fields: []models.FieldError{{Field: "into", Message: fmt.Sprintf(format, args...)}}}
}

// mergeTarget is the id of the survivor into names: an entity of the kind, or one an old
// id or slug redirects to. Anything else is a 422 on "into".
func mergeTarget[T any, P interface {
	*T
	models.Entity
}](tx *gorm.DB, sp *spec[T, P], into string) (models.ID, error) {
	e, err := sp.find(tx, into, false)
	if err == nil {
		return e.GetMeta().ID, nil
	}
	if models.ErrorCodeOf(err) != models.ENOTFOUND {
		return models.ID{}, err
	}
	if r, perr := models.ParseRef(into); perr == nil {
		to, ok, err := redirectTo(tx, sp.kind, r)
		if err != nil {
			return models.ID{}, err
		}
		if ok {
			return to, nil
		}
	}
	return models.ID{}, intoError("names no %s: %q", sp.kind.Name, into)
}

// lockPair locks the rows of two entities of k in id order (PostgreSQL; SQLite has one
// writer at a time), so that concurrent merges of one pair, either way round, queue.
func lockPair(tx *gorm.DB, k *models.Kind, a, b models.ID) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	ids := []models.ID{a, b}
	sort.Slice(ids, func(i, j int) bool { return ids[i].String() < ids[j].String() })
	var got []models.ID
	return tx.Raw("SELECT id FROM "+k.Table+" WHERE id IN (?, ?) ORDER BY id FOR UPDATE", ids[0], ids[1]).Scan(&got).Error
}

// moveReferences points every reference to from (of kind k) at to, then deletes from:
// rows that would repeat one of to's (same key but for the reference) are dropped, rows
// that would name to twice follow mergeSelfPairs, and the rest are updated. It returns the entities
// other than from and to whose rows changed, by kind, for their revisions; the roll-ups
// of the events among them (and of from and to, for events) are taken out before and
// put back after.
func moveReferences(tx *gorm.DB, k *models.Kind, from, to models.ID) (map[*models.Kind][]models.ID, error) {
	refs, err := foreignKeysTo(tx, k.Table, true)
	if err != nil {
		return nil, err
	}
	skip := mergeSkipTables()
	refs = slices.DeleteFunc(refs, func(r referrer) bool { return slices.Contains(skip, r.table) })
	touched := map[*models.Kind][]models.ID{}
	seen := map[models.ID]bool{from: true, to: true}
	for _, r := range refs {
		if r.owner == nil {
			continue
		}
		var ids []models.ID
		if err := tx.Table(r.table).Where(r.column+" = ?", from).Distinct(r.ownerKey).Pluck(r.ownerKey, &ids).Error; err != nil {
			return nil, err
		}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				touched[r.owner] = append(touched[r.owner], id)
			}
		}
	}
	events := slices.Clone(touched[models.KindEvent])
	if k == models.KindEvent {
		events = append(events, from, to)
	}
	var keys []pairKey
	if len(events) > 0 {
		if keys, err = rollupsOut(tx, eventsIn(events), allRollups); err != nil {
			return nil, err
		}
	}
	// A kind's own self reference that would name itself is cleared.
	for _, r := range refs {
		if r.table == k.Table && r.nullable {
			if err := tx.Exec("UPDATE "+r.table+" SET "+r.column+" = NULL WHERE (id = ? AND "+r.column+" = ?) OR (id = ? AND "+r.column+" = ?)", to, from, from, to).Error; err != nil {
				return nil, err
			}
		}
	}
	done := map[string]bool{}
	for _, r := range refs {
		nullCol, listed := mergeSelfPairs[r.table]
		if !listed || done[r.table] {
			continue
		}
		done[r.table] = true
		var cols []string
		for _, o := range refs {
			if o.table == r.table {
				cols = append(cols, o.column)
			}
		}
		if len(cols) != 2 {
			continue
		}
		both := fmt.Sprintf("%s IN (?, ?) AND %s IN (?, ?) AND (%s = ? OR %s = ?)", cols[0], cols[1], cols[0], cols[1])
		args := []any{from, to, from, to, from, from}
		if nullCol != "" {
			err = tx.Exec("UPDATE "+r.table+" SET "+nullCol+" = NULL WHERE "+both, args...).Error
		} else {
			err = tx.Exec("DELETE FROM "+r.table+" WHERE "+both, args...).Error
		}
		if err != nil {
			return nil, err
		}
	}
	for _, r := range refs {
		uniques, err := uniqueKeys(tx, r.table)
		if err != nil {
			return nil, err
		}
		for _, cols := range uniques {
			if !slices.Contains(cols, r.column) {
				continue
			}
			if ordinalKey(cols, r.column) {
				// The loser's rows follow the survivor's instead of colliding with them.
				if err := renumberAfter(tx, r.table, r.column, from, to); err != nil {
					return nil, err
				}
				continue
			}
			cond := "x." + r.column + " = ?"
			for _, c := range cols {
				if c != r.column {
					cond += " AND x." + c + " = " + r.table + "." + c
				}
			}
			if err := tx.Exec("DELETE FROM "+r.table+" WHERE "+r.column+" = ? AND EXISTS (SELECT 1 FROM "+r.table+" x WHERE "+cond+")", from, to).Error; err != nil {
				return nil, err
			}
		}
		if err := tx.Exec("UPDATE "+r.table+" SET "+r.column+" = ? WHERE "+r.column+" = ?", to, from).Error; err != nil {
			return nil, err
		}
	}
	if err := tx.Exec("DELETE FROM "+k.Table+" WHERE id = ?", from).Error; err != nil {
		return nil, err
	}
	if len(events) > 0 {
		if err := rollupsIn(tx, eventsIn(events), allRollups); err != nil {
			return nil, err
		}
		if err := fixPairs(tx, keys); err != nil {
			return nil, err
		}
	}
	return touched, nil
}

// ordinalKey says whether a unique key is an owner column and its rows' order (a child
// list such as an actor's positions or an event's evidence, whose key may add a part of
// the entry, like evidence's claim): two rows under it are not duplicates, they are
// entries of one list.
func ordinalKey(cols []string, column string) bool {
	return slices.Contains(cols, column) && slices.Contains(cols, "position")
}

// renumberAfter moves the rows of table under from to positions after the last of to's,
// in two steps so that no intermediate row collides with another on either database.
func renumberAfter(tx *gorm.DB, table, column string, from, to models.ID) error {
	if err := tx.Exec("UPDATE "+table+" SET position = -1 - position WHERE "+column+" = ?", from).Error; err != nil {
		return err
	}
	return tx.Exec("UPDATE "+table+" SET position = (SELECT COALESCE(MAX(x.position), -1) + 1 FROM "+table+" x WHERE x."+column+" = ?) - 1 - position WHERE "+column+" = ?", to, from).Error
}

// pgUniqueKeys and sqliteUniqueKeys list the columns of each unique index of a table
// (primary keys included), one row per column.
const (
	pgUniqueKeys = `SELECT ic.relname AS name, a.attname AS col
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
WHERE i.indisunique AND i.indpred IS NULL AND n.nspname = current_schema() AND c.relname = ?
ORDER BY ic.relname, a.attname`
	sqliteUniqueKeys = `SELECT l.name AS name, ii.name AS col
FROM pragma_index_list(?) l, pragma_index_info(l.name) ii
WHERE l."unique" = 1 AND l.partial = 0 AND ii.name IS NOT NULL
ORDER BY l.name, ii.name`
)

// uniqueKeys reads the column sets of table's unique indexes from the catalog.
func uniqueKeys(tx *gorm.DB, table string) ([][]string, error) {
	q := sqliteUniqueKeys
	if tx.Dialector.Name() == "postgres" {
		q = pgUniqueKeys
	}
	var rows []struct{ Name, Col string }
	if err := tx.Raw(q, table).Scan(&rows).Error; err != nil {
		return nil, err
	}
	byName := map[string][]string{}
	var names []string
	for _, r := range rows {
		if !sqlName.MatchString(r.Col) {
			return nil, fmt.Errorf("store: unexpected column name %q in %s", r.Col, table)
		}
		if _, ok := byName[r.Name]; !ok {
			names = append(names, r.Name)
		}
		byName[r.Name] = append(byName[r.Name], r.Col)
	}
	out := make([][]string, len(names))
	for i, n := range names {
		out[i] = byName[n]
	}
	return out, nil
}

// checkSelfCycle refuses a merge that closed a loop of affiliations, of parents or of
// sources known through sources, through the survivor (its chain went through the loser).
func checkSelfCycle(tx *gorm.DB, k *models.Kind, id models.ID) error {
	if k == models.KindActor {
		return checkMergedActorCycle(tx, id)
	}
	var h *hierarchy
	switch k.SelfRef {
	case affiliations.column:
		h = affiliations
	case series.column:
		h = series
	case relays.column:
		h = relays
	default:
		return nil
	}
	if k.Table != h.table {
		return nil
	}
	var up []*models.ID
	if err := tx.Table(k.Table).Where("id = ?", id).Pluck(k.SelfRef, &up).Error; err != nil {
		return err
	}
	if len(up) == 0 || up[0] == nil {
		return nil
	}
	v := models.NewValidation(models.ECONFLICT)
	if err := h.checkCycle(tx, id, *up[0], v); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		return models.Errorf(models.ECONFLICT, "the merge would close a cycle of %s: change it first (%v)", k.SelfRef, err)
	}
	return nil
}

// checkMergedActorCycle refuses a merge after which the survivor names itself through
// the actors it names (affiliations, positions' organisations, relations: the walk
// checkActorCycle does on a write), since no bundle could list such a loop.
func checkMergedActorCycle(tx *gorm.DB, id models.ID) error {
	targets, err := actorLinks(tx, []models.ID{id})
	if err != nil {
		return err
	}
	v := models.NewValidation(models.ECONFLICT)
	for _, t := range targets {
		if err := walkActors(tx, id, t, "into", v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return models.Errorf(models.ECONFLICT, "the merge would close a cycle of affiliations, positions or relations: change them first (%v)", err)
		}
	}
	return nil
}

// writeMergeRevision records the loser's last state with the survivor it went into.
func writeMergeRevision(ctx context.Context, tx *gorm.DB, k *models.Kind, m *models.Meta, loser any, into models.ID) error {
	b, err := json.Marshal(loser)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	doc["merged_into"] = into.String()
	return writeRevision(ctx, tx, k.Name, m, models.ActionMerge, doc)
}

// touch gives the entities ids of the kind, whose references a merge moved, a new
// version and an update revision with their state after.
func (sp *spec[T, P]) touch(ctx context.Context, tx *gorm.DB, ids []models.ID) error {
	for chunk := range slices.Chunk(ids, insertBatch) {
		t := now()
		if err := tx.Exec("UPDATE "+sp.kind.Table+" SET version = version + 1, updated_at = ? WHERE id IN ?", t, chunk).Error; err != nil {
			return err
		}
		var rows []P
		if err := tx.Table(sp.kind.Table).Where("id IN ?", chunk).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		if sp.loadChildren != nil {
			if err := sp.loadChildren(tx, rows); err != nil {
				return err
			}
		}
		if err := writeRevisions(ctx, tx, sp.kind.Name, models.ActionUpdate, rows); err != nil {
			return err
		}
	}
	return nil
}
