package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-api/parley/models"
)

// maxWaiting caps the records that wait for a later line at once, and so the memory
// an import holds beyond its windows. A bundle parley exports never makes a record wait
// (it lists affiliations and parents first, relations after every event).
const maxWaiting = 20 * importWindow

// kindTables is the table each record type is stored in; relations are event rows.
var kindTables = map[string]string{
	"actor": "actors", "location": "locations", "source": "sources", "event": "events", "statement": "statements",
}

// waitTable is the table whose rows a record type may name before their line: its own
// (an actor's affiliation, an event's parent and relations), and events for a relation.
var waitTable = map[string]string{"actor": "actors", "event": "events", "relation": "events"}

// waitRoom holds the records that wait for a later line. Lists are cleaned lazily: an
// entry counts only while its item still waits in that state.
type waitRoom struct {
	n int
	// waiters lists, by key (table, NUL, id or slug), those that wait for it.
	waiters map[string][]*waitState
	// holders lists, by key, those that wait and have it as their own id or slug.
	holders map[string][]*waitState
	// all lists every wait in the order they began, for the end of the import.
	all []*waitState
	// follow lists, by key of an event, the relations that follow it (see hold).
	follow map[string][]*followingRelation
	// final is set at the end of the input: no later line will come. force then
	// imports (or refuses) whatever still waits.
	final, force bool
}

func newWaitRoom() waitRoom {
	return waitRoom{waiters: map[string][]*waitState{}, holders: map[string][]*waitState{}, follow: map[string][]*followingRelation{}}
}

// waitState is why one item waits.
type waitState struct {
	it *item
	// keys are the item's own id and slug; on, the keys it waits for, true where it
	// only waits to know that the key's record exists (a relation's event).
	keys []string
	on   map[string]bool
	// hier is the key of its affiliation or parent, when it waits for that.
	hier string
}

func (ws *waitState) live() bool { return ws.it.wait == ws }

// followingRelation is a relation an event line names before its event is in: the event
// goes in without it, and it follows once its target is in.
type followingRelation struct {
	from  *item
	index int
	rel   models.Relation
}

func key(table string, ref models.Ref) string { return table + "\x00" + ref.String() }

// ownKeys are the keys other records find rec's entity by.
func ownKeys(rec ImportRecord) []string {
	table := kindTables[rec.Kind]
	if table == "" {
		return nil
	}
	var out []string
	if m := metaOf(rec.Entity); m != nil && !m.ID.IsZero() {
		out = append(out, table+"\x00"+m.ID.String())
	}
	var slug string
	switch e := rec.Entity.(type) {
	case *models.Actor:
		slug = e.Slug
	case *models.Location:
		slug = e.Slug
	case *models.Source:
		slug = e.Slug
	case *models.Event:
		slug = e.Slug
	}
	if slug != "" {
		out = append(out, table+"\x00"+slug)
	}
	return out
}

// selfRefs are the references rec makes into its waitTable: those it needs in before it
// (hard), and an event's relations, which it only needs to know are coming.
func selfRefs(rec ImportRecord) (hard []models.Ref, rels []models.Relation) {
	switch e := rec.Entity.(type) {
	case *models.Actor:
		if e.Affiliation != nil {
			hard = append(hard, *e.Affiliation)
		}
	case *models.Event:
		if e.Parent != nil {
			hard = append(hard, *e.Parent)
		}
		rels = e.Relations
	case *models.RelationRecord:
		hard = append(hard, models.Ref{ID: e.EventID}, models.Ref{ID: e.RelatedID})
	}
	return hard, rels
}

func emptyRef(r models.Ref) bool { return r.ID.IsZero() && r.Slug == "" }

// hold decides whether it must wait, and if so makes it wait. A record waits while:
//   - it names a record of its waitTable that is neither stored nor read yet (a later
//     line may bring it) or that waits itself;
//   - it names a record of another kind that waits;
//   - an earlier line with its own id or slug waits (so that the last line still wins).
//
// A record that also names something no later line can bring does not wait: it is
// refused now, as line by line. An event's relation to an event that waits does not
// make it wait: the relation is set aside to follow that event (see release), so that
// "A follows B" and "B precedes A" restore in either order. released are items that
// waited only to learn that it would come.
func (im *importer) hold(ctx context.Context, it *item) (held bool, released []*item, err error) {
	wr := &im.wait
	if it.derived || wr.force {
		return false, nil, nil
	}
	rec := it.rec
	im.kind(rec.Kind)
	if it.window != im.seq {
		// Read in an earlier window: what it names is not in this one's cache.
		if err := im.prefetch(ctx, []ImportRecord{rec}); err != nil {
			return false, nil, dbError(err, "import")
		}
	}
	cache := cacheOf(ctx)
	own := ownKeys(rec)
	known := func(k string) bool {
		_, ok := cache[k]
		return ok || slices.Contains(own, k)
	}
	on := map[string]bool{}
	var follow []int
	doomed := false
	table := waitTable[rec.Kind]
	hard, rels := selfRefs(rec)
	for _, ref := range hard {
		if emptyRef(ref) {
			continue
		}
		switch k := key(table, ref); {
		case known(k):
		case wr.isHeld(k) || !wr.final:
			on[k] = false
		default:
			doomed = true
		}
	}
	for i, r := range rels {
		if emptyRef(r.Related) {
			continue
		}
		switch k := key(table, r.Related); {
		case known(k):
		case wr.isHeld(k):
			follow = append(follow, i)
		case !wr.final:
			if _, ok := on[k]; !ok {
				on[k] = true
			}
		default:
			doomed = true
		}
	}
	if wr.n > 0 || len(on) > 0 || len(follow) > 0 {
		for _, k := range own {
			if wr.heldBefore(k, rec.Line) {
				on[k] = false
			}
		}
		// Every other reference: one to a waiting record waits for it, one to a
		// record that is nowhere dooms the line.
		ev, _ := rec.Entity.(*models.Event)
		if ev != nil {
			ev.Relations = nil
		}
		im.kind(rec.Kind).refs(collectRefs(ctx, func(table string, ref models.Ref) {
			k := key(table, ref)
			if _, waits := on[k]; waits || known(k) {
				return
			}
			if wr.isHeld(k) {
				on[k] = false
			} else {
				doomed = true
			}
		}), im.tx, rec.Entity)
		if ev != nil {
			ev.Relations = rels
		}
	}
	switch {
	case doomed:
		return false, nil, nil // decide says what is missing
	case len(on) > 0 && wr.n >= maxWaiting:
		return false, nil, &models.Error{Code: models.EUNPROCESSABLE, Message: fmt.Sprintf(
			"names a record of a later line while %d records already wait for theirs; list what records name before them", maxWaiting)}
	case len(on) > 0:
		return true, wr.add(it, own, on), nil
	}
	if len(follow) > 0 {
		wr.setAside(it, rels, follow)
	}
	return false, nil, nil
}

// add makes it wait for the keys on, and releases those that waited only to learn that
// a record with its keys would come.
func (wr *waitRoom) add(it *item, own []string, on map[string]bool) []*item {
	ws := &waitState{it: it, keys: own, on: on}
	if h, ref := hierarchyOf(it.rec.Entity); ref != nil {
		if k := key(h.table, *ref); !emptyRef(*ref) {
			if _, ok := on[k]; ok {
				ws.hier = k
			}
		}
	}
	it.wait = ws
	wr.n++
	for k := range on {
		wr.waiters[k] = append(wr.waiters[k], ws)
	}
	for _, k := range own {
		wr.holders[k] = append(wr.holders[k], ws)
	}
	wr.all = append(wr.all, ws)
	var out []*item
	for _, k := range own {
		for _, w := range wr.waiters[k] {
			if w.live() && w.on[k] {
				wr.leave(w.it)
				out = append(out, w.it)
			}
		}
	}
	return out
}

// leave ends the item's wait.
func (wr *waitRoom) leave(it *item) {
	if it.wait != nil {
		it.wait = nil
		wr.n--
	}
}

// holdersOf lists the items that wait with k as their own key, dropping stale entries.
func (wr *waitRoom) holdersOf(k string) []*waitState {
	hs := wr.holders[k]
	if len(hs) == 0 {
		return nil
	}
	live := hs[:0]
	for _, h := range hs {
		if h.live() {
			live = append(live, h)
		}
	}
	if len(live) == 0 {
		delete(wr.holders, k)
		return nil
	}
	wr.holders[k] = live
	return live
}

func (wr *waitRoom) isHeld(k string) bool { return len(wr.holdersOf(k)) > 0 }

// heldBefore reports whether a line before line waits with k as its own key.
func (wr *waitRoom) heldBefore(k string, line int) bool {
	for _, h := range wr.holdersOf(k) {
		if h.it.rec.Line < line {
			return true
		}
	}
	return false
}

// firstHolder is the earliest line that waits with k as its own key: the record a
// reference to k will find.
func (wr *waitRoom) firstHolder(k string) *item {
	var first *item
	for _, h := range wr.holdersOf(k) {
		if first == nil || h.it.rec.Line < first.rec.Line {
			first = h.it
		}
	}
	return first
}

// setAside takes the relations at idx out of the event's, to follow their events.
func (wr *waitRoom) setAside(it *item, rels []models.Relation, idx []int) {
	ev := it.rec.Entity.(*models.Event)
	kept := make([]models.Relation, 0, len(rels)-len(idx))
	for i, r := range rels {
		if slices.Contains(idx, i) {
			k := key("events", r.Related)
			wr.follow[k] = append(wr.follow[k], &followingRelation{from: it, index: i, rel: r})
			continue
		}
		kept = append(kept, r)
	}
	ev.Relations = kept
}

// release ends the wait of the items that wait for it, now that it is processed (ok:
// stored or unchanged): each is looked at again. When it is in, the relations that
// follow it come too.
func (im *importer) release(it *item, ok bool) []*item {
	wr := &im.wait
	var out []*item
	for _, k := range ownKeys(it.rec) {
		for _, w := range wr.waiters[k] {
			if w.live() {
				wr.leave(w.it)
				out = append(out, w.it)
			}
		}
		delete(wr.waiters, k)
		if !ok {
			continue
		}
		for _, f := range wr.follow[k] {
			if f.from.imported {
				out = append(out, &item{rec: ImportRecord{Line: f.from.rec.Line, Kind: "relation", Stated: &models.MetaMembers{}},
					window: im.seq, derived: true, follows: f, target: it})
			}
		}
		delete(wr.follow, k)
	}
	return out
}

// finish ends the wait of what still waits once the input is read. Cycles of
// affiliations or parents among waiting records are refused with the lines that make
// them; then everything else is imported in line order with nothing more to wait for,
// which refuses what names a record no line brought, as line by line. Last, relations
// set aside for an event that never came are refused.
func (im *importer) finish(ctx context.Context) error {
	wr := &im.wait
	if wr.n == 0 && len(wr.follow) == 0 {
		return nil
	}
	ctx = withRefCache(ctx)
	im.seq++
	im.kinds = map[string]windowKind{}
	wr.final = true
	var waiting []*item
	for _, ws := range wr.all {
		if ws.live() {
			waiting = append(waiting, ws.it)
		}
	}
	slices.SortStableFunc(waiting, func(a, b *item) int { return a.rec.Line - b.rec.Line })
	for _, it := range waiting {
		if it.wait == nil || it.wait.hier == "" {
			continue
		}
		if cycle := wr.cycle(it); cycle != nil {
			err := cycleError(cycle)
			for _, c := range cycle {
				wr.leave(c)
				im.reject(c.rec, err)
			}
		}
	}
	for _, force := range []bool{false, true} {
		wr.force = force
		for _, it := range waiting {
			if err := ctx.Err(); err != nil {
				return err
			}
			if it.wait == nil {
				continue
			}
			wr.leave(it)
			if err := im.admit(ctx, it); err != nil {
				return err
			}
		}
	}
	if err := im.flush(ctx); err != nil {
		return err
	}
	var left []*followingRelation
	for _, fs := range wr.follow {
		left = append(left, fs...)
	}
	slices.SortStableFunc(left, func(a, b *followingRelation) int { return a.from.rec.Line - b.from.rec.Line })
	for _, f := range left {
		if f.from.imported {
			im.reject(ImportRecord{Line: f.from.rec.Line, Kind: "relation"}, &models.Error{Code: models.EUNPROCESSABLE,
				Message: "validation failed", Fields: []models.FieldError{{Field: fmt.Sprintf("relations[%d].event_id", f.index),
					Message: fmt.Sprintf("no event with id or slug %q", f.rel.Related.String())}}})
		}
	}
	clear(wr.follow)
	return nil
}

// cycle follows the item's affiliation or parent through waiting records and returns them if
// that leads back to it.
func (wr *waitRoom) cycle(it *item) []*item {
	path := []*item{it}
	for cur := it; ; {
		next := wr.firstHolder(cur.wait.hier)
		switch {
		case next == nil || next.wait.hier == "":
			return nil
		case next == it:
			return path
		case slices.Contains(path, next):
			return nil // a cycle that it only leads into: its members report it
		}
		path = append(path, next)
		cur = next
	}
}

// cycleError is the problem of each line of a cycle.
func cycleError(cycle []*item) error {
	h, _ := hierarchyOf(cycle[0].rec.Entity)
	lines := make([]int, len(cycle))
	for i, c := range cycle {
		lines[i] = c.rec.Line
	}
	slices.Sort(lines)
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strconv.Itoa(l)
	}
	return &models.Error{Code: models.EUNPROCESSABLE,
		Message: fmt.Sprintf("the %ss of lines %s name one another through %s in a cycle, which no order can restore", h.kind, strings.Join(s, ", "), h.field),
		Fields:  []models.FieldError{{Field: h.field, Message: h.cycle}}}
}
